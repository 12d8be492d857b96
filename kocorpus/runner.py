"""`kocorpus run`: prepare the output directory, run the pipeline on an executor, count the funnel."""

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from datatrove.utils.logging import logger

from kocorpus.config import ConfigError
from kocorpus.dedup.annotate import annotate_duplicates
from kocorpus.dedup.stages import Stage, dedup_stages, enabled_families, family_output
from kocorpus.executors import (
    ExecutorOptions,
    check_can_submit,
    make_executor,
    preload_workers,
    run_stages,
    tasks_done,
)
from kocorpus.funnel import Funnel, compute_funnel, write_funnel
from kocorpus.inputs import discover_inputs
from kocorpus.pipeline import build_pipeline
from kocorpus.pipeline_config import PipelineConfig
from kocorpus.steps import STEP_TYPES


@dataclass
class RunResult:
    out: Path
    funnel: Funnel | None
    """None when the run was only submitted (Slurm) or dry-run."""
    sbatch_scripts: list[Path]
    skipped: list[str] = field(default_factory=list)
    """Input files not read, as "path (why)"."""
    db: Path | None = None
    """The DuckDB store (OUT/corpus.duckdb), built when every task finished."""
    error: str | None = None
    """The exception that stopped a task, if any (the funnel then covers the finished tasks only)."""


def _check_resume(out: Path, run_spec: dict) -> None:
    """Refuse to mix outputs of different settings in one directory: completed tasks would be reused."""
    path = out / "run.json"
    if not path.is_file():
        return
    previous = json.loads(path.read_text())
    run_spec = json.loads(json.dumps(run_spec))  # as stored: JSON has string keys only
    if previous == run_spec:
        return
    diff = [k for k in sorted(set(previous) | set(run_spec)) if previous.get(k) != run_spec.get(k)]
    raise ConfigError(
        f"--output {out}: holds a run with different settings ({', '.join(diff)}); "
        "use --overwrite to start fresh or another --output"
    )


def analyzer_spec(cfg: PipelineConfig) -> dict | None:
    """{"step", "backend", "model"} of the pipeline's enabled analysis step (None without one), for run.json."""
    step = next((s for s in cfg.steps if s.enabled and STEP_TYPES[s.name].analyzes), None)
    if step is None:
        return None
    model = step.config.model_type if step.config.backend == "kiwi" else "mecab-ko-dic"
    return {"step": step.name, "backend": step.config.backend, "model": model}


def run_pipeline(
    cfg: PipelineConfig,
    inputs: list[str],
    out: Path,
    opts: ExecutorOptions,
    overwrite: bool = False,
    progress: bool = True,
) -> RunResult:
    """Run `cfg` over `inputs` into `out`. Re-running on the same `out` skips tasks already completed."""
    out = Path(out).resolve()
    if cfg.dedup.enabled and any(c in str(out) for c in "[]*?"):
        raise ConfigError(f"--output {out}: contains a glob character ([ ] * ?), which datatrove's dedup stages "
                          "cannot list files under; choose another path")  # fmt: skip
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--output {out}: exists and is not a directory")
    input_set = discover_inputs(inputs, cfg.reader.format, exclude=out, index_tables=bool(cfg.reader.warc_root))
    run_spec = {
        "pipeline": cfg.to_dict(),
        "inputs": {"root": str(input_set.root), "files": input_set.files},
        "tasks": opts.tasks,
        "analyzer": analyzer_spec(cfg),
    }
    foreign = out.is_dir() and any(out.iterdir()) and not (out / "run.json").is_file()
    if foreign:  # never write into (or delete) a directory that another tool or person filled
        raise ConfigError(
            f"--output {out}: exists, is not empty and is not a kocorpus run directory (no run.json); "
            "choose a new or empty directory"
        )
    if not overwrite:
        _check_resume(out, run_spec)
    dedup = cfg.dedup.enabled
    logging_dir = out / "logs"
    later = dedup_stages(out, cfg.dedup, opts.tasks, cfg.output.compression) if dedup else []
    log_dirs = [logging_dir] + [logging_dir / st.name for st in later]
    needs = [None] + [st.needs for st in later]
    tasks = [opts.tasks] + [st.tasks for st in later]

    def has_input(i: int) -> bool:  # a dedup stage needs documents: stop when none survived the previous one
        return needs[i] is None or any(needs[i].glob("*.parquet"))

    def all_done() -> bool:  # every task of every stage completed, up to the first stage left without input
        ran = next((i for i in range(len(log_dirs)) if not has_input(i)), len(log_dirs))
        return all(tasks_done(log_dirs[i], tasks[i]) for i in range(ran))

    check_can_submit(opts, lambda: not overwrite and (out / "run.json").is_file() and all_done())
    if overwrite and out.exists():
        shutil.rmtree(out)
    if input_set.skipped:
        logger.warning(f"skipped {len(input_set.skipped)} input file(s), e.g. {input_set.skipped[:3]}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "run.json").write_text(json.dumps(run_spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "executor.json").write_text(json.dumps(asdict(opts), indent=2) + "\n", encoding="utf-8")
    paths_files = input_set.write_paths_files(out / "inputs")
    pipeline = build_pipeline(
        cfg, input_set, paths_files, out, progress=progress, kept_folder="filtered" if dedup else "kept"
    )
    stages = [Stage("filter", pipeline, opts.tasks), *later]
    preload_workers([st.blocks for st in stages], opts)
    executors = []
    for st, log_dir in zip(stages, log_dirs, strict=True):
        executors.append(
            make_executor(st.blocks, log_dir, opts, tasks=st.tasks, depends=executors[-1] if executors else None)
        )

    error = None
    try:
        scripts = run_stages(executors, opts, logging_dir, has_input)
    except Exception as e:  # a task failed: report what finished; a re-run resumes the rest
        logger.exception("pipeline task failed")
        error, scripts = f"{type(e).__name__}: {e}", []
    done = all_done()
    if opts.kind == "slurm" and error is None and not done:  # submitted: run again when the jobs finish
        return RunResult(out=out, funnel=None, sbatch_scripts=scripts, skipped=input_set.skipped)
    if dedup and done and error is None:
        families = [f for f in enabled_families(cfg.dedup) if f != "line_dedup"]
        annotate_duplicates(out, {f: family_output(out, cfg.dedup, f) for f in families})
    steps = [s.name for s in cfg.steps if s.enabled and STEP_TYPES[s.name].drops]
    steps += enabled_families(cfg.dedup) if dedup else []
    funnel = compute_funnel(out, steps, opts.tasks)
    if not done:
        funnel.tasks_done = min(funnel.tasks_done, opts.tasks - 1)
    funnel.skipped_files = input_set.skipped
    write_funnel(funnel, out / "funnel.json")
    db = None
    if done and error is None:
        from kocorpus.stats.store import build_store

        db = build_store(out)
    return RunResult(out=out, funnel=funnel, sbatch_scripts=scripts, skipped=input_set.skipped, error=error, db=db)
