"""SIGKILL a real `kocorpus run` in the middle of the filter stage and in the middle of a MinHash stage; the
re-run redoes only the unfinished tasks and ends with the output of an uninterrupted run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO

SAMPLE = REPO / "tests" / "data"  # 7 small JSONL files, some of every kind
# 4 tasks one at a time, so that some tasks of a stage are done while others are not; 30 buckets make the
# bucket stage long enough (~30 tasks) to be caught in the middle
ARGS = ["--tasks", "4", "--workers", "1", "--no-progress", "--set", "dedup.minhash.num_buckets=30",
        "--set", "dedup.minhash.hashes_per_bucket=3"]  # fmt: skip


def command(out: Path) -> list[str]:
    return [sys.executable, "-m", "kocorpus.cli", "run", "korean_web", "--input", str(SAMPLE), "--output", str(out),
            *ARGS]  # fmt: skip


def done(out: Path, stage: str) -> set[str]:
    folder = out / "logs" / ("" if stage == "filter" else stage) / "completions"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def kill_when(out: Path, stage: str, total: int) -> set[str]:
    """Start a run, SIGKILL its process group once `stage` has some but not all tasks done; the done ranks."""
    proc = subprocess.Popen(command(out), cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if done(out, stage):
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = done(out, stage)
    assert proc.returncode == -signal.SIGKILL and 0 < len(finished) < total, (proc.returncode, finished)
    return finished


def kept(out: Path) -> list[tuple]:
    files = [str(p) for p in sorted((out / "kept").glob("*.parquet"))]
    return duckdb.connect().execute("SELECT id, md5(text) FROM read_parquet($f) ORDER BY id", {"f": files}).fetchall()


def resume(out: Path) -> str:
    proc = subprocess.run(command(out), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return (out / "funnel.json").read_text()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[list[tuple], str]:
    out = tmp_path_factory.mktemp("ref") / "out"
    return resume(out) and kept(out), (out / "funnel.json").read_text()


@pytest.mark.parametrize(("stage", "total"), [("filter", 4), ("minhash_buckets", 30)])
def test_sigkill_mid_stage_then_resume(tmp_path: Path, reference, stage: str, total: int) -> None:
    out = tmp_path / "out"
    finished = kill_when(out, stage, total)
    log_dir = out / "logs" / ("" if stage == "filter" else stage)
    stamps = {r: (log_dir / "completions" / r).stat().st_mtime_ns for r in finished}
    outputs = {p: p.stat().st_mtime_ns for r in finished for p in (out / "filtered").glob(f"*_{r}.parquet")}
    funnel = resume(out)
    # the completed tasks did not run again: their markers and outputs are untouched
    assert {r: (log_dir / "completions" / r).stat().st_mtime_ns for r in finished} == stamps
    assert {p: p.stat().st_mtime_ns for p in outputs} == outputs and (stage != "filter" or outputs)
    assert len(done(out, stage)) == total
    assert kept(out) == reference[0] and funnel == reference[1]
