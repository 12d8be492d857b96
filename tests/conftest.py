"""Shared fixtures: real Korean documents from tests/data and a broken-input factory."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def ko_docs() -> list[dict]:
    """40 real Korean documents (news, reviews, chat, NLI, wiki; see tests/data/NOTICE.md)."""
    return load_jsonl(DATA / "ko_small.jsonl")


@pytest.fixture(scope="session")
def en_docs() -> list[dict]:
    return load_jsonl(DATA / "en_small.jsonl")


@pytest.fixture(scope="session")
def technical_docs() -> list[dict]:
    """Real Korean documents full of English terms (lowest Hangul ratios of the shared collection)."""
    return load_jsonl(DATA / "ko_technical.jsonl")


def write_jsonl(path: Path, records: list, compress: str | None = None) -> Path:
    """Write records (dicts, or raw bytes/str lines) as JSONL, optionally gzip- or zstd-compressed."""
    lines = []
    for r in records:
        if isinstance(r, bytes):
            lines.append(r)
        elif isinstance(r, str):
            lines.append(r.encode("utf-8"))
        else:
            lines.append(json.dumps(r, ensure_ascii=False).encode("utf-8"))
    data = b"\n".join(lines) + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress == "gzip":
        data = gzip.compress(data)
    elif compress == "zstd":
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


@pytest.fixture()
def mixed_broken_file(tmp_path: Path, ko_docs: list[dict]) -> tuple[Path, list[str], int]:
    """A JSONL file of good Korean records interleaved with every kind of malformed line.

    Returns (path, ids of the good records, number of malformed records)."""
    good = ko_docs[:6]
    bad = [
        b'{"id": "bad-utf8", "text": "\xed\x95\x9c\xea\xb5 broken"}',  # invalid UTF-8 bytes
        b'{"id": "not-json", "text": ',  # truncated JSON
        b"this is not json at all",
        json.dumps({"id": "no-text", "body": "본문"}, ensure_ascii=False).encode(),
        json.dumps({"id": "null-text", "text": None}).encode(),
        json.dumps({"id": "int-text", "text": 42}).encode(),
        json.dumps({"id": "empty-text", "text": "   "}).encode(),
        b"[1, 2, 3]",
    ]
    records: list = []
    for i, doc in enumerate(good):
        records.append(doc)
        if i < len(bad):
            records.append(bad[i])
    records += bad[len(good) :]
    records.insert(3, b"")  # a blank line is not a record
    path = write_jsonl(tmp_path / "in" / "mixed.jsonl", records)
    return path, [d["id"] for d in good], len(bad)


SAMPLE = REPO / "kocorpus" / "data" / "sample"


def readme_demo_command() -> list[str]:
    """The `kocorpus run …` line that the README documents for `make demo` (as an argv list)."""
    lines = [ln for ln in (REPO / "README.md").read_text().splitlines() if ln.startswith(".venv/bin/kocorpus run ")]
    assert len(lines) == 1, "README must show the demo command exactly once"
    return lines[0].split()


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> Path:
    """The README's demo command on the bundled sample, as a subprocess (2 tasks), writing to a temp dir."""
    out = tmp_path_factory.mktemp("sample") / "out"
    argv = readme_demo_command()
    argv = [sys.executable, "-m", "kocorpus.cli", *argv[1:]]
    argv[argv.index("--output") + 1] = str(out)
    proc = subprocess.run([*argv, "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (out / "stdout.txt").write_text(proc.stdout)
    return out
