"""`kocorpus run` on web input: korean_cc on the demo crawl, every WARC record accounted for in the funnel and in
SQL by id, task-count independence, and SIGKILL + resume (as for JSONL in tests/dedup/test_kill_resume.py)."""

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO

from kocorpus.cli import main
from kocorpus.evaluation.warc_build import demo_records, record_id, response, write_warc

# The web steps and dedup of korean_cc without the Kiwi/LID steps (seconds per run); korean_cc itself runs once.
LIGHT = """
name: web_light
steps:
  - url_filter: {}
  - content_type: {}
  - extract: {timeout_s: null}
  - normalize: {}
  - hangul_ratio: {min_ratio: 0.3}
dedup:
  url: {enabled: true}
  exact: {enabled: true}
  minhash: {enabled: true, num_buckets: 6, hashes_per_bucket: 4}
"""


def response_ids(path: Path) -> set[str]:
    """WARC-Record-IDs (without <>) of the response records in a (gzip-per-record) WARC file."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    ids, kind = set(), None
    for line in data.split(b"\r\n"):
        if line.startswith(b"WARC-Type: "):
            kind = line[11:].decode()
        elif line.startswith(b"WARC-Record-ID: ") and kind == "response":
            ids.add(line[16:].decode().strip("<>"))
    return ids


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    """Four WARC files: the demo crawl, a copy of it with other record ids, a truncated one, one more page each."""
    folder = tmp_path_factory.mktemp("crawl")
    records = demo_records()
    write_warc(folder / "a.warc.gz", records)
    write_warc(folder / "b.warc", [r.replace(b"urn:uuid:", b"urn:uuid:b") for r in records[:8]])
    path = folder / "c.warc.gz"
    offsets = write_warc(path, [r.replace(b"urn:uuid:", b"urn:uuid:c") for r in records[2:7]])
    path.write_bytes(path.read_bytes()[: offsets[-1] + 40])  # the last record's gzip member cut
    body = "<html><body><article><p>" + "한국어 웹 문서의 본문 문장입니다. " * 20 + "</p></article></body></html>"
    write_warc(folder / "d.warc.gz", [response("https://d.example.kr/1", 200, body.encode(), rid=record_id("d"))])
    return folder


def run(pipeline: str, crawl: Path, out: Path, *args: str) -> int:
    return main(["run", pipeline, "--input", str(crawl), "--output", str(out), "--no-progress", *args])


def store_rows(out: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    rows = con.execute("SELECT id, status, removed_by, reason, snippet FROM documents").fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.fixture(scope="module")
def light(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipe") / "web_light.yaml"
    path.write_text(LIGHT)
    return path


def test_korean_cc_on_the_demo_crawl_accounts_for_every_record(crawl, tmp_path, capsys):
    out = tmp_path / "out"
    assert run("korean_cc", crawl, out, "--tasks", "2") == 0
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["identity_ok"] and funnel["tasks_done"] == 2
    # non-document records are counted per type
    assert funnel["input_records"]["request"] == 2 + 1 and funnel["input_records"]["warcinfo"] == 2
    assert funnel["input_records"]["metadata"] == 3
    rows = store_rows(out)
    # every response record of every file is in the store: kept, removed, or (the truncated one) rejected
    for name in ("a.warc.gz", "b.warc", "d.warc.gz"):  # (c.warc.gz: its cut last record is checked below)
        assert response_ids(crawl / name) <= set(rows), name
    broken = [r for r in rows.values() if r[0] == "rejected"]
    assert len(broken) == 1 and broken[0][2].startswith("broken warc stream")  # c.warc.gz, its cut member
    a = {i: rows[i] for i in response_ids(crawl / "a.warc.gz")}
    reasons = {f"{r[1]}:{r[2]}" for r in a.values() if r[0] == "removed"}
    assert reasons == {"content_type:http_301", "content_type:http_404", "content_type:mime_image/png",
                       "extract:iframe_shell", "url:duplicate_url"}  # fmt: skip
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    # URL dedup works on web input: one kept document per normalized URL (b.warc and c.warc.gz re-fetch a's pages)
    urls = con.execute(
        "SELECT rtrim(json_extract_string(metadata, '$.url'), '/') u, count(*) FROM documents "
        "WHERE status = 'kept' GROUP BY u HAVING count(*) > 1"
    ).fetchall()
    assert urls == []
    assert (
        dict(con.execute("SELECT type, records FROM input_records").fetchall())["response"] == 9 + 5 + 3 + 1
    )  # c.warc.gz: its cut record is the break
    # the CP949 page is kept with its CP949-only syllables, decoded from its <meta> label
    text, enc, src = con.execute(
        "SELECT d.snippet, d.encoding, json_extract_string(d.metadata, '$.encoding_source') FROM documents d "
        "WHERE json_extract_string(d.metadata, '$.url') = 'http://board.example.co.kr/view.php?no=7' "
        "AND status = 'kept'"
    ).fetchone()
    assert "똠방각하 햏자 뷁 쌰" in text and (enc, src) == ("cp949", "meta")
    web = con.execute((REPO / "sql" / "web_pages.sql").read_text()).fetchall()
    assert ("web", 200, "text/html", "cp949", "meta") in [r[:5] for r in web]
    # every web document, by status/type/decoding; the rejected break is the one 'other' row
    assert sum(r[5] for r in web if r[0] == "web") == len(rows) - len(broken)
    assert "WARC records" in capsys.readouterr().out


def test_task_count_does_not_change_the_result(crawl, light, tmp_path):
    results = []
    for tasks in ("1", "2", "3"):
        out = tmp_path / f"t{tasks}"
        assert run(str(light), crawl, out, "--tasks", tasks, "--workers", "1") == 0
        results.append({k: v[:3] for k, v in store_rows(out).items()})
    assert results[0] == results[1] == results[2] and sum(v[0] == "kept" for v in results[0].values()) >= 3


def command(light: Path, crawl: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kocorpus.cli", "run", str(light), "--input", str(crawl), "--output", str(out),
            "--tasks", "4", "--workers", "1", "--no-progress"]  # fmt: skip


def test_sigkill_mid_filter_stage_then_resume(crawl, light, tmp_path):
    ref = tmp_path / "ref"
    assert subprocess.run(command(light, crawl, ref), cwd=REPO, capture_output=True, timeout=300).returncode == 0
    out = tmp_path / "out"
    completions = out / "logs" / "completions"
    proc = subprocess.Popen(command(light, crawl, out), cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if completions.is_dir() and any(completions.iterdir()):
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = {p.name for p in completions.iterdir()}
    assert proc.returncode == -signal.SIGKILL and 0 < len(finished) < 4, (proc.returncode, finished)
    stamps = {r: (completions / r).stat().st_mtime_ns for r in finished}
    resumed = subprocess.run(command(light, crawl, out), cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert {r: (completions / r).stat().st_mtime_ns for r in finished} == stamps  # not run again
    assert store_rows(out) == store_rows(ref)
    assert (out / "funnel.json").read_text() == (ref / "funnel.json").read_text()


@pytest.mark.slow  # a local Ray instance: ~40 s on an idle 2-core machine, minutes under load
def test_ray_executor_gives_the_local_result(crawl, light, tmp_path):
    pytest.importorskip("ray")
    outs = {}
    for executor in ("local", "ray"):
        outs[executor] = out = tmp_path / executor
        proc = subprocess.run([*command(light, crawl, out)[:-5], "--executor", executor, "--tasks", "2", "--no-progress"],
                              cwd=REPO, capture_output=True, text=True, timeout=600)  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-3000:]
    assert store_rows(outs["ray"]) == store_rows(outs["local"])
    assert json.loads((outs["ray"] / "funnel.json").read_text()) == json.loads(
        (outs["local"] / "funnel.json").read_text()
    )


def test_slurm_dry_run_of_korean_cc(crawl, tmp_path):
    out = tmp_path / "slurm"
    args = ["--executor", "slurm", "--dry-run", "--tasks", "4", "--partition", "batch", "--time", "01:00:00"]
    assert run("korean_cc", crawl, out, *args) == 0
    scripts = sorted((out / "logs" / "slurm_dry_run").glob("*.sbatch"))
    assert scripts and "#SBATCH --array=0-3" in scripts[0].read_text()
    assert (out / "logs" / "executor.pik").is_file()
