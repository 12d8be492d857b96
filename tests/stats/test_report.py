"""`kocorpus report`: the HTML report of a real run is written, self-contained, and renders in headless Chromium."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kocorpus.cli import main

CHARTS = ("funnel", "lengths", "hangul_ratio", "pos", "clusters")


@pytest.fixture(scope="module")
def report(sample_run: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    assert main(["report", str(sample_run), "--output", str(folder)]) == 0
    return folder / "index.html"


def test_report_is_self_contained_with_every_section(report: Path, sample_run: Path):
    page = report.read_text(encoding="utf-8")
    assert len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', page)) == len(CHARTS)
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing fetched
    for name in CHARTS:
        png = report.parent / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    for title in (
        "Funnel",
        "Removal reasons by source",
        "Length and Hangul ratio",
        "Morphology",
        "Top nouns",
        "Duplicates",
        "Samples of removed",
    ):
        assert title in page
    assert "identity holds" in page and "near_duplicate" in page and "1,328" in page  # the sample's read count
    section = page.split("Removal reasons by source", 1)[1].split("</section>", 1)[0]
    spam_row = next(row for row in section.split("<tr>") if "generated:spam" in row)
    assert re.search(r"spam: spam_\w+ \d+", spam_row)  # the generated spam pages' removal reasons, with counts


def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium not installed (.ci/run installs Debian's chromium when it can)")
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--screenshot={shot}",
         "--window-size=1280,2400", report.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.is_file() and shot.stat().st_size > 50_000, proc.stderr[-2000:]
    from PIL import Image  # matplotlib depends on pillow

    img = Image.open(shot).convert("RGB").resize((64, 120))
    colours = len(set(img.getdata()))
    assert colours > 50, "the screenshot is (nearly) blank"
