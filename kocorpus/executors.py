"""Executors: datatrove's Local / Ray / Slurm pipeline executors built from CLI options."""

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kocorpus.config import ConfigError


@dataclass(kw_only=True)
class ExecutorOptions:
    """How and where the pipeline's tasks run."""

    kind: Literal["local", "ray", "slurm"] = "local"
    tasks: int = 1
    """Number of tasks (input files are sharded across them)."""
    workers: int = -1
    """Tasks run at the same time; -1 = all tasks (local: capped at the CPU count)."""
    dry_run: bool = False
    """Slurm: write the sbatch scripts (logs/slurm_dry_run/) instead of submitting them."""
    partition: str = "cpu"
    time: str = "04:00:00"
    cpus_per_task: int = 1
    mem_per_cpu_gb: int = 4
    qos: str = "normal"
    slurm_logs: str | None = None
    sbatch_args: list[str] = field(default_factory=list)
    """Extra sbatch options as key=value."""
    ray_address: str | None = None

    def __post_init__(self) -> None:
        if self.tasks < 1:
            raise ConfigError(f"--tasks: must be >= 1, got {self.tasks}")
        if self.workers == 0 or self.workers < -1:
            raise ConfigError(f"--workers: must be >= 1 or -1, got {self.workers}")
        for item in self.sbatch_args:
            if "=" not in item:
                raise ConfigError(f"--sbatch-arg {item!r}: expected key=value")
        if self.kind != "slurm" and (self.dry_run or self.sbatch_args):
            raise ConfigError("--dry-run / --sbatch-arg: only with --executor slurm")
        if self.kind != "ray" and self.ray_address:
            raise ConfigError("--ray-address: only with --executor ray")


def check_can_submit(opts: ExecutorOptions, all_done: Callable[[], bool]) -> None:
    """`--executor slurm` (not a dry run) with tasks left to run needs `sbatch` on PATH: fail before anything is
    written instead of letting datatrove's submission fail inside the run. `all_done()`: no task left."""
    if opts.kind != "slurm" or opts.dry_run or shutil.which("sbatch") or all_done():
        return
    raise ConfigError(
        "--executor slurm: `sbatch` is not on PATH; run the command on a Slurm login node, add --dry-run to only "
        "write the sbatch scripts, or use --executor local"
    )


def tasks_done(logging_dir: Path, tasks: int) -> bool:
    """Every task of the stage logged in `logging_dir` has its datatrove completion marker."""
    return all((Path(logging_dir) / "completions" / f"{rank:05d}").is_file() for rank in range(tasks))


def make_executor(pipeline: list, logging_dir: Path, opts: ExecutorOptions, tasks: int | None = None, depends=None):
    """A datatrove PipelineExecutor for `pipeline` (`tasks` defaults to opts.tasks); completion markers live in
    `logging_dir/completions`; `depends` chains Slurm stages (local and Ray stages are run in order)."""
    tasks = tasks or opts.tasks
    if opts.kind == "local":
        from kocorpus.local_executor import SerialLocalExecutor

        workers = min(tasks, opts.workers if opts.workers != -1 else os.cpu_count() or 1)
        return SerialLocalExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=str(logging_dir))
    if opts.kind == "ray":
        try:
            from datatrove.executor.ray import RayPipelineExecutor
        except ImportError as e:
            raise ConfigError(f"--executor ray: ray is not installed (pip install 'kocorpus[ray]'): {e}") from None
        return RayPipelineExecutor(pipeline, tasks=tasks, workers=opts.workers, logging_dir=str(logging_dir))
    from datatrove.executor.slurm import SlurmPipelineExecutor

    return SlurmPipelineExecutor(
        pipeline,
        tasks=tasks,
        workers=opts.workers,
        depends=depends,
        time=opts.time,
        partition=opts.partition,
        cpus_per_task=opts.cpus_per_task,
        mem_per_cpu_gb=opts.mem_per_cpu_gb,
        qos=opts.qos,
        job_name=f"kocorpus_{logging_dir.name}",
        logging_dir=str(logging_dir),
        slurm_logs_folder=opts.slurm_logs or str(logging_dir / "slurm_logs"),
        sbatch_args=dict(item.split("=", 1) for item in opts.sbatch_args),
        venv_path=str(Path(sys.prefix) / "bin" / "activate"),
    )


# imported by every pool worker that runs a block: the executor's module (tasks are pickled with it), and what
# pyarrow imports lazily on a worker's first Parquet write (`RecordBatch.from_pylist` imports pandas)
PRELOAD = frozenset({"pyarrow.parquet", "pyarrow.compute", "numpy", "pandas", "kocorpus.local_executor"})


def preload_workers(pipelines: list[list], opts: ExecutorOptions) -> None:
    """Local executor with several workers: datatrove starts each stage's pool from multiprocess's fork server,
    and every pool worker imported the blocks' modules (kocorpus, datatrove, pyarrow, fasttext …) anew (a 1×
    `benchmarks/scale.py` run with 2 workers: 10.9 s CPU before, 5.2 s with the preload). Importing them once in the fork server (before it starts) lets the workers fork
    with them loaded, with `PRELOAD` (pandas, the executor's module). Models are still loaded per task, inside the
    blocks."""
    if opts.kind != "local" or opts.workers == 1:
        return
    import multiprocess

    modules = {type(block).__module__ for blocks in pipelines for block in blocks if callable(block)}
    modules = {m for m in modules if m.split(".")[0] in ("kocorpus", "datatrove")}  # never a user's __main__
    multiprocess.set_forkserver_preload(sorted(modules | PRELOAD))


def release_blocks(blocks: list) -> None:
    """Call `release()` on the blocks of a finished local stage that have one (models and per-task tables the
    later stages do not need; with one worker the blocks live on in this process until the run ends)."""
    for block in blocks:
        release = getattr(block, "release", None)
        if callable(release):
            release()


def release_memory() -> None:
    """Hand the memory a finished stage freed back to the OS (pyarrow's pool, glibc's heap), so the next stage
    and the processes datatrove forks for it start from the working set, not the last stage's peak. No
    gc.collect: its cost grows with the objects a stage leaves alive."""
    import ctypes

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def run_stages(
    stages: list, opts: ExecutorOptions, logging_dir: Path, before_stage=None, chained: bool = True
) -> list[Path]:
    """Run (local, ray) the stage executors in order, or submit (slurm) them as a dependency chain; with a Slurm
    dry run, return the sbatch scripts written. `before_stage(i)` may return False to skip stage i and the rest
    (local and Ray only: e.g. nothing survived the filters). `chained`: each stage reads the previous one's output,
    so a stage that (re)ran tasks makes every later stage run again."""
    if opts.kind == "slurm":
        return _submit_slurm(stages[-1], opts, logging_dir)
    ray = None
    if opts.kind == "ray":
        import ray

        if not ray.is_initialized():
            if opts.ray_address:
                ray.init(address=opts.ray_address)
            else:
                ray.init(num_cpus=os.cpu_count(), include_dashboard=False)
    try:
        rerun = False
        for i, executor in enumerate(stages):
            if before_stage is not None and before_stage(i) is False:
                break
            if rerun:  # an earlier stage (re)ran tasks: every later stage must run again on its new output
                for marker in executor.logging_dir.list_files("completions"):
                    executor.logging_dir.rm(marker)
            rerun = chained and (rerun or bool(executor.get_incomplete_ranks()))
            executor.run()
            if opts.kind == "local":
                release_blocks(executor.pipeline)
                release_memory()
    finally:
        if ray is not None and not opts.ray_address:
            ray.shutdown()
    return []


def _submit_slurm(last, opts: ExecutorOptions, logging_dir: Path) -> list[Path]:
    """Submit the last stage (datatrove submits its dependencies first); a dry run writes the scripts instead."""
    if not opts.dry_run:
        last.run()
        return []
    import datatrove.executor.slurm as slurm_mod

    scripts_dir = logging_dir / "slurm_dry_run"
    scripts_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def fake_launch(contents: str, _retriever, *args) -> str:
        # Same script datatrove would submit; the sbatch arguments go in a header comment.
        path = scripts_dir / f"{len(written):02d}.sbatch"
        path.write_text(f"{contents}\n# sbatch {' '.join(args)}\n", encoding="utf-8")
        written.append(path)
        return str(1000 + len(written))

    original = slurm_mod.launch_slurm_job
    slurm_mod.launch_slurm_job = fake_launch
    try:
        last.run()
    finally:
        slurm_mod.launch_slurm_job = original
    return written
