"""End-to-end check: datatrove's SlurmPipelineExecutor on the single-node cluster from setup.sh.

Run (after `.ci/slurm/setup.sh`):
    .venv/bin/python .ci/slurm/check_datatrove.py

Stage 1 ("kocorpus-check-write", 2 array tasks): JsonlReader(/tmp/slurmcheck/input) -> JsonlWriter(out1)
Stage 2 ("kocorpus-check-filter", 2 array tasks, depends=stage 1, i.e. --dependency=afterok:<id>):
    JsonlReader(out1) -> LambdaFilter(keep even ids) -> JsonlWriter(out2)
Each stage also submits datatrove's merge_stats job (afterok on the stage's array job).
Exits 0 only when all 4 ranks wrote completion markers, outputs have the expected documents
and both stats.json files exist.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from datatrove.executor.slurm import SlurmPipelineExecutor
from datatrove.pipeline.filters import LambdaFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

BASE = os.environ.get("SLURMCHECK_DIR", "/tmp/slurmcheck")  # must be visible from the compute node (same host here)
VENV = os.environ.get("SLURMCHECK_VENV", str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "activate"))
TIMEOUT_S = int(os.environ.get("SLURMCHECK_TIMEOUT", "300"))
N_FILES, DOCS_PER_FILE, TASKS = 4, 25, 2


def make_input() -> None:
    shutil.rmtree(BASE, ignore_errors=True)  # fresh run: skip_completed would otherwise skip everything
    os.makedirs(f"{BASE}/input")
    for f in range(N_FILES):
        with open(f"{BASE}/input/part_{f}.jsonl", "w") as fh:
            for d in range(DOCS_PER_FILE):
                i = f * DOCS_PER_FILE + d
                fh.write(
                    json.dumps({"id": str(i), "text": f"문서 {i} 안녕하세요 slurm check"}, ensure_ascii=False) + "\n"
                )


def count_docs(folder: str) -> tuple[int, set[str]]:
    ids: set[str] = set()
    n = 0
    for p in glob.glob(f"{folder}/*.jsonl.gz"):
        with gzip.open(p, "rt") as fh:
            for line in fh:
                n += 1
                ids.add(json.loads(line)["id"])
    return n, ids


def squeue_ids(names: str) -> set[str]:
    cmd = ["squeue", "-h", "-n", names, "-o", "%F"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {x.strip() for x in out.split()}


def main() -> int:
    t0 = time.time()
    make_input()
    common = dict(
        tasks=TASKS,
        time="00:10:00",
        partition="cpu",
        cpus_per_task=1,
        mem_per_cpu_gb=1,
        qos="normal",
        venv_path=VENV,
    )
    stage1 = SlurmPipelineExecutor(
        pipeline=[JsonlReader(f"{BASE}/input"), JsonlWriter(f"{BASE}/out1")],
        job_name="kocorpus-check-write",
        logging_dir=f"{BASE}/logs/stage1",
        slurm_logs_folder=f"{BASE}/slurm_logs/stage1",
        **common,
    )
    stage2 = SlurmPipelineExecutor(
        pipeline=[
            JsonlReader(f"{BASE}/out1"),
            LambdaFilter(lambda doc: int(doc.id) % 2 == 0),
            JsonlWriter(f"{BASE}/out2"),
        ],
        job_name="kocorpus-check-filter",
        logging_dir=f"{BASE}/logs/stage2",
        slurm_logs_folder=f"{BASE}/slurm_logs/stage2",
        depends=stage1,
        **common,
    )
    stage2.run()  # launches stage1 first (dependency), then stage2 with --dependency=afterok:<stage1>
    job1, job2 = str(stage1.job_id), str(stage2.job_id)
    print(f"[check] submitted stage1={job1} stage2={job2} in {time.time() - t0:.1f}s", flush=True)

    expected_markers = [f"{BASE}/logs/stage{s}/completions/{r:05d}" for s in (1, 2) for r in range(TASKS)]
    expected_stats = [f"{BASE}/logs/stage{s}/stats.json" for s in (1, 2)]
    names = f"{stage1.job_name},{stage2.job_name}"  # merge_stats jobs reuse the stage's job name
    deadline = time.time() + TIMEOUT_S
    while time.time() < deadline:
        if not squeue_ids(names):  # all array tasks + merge_stats jobs left the queue (done or failed)
            break
        time.sleep(2)
    else:
        print(f"[check] TIMEOUT after {TIMEOUT_S}s; squeue:", flush=True)
        subprocess.run(["squeue"])
    elapsed = time.time() - t0

    errors = [f"missing {p}" for p in expected_markers + expected_stats if not os.path.exists(p)]
    n1, ids1 = count_docs(f"{BASE}/out1")
    n2, ids2 = count_docs(f"{BASE}/out2")
    total = N_FILES * DOCS_PER_FILE
    if n1 != total or len(ids1) != total:
        errors.append(f"stage1 wrote {n1} docs ({len(ids1)} unique), expected {total}")
    if n2 != total // 2 or any(int(i) % 2 for i in ids2):
        errors.append(f"stage2 wrote {n2} docs, expected {total // 2} even ids")
    for jid in (job1, job2):
        st = subprocess.run(["scontrol", "-o", "show", "job", jid], capture_output=True, text=True).stdout
        states = sorted({tok.split("=", 1)[1] for tok in st.split() if tok.startswith("JobState=")})
        print(f"[check] job {jid}: {states}", flush=True)
        if states and states != ["COMPLETED"]:
            errors.append(f"job {jid} states {states}")

    if errors:
        print("[check] FAILED:\n  " + "\n  ".join(errors), flush=True)
        for log in sorted(glob.glob(f"{BASE}/slurm_logs/*/*.out")):
            print(f"---- {log} (tail) ----")
            with open(log) as fh:
                print("".join(fh.readlines()[-25:]))
        return 1
    print(
        f"[check] OK: stage1 {n1} docs, stage2 {n2} docs, 4/4 ranks completed, stats merged; total {elapsed:.1f}s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
