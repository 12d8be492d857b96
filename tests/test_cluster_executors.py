"""Ray and Slurm for real: the README's demo run of the bundled sample through `kocorpus run` and
`kocorpus tokenize` on a local Ray cluster and on a single-node Slurm cluster (`.ci/slurm/setup.sh`) gives the
local executor's kept documents, funnel and shards."""

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, readme_demo_command

ENV_TIMEOUT = 900


def cli(*args: str, timeout: int = ENV_TIMEOUT, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "kocorpus.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, **(env or {})))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def demo_args(out: Path, *extra: str) -> list[str]:
    argv = readme_demo_command()[1:]
    argv[argv.index("--output") + 1] = str(out)
    argv.remove("--overwrite")
    return [*argv, "--no-progress", *extra]


def kept(out: Path) -> list[tuple[str, str]]:
    import pyarrow.parquet as pq

    rows = []
    for f in sorted((out / "kept").glob("*.parquet")):
        t = pq.read_table(f, columns=["id", "text"]).to_pydict()
        rows += [(i, hashlib.sha256(x.encode()).hexdigest()) for i, x in zip(t["id"], t["text"], strict=True)]
    return sorted(rows)


def shard_bytes(shards: Path) -> dict[str, str]:
    return {str(p.relative_to(shards)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(shards.rglob("*.parquet"))}  # fmt: skip


def assert_same_run(out: Path, reference: Path) -> None:
    assert kept(out) == kept(reference)
    assert (out / "funnel.json").read_text() == (reference / "funnel.json").read_text()
    assert (out / "corpus.duckdb").is_file()


@pytest.fixture(scope="module")
def local_shards(sample_run: Path, tmp_path_factory) -> Path:
    shards = tmp_path_factory.mktemp("local_shards") / "shards"
    cli("tokenize", "--input", str(sample_run / "kept"), "--tokenizer", "smollm2", "--seq-len", "256",
        "--output", str(shards), "--tasks", "2")  # fmt: skip
    return shards


# ---------------------------------------------------------------- Ray
@pytest.fixture
def ray_head(tmp_path):
    """`ray start --head --num-cpus 2` on a free port; stopped afterwards."""
    pytest.importorskip("ray")
    ray_bin = Path(sys.executable).parent / "ray"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = [str(ray_bin), "start", "--head", "--num-cpus", "2", "--port", str(port), "--include-dashboard", "false",
             "--disable-usage-stats"]  # fmt: skip
    proc = subprocess.run(start, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # the address other nodes would join (the node's IP); Ray ≥ 2.5x enables token auth for `ray start`
    yield re.search(r"ray start --address='([^']+)'", proc.stdout + proc.stderr).group(1)
    subprocess.run([str(ray_bin), "stop", "--force"], capture_output=True, timeout=120)


def test_ray_local_instance_run_equals_local(sample_run, tmp_path):
    """Without --ray-address kocorpus starts a Ray instance sized to the machine, runs every stage, stops it."""
    pytest.importorskip("ray")
    out = tmp_path / "ray_out"
    proc = cli(*demo_args(out, "--executor", "ray"))
    assert "ray" in proc.stdout
    assert_same_run(out, sample_run)


def test_ray_cluster_tokenize_equals_local(sample_run, local_shards, ray_head, tmp_path):
    """`kocorpus tokenize --executor ray --ray-address` on a running cluster: byte-identical shards."""
    shards = tmp_path / "shards"
    cli("tokenize", "--input", str(sample_run / "kept"), "--tokenizer", "smollm2", "--seq-len", "256",
        "--output", str(shards), "--tasks", "2", "--executor", "ray", "--ray-address", ray_head,
        env={"RAY_AUTH_MODE": "token"})  # fmt: skip
    assert shard_bytes(shards) == shard_bytes(local_shards) and shard_bytes(shards)
    manifest = json.loads((shards / "manifest.json").read_text())
    assert manifest["tokens"] == json.loads((local_shards / "manifest.json").read_text())["tokens"]


# ---------------------------------------------------------------- Slurm
def slurm_up() -> bool:
    if not shutil.which("sbatch"):
        return False
    return subprocess.run(["sinfo", "-h"], capture_output=True, timeout=30).returncode == 0


def our_jobs() -> list[list[str]]:
    """[job id, name, dependency, state] of the queued kocorpus jobs."""
    out = subprocess.run(["squeue", "-h", "-o", "%i|%j|%E|%T"], capture_output=True, text=True, timeout=30).stdout
    return [line.split("|") for line in out.splitlines() if "kocorpus" in line]


def wait_for_jobs(timeout: float = 1200) -> None:
    deadline = time.time() + timeout
    while our_jobs():
        assert time.time() < deadline, f"slurm jobs still queued: {our_jobs()}"
        time.sleep(2)


@pytest.mark.slurm
@pytest.mark.skipif(not slurm_up(), reason="no Slurm cluster (sbatch/sinfo); .ci/slurm/setup.sh starts one")
def test_slurm_run_and_tokenize_equal_local(sample_run, local_shards, tmp_path):
    """Submit the demo run as job arrays chained by afterok dependencies, wait, re-run the same command (it only
    collects: every task is complete) and compare with the local run; then tokenize through Slurm too."""
    out = tmp_path / "slurm_out"
    slurm = ["--executor", "slurm", "--partition", "cpu", "--time", "00:30:00", "--mem-per-cpu-gb", "2",
             "--qos", "normal", "--slurm-logs", str(tmp_path / "slurm_logs")]  # fmt: skip
    wait_for_jobs()  # nothing of ours left from an earlier run
    proc = cli(*demo_args(out, *slurm))
    assert "submitted" in proc.stdout
    jobs = our_jobs()
    assert any(d.startswith("afterok:") for _, _, d, _ in jobs), jobs  # later stages wait for earlier ones
    wait_for_jobs()
    assert list((tmp_path / "slurm_logs").glob("*.out"))
    proc = cli(*demo_args(out, *slurm))
    assert "funnel" in proc.stdout
    assert_same_run(out, sample_run)
    shards = tmp_path / "shards"
    tok = ["tokenize", "--input", str(sample_run / "kept"), "--tokenizer", "smollm2", "--seq-len", "256",
           "--output", str(shards), "--tasks", "2", *slurm]  # fmt: skip
    assert "submitted" in cli(*tok).stdout
    wait_for_jobs()
    assert "manifest" in cli(*tok).stdout
    assert shard_bytes(shards) == shard_bytes(local_shards)
