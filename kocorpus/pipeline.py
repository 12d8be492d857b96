"""Compose a PipelineConfig into datatrove blocks: readers → steps (each with its removed/ writer) → kept/ writer."""

from pathlib import Path

from datatrove.pipeline.base import PipelineStep

from kocorpus.inputs import InputSet
from kocorpus.pipeline_config import PipelineConfig
from kocorpus.readers import READERS
from kocorpus.readers.ledger import READ_IDS
from kocorpus.steps import STEP_TYPES
from kocorpus.writers import KeptWriter, RemovedWriter


def build_pipeline(
    cfg: PipelineConfig,
    inputs: InputSet,
    paths_files: dict[str, Path],
    out: Path,
    progress: bool = True,
    kept_folder: str = "kept",
) -> list[PipelineStep]:
    """The filter-stage block list writing to `out` (<kept_folder>/, removed/<step>/, rejected/); with dedup the
    survivors go to `filtered/` and the dedup stages write kept/. With a pii step, the rejected/ writers and the
    removed/ writers of the steps before it mask with its config (`PipelineConfig.redaction`); later steps only
    ever see masked text."""
    pii = cfg.redaction()  # rejected/ and removed/ of the steps before `pii` are masked by their writers
    blocks: list[PipelineStep] = [
        READERS[fmt](
            str(inputs.root),
            str(out / "rejected"),
            cfg.reader,
            paths_file=str(paths_file),
            progress=progress,
            ids_folder=str(out / "logs" / READ_IDS),
        )  # fmt: skip
        for fmt, paths_file in paths_files.items()
    ]
    for reader in blocks:
        if hasattr(reader, "pii"):
            reader.pii = pii
    for step in cfg.steps:
        if not step.enabled:
            continue
        step_type = STEP_TYPES[step.name]
        writer = (
            RemovedWriter(str(out / "removed"), step.name, compression=cfg.output.compression, pii=pii)
            if step_type.drops
            else None
        )
        if step.name == "pii":
            pii = None  # documents removed after the pii step are masked already: no second scan
        extra = {"stats_folder": str(out / "stats")} if step_type.writes_stats else {}
        blocks.append(step_type.block(step.config, exclusion_writer=writer, **extra))
    if any(s.name == "morph_stats" and s.enabled and s.config.frequencies for s in cfg.steps):
        from kocorpus.stats.morph_stats import SurvivorMorphemes

        blocks.append(SurvivorMorphemes(str(out / "stats")))
    blocks.append(KeptWriter(str(out / kept_folder), compression=cfg.output.compression))
    return blocks
