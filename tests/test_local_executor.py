"""kocorpus.local_executor.SerialLocalExecutor: one worker runs datatrove's loop with no Manager process."""

import json
import os

import psutil
from datatrove.pipeline.base import PipelineStep

from kocorpus.executors import ExecutorOptions, make_executor


class ChildCount(PipelineStep):
    """Records the process running the task and its child processes."""

    name = "child count"

    def __init__(self, out: str):
        super().__init__()
        self.out = out

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        with open(f"{self.out}/{rank}.json", "w") as f:
            json.dump([os.getpid(), sorted(c.pid for c in psutil.Process().children())], f)
        self.stat_update("ran")
        yield from data or []


def _run(tmp_path, workers: int, tasks: int) -> list[tuple[int, set[int]]]:
    """(pid, children started since the run began) of each task."""
    out = tmp_path / f"w{workers}"
    out.mkdir()
    before = {c.pid for c in psutil.Process().children()}  # e.g. other tests' fork servers
    executor = make_executor([ChildCount(str(out))], out / "logs", ExecutorOptions(tasks=tasks, workers=workers))
    executor.run()
    assert executor.get_incomplete_ranks() == []  # datatrove's completion markers were written
    stats = json.loads((out / "logs" / "stats.json").read_text())
    assert stats[0]["stats"]["ran"] == tasks
    runs = [json.loads((out / f"{r}.json").read_text()) for r in range(tasks)]
    return [(pid, set(children) - before) for pid, children in runs]


def test_one_worker_starts_no_manager_process(tmp_path):
    import datatrove.executor.local as local
    import multiprocess

    assert _run(tmp_path, workers=1, tasks=3) == [(os.getpid(), set())] * 3
    assert local.multiprocess is multiprocess  # restored after the run


def test_several_workers_still_use_datatrove_pool(tmp_path):
    assert all(pid != os.getpid() for pid, _ in _run(tmp_path, workers=2, tasks=2))  # pool processes
