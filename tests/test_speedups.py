"""kocorpus/_speedups.py: datatrove's dependency check and loguru's handler set-up, same answers, paid once."""

import importlib.metadata
import json
import sys
from pathlib import Path

import pytest

import kocorpus  # noqa: F401  (installs the patches)


def test_dependency_check_answers_as_datatrove_without_scanning(monkeypatch):
    from datatrove.utils import _import_utils
    from datatrove.utils._import_utils import check_required_dependencies

    assert getattr(_import_utils._is_distribution_available, "_kocorpus", False)
    # datatrove's own answer, computed its way (every distribution's metadata)
    names = {(d.metadata.get("Name") or "").lower() for d in importlib.metadata.distributions()}
    for name in ("pyarrow", "fasttext-numpy2-wheel", "no-such-distribution-kocorpus"):
        assert _import_utils._is_distribution_available(name) == (True if name in names else None)
    check_required_dependencies("x", [("fasttext", "fasttext-numpy2-wheel"), "pyarrow"])

    def scan():  # datatrove's way: every installed distribution's METADATA, once per name
        raise AssertionError("scanned every distribution")

    monkeypatch.setattr(importlib.metadata, "distributions", scan)
    _import_utils._is_distribution_available.cache_clear()
    assert _import_utils._is_distribution_available("orjson") is True


def test_loguru_lib_dirs_computed_once():
    from loguru import _better_exceptions, logger

    getter = _better_exceptions.ExceptionFormatter._get_lib_dirs
    assert getattr(getter, "_kocorpus", False)
    assert getter() is getter()
    handler = logger.add(sys.stderr)
    logger.remove(handler)


def test_pool_workers_fork_with_the_blocks_modules_loaded(monkeypatch, tmp_path):
    """kocorpus.executors.preload_workers: the fork server imports the blocks' modules once (several workers)."""
    import multiprocess

    from kocorpus.executors import ExecutorOptions, preload_workers
    from kocorpus.filters.spam import KoreanSpamFilter
    from kocorpus.writers import KeptWriter

    seen = []
    monkeypatch.setattr(multiprocess, "set_forkserver_preload", seen.append)

    class UserBlock(KoreanSpamFilter):  # defined in a test module: never imported by the fork server
        pass

    blocks = [[KoreanSpamFilter(), UserBlock()], [KeptWriter(str(tmp_path))]]
    preload_workers(blocks, ExecutorOptions(kind="local", tasks=2, workers=1))
    assert seen == []  # one worker: tasks run in this process
    preload_workers(blocks, ExecutorOptions(kind="local", tasks=2, workers=2))
    assert "kocorpus.filters.spam" in seen[0] and "kocorpus.writers.kept" in seen[0]
    assert not any(m.startswith("test") or m == "__main__" for m in seen[0])


def test_release_memory_returns_freed_heap_to_the_os():
    """kocorpus.executors.release_memory (after each local stage): heap pages freed behind a live allocation go
    back to the OS (glibc keeps them otherwise)."""
    import ctypes.util

    psutil = pytest.importorskip("psutil")  # installed with accelerate

    from kocorpus.executors import release_memory

    if not ctypes.util.find_library("c") or "glibc" not in " ".join(__import__("platform").libc_ver()):
        pytest.skip("malloc_trim is glibc's")
    proc = psutil.Process()
    blocks, pins = [], []
    for _ in range(3000):  # 50 KB blocks, each followed by a small live one: the heap cannot shrink by itself
        blocks.append(bytes(50_000))
        pins.append(bytearray(600))
    before = proc.memory_info().rss
    del blocks
    freed = proc.memory_info().rss
    release_memory()
    after = proc.memory_info().rss
    assert before - after > 100 * 2**20, (before >> 20, freed >> 20, after >> 20)


def test_a_finished_local_stage_releases_the_analyzer_model(tmp_path):
    """run_stages calls `release()` on a finished local stage's blocks: with one worker datatrove runs each task on
    a deep copy of the blocks and keeps the last copy as `executor.pipeline`, so its loaded analyzer (Kiwi's
    model, mecab's tables) would live on through the dedup stages and the store."""
    from datatrove.data import Document
    from datatrove.pipeline.base import PipelineStep

    from kocorpus.analysis.analyzer import AnalyzeConfig, MorphAnalyzer
    from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY
    from kocorpus.executors import ExecutorOptions, make_executor, run_stages

    seen = []

    class Source(PipelineStep):
        def run(self, data=None, rank=0, world_size=1):
            yield Document(text="국립국어원은 표준국어대사전을 편찬했다.", id="a")

    class Sink(PipelineStep):
        def run(self, data=None, rank=0, world_size=1):
            for doc in data:
                seen.append(doc.metadata[ANALYSIS_KEY].forms)
                yield doc

    opts = ExecutorOptions(kind="local", tasks=1, workers=1)
    plain, staged = (
        make_executor([Source(), MorphAnalyzer(AnalyzeConfig(backend="mecab")), Sink()], tmp_path / name, opts)
        for name in ("plain", "staged")
    )
    plain.run()  # datatrove alone: the copy that ran keeps its backend
    assert plain.pipeline[1]._backend is not None
    run_stages([staged], opts, tmp_path)
    assert staged.pipeline[1]._backend is None
    assert seen[0] == seen[1] and seen[0][:3] == ["국립", "국어", "원"]


class _ModulesAtStart:
    """Records, per task, which of `names` a pool worker already has when its block starts."""

    def __init__(self, folder: str, names: tuple[str, ...]):
        self.folder, self.names = folder, names

    def __call__(self, data=None, rank: int = 0, world_size: int = 1):
        loaded = [name for name in self.names if name in sys.modules]
        Path(self.folder, f"{rank}.json").write_text(json.dumps(loaded))
        return iter(())


def test_pool_workers_start_with_pandas_and_the_executor_loaded(tmp_path):
    """Several local workers: the fork server preloads what every worker would import on its own — pandas
    (pyarrow imports it on a worker's first Parquet write) and the executor's module (tasks are pickled with it)."""
    import multiprocess.forkserver

    from kocorpus.executors import ExecutorOptions, make_executor, preload_workers, run_stages

    multiprocess.forkserver._forkserver._stop()  # a fork server started by an earlier test keeps its preload
    opts = ExecutorOptions(kind="local", tasks=2, workers=2)
    block = _ModulesAtStart(str(tmp_path), ("pandas", "kocorpus.local_executor"))
    preload_workers([[block]], opts)
    run_stages([make_executor([block], tmp_path / "logs", opts)], opts, tmp_path)
    for rank in range(2):
        assert json.loads((tmp_path / f"{rank}.json").read_text()) == ["pandas", "kocorpus.local_executor"]
