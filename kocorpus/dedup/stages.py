"""The dedup stages after the filter stage, on the same executor: url → exact → MinHash → lines (each optional).

filter stage → OUT/filtered → [url: 3 stages] → [exact: 3 stages] → [minhash: 4 stages] → [lines: 3 stages] →
OUT/kept. Every family reads the previous family's output (OUT/dedup/<family>/out, the last one writes
OUT/kept) with the same task count, so its signature and filter stages see the same documents in the same
order, as datatrove requires. Removed documents go to OUT/removed/<family>/.

MinHash: datatrove's 4 stages with KoreanMinhashSignature; the kept document of a cluster records
`minhash_cluster_size` and `minhash_cluster_id`. Within a cluster datatrove keeps the document that comes
first in (file, position) order — the representative can therefore differ with the task count; the set of
clusters does not. The exact/url families keep the copy whose id hashes highest (task-count independent).
"""

from dataclasses import dataclass
from pathlib import Path

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from kocorpus.dedup.minhash_signature import KoreanMinhashSignature, MinhashDedupConfig
from kocorpus.readers.filtered import FilteredReader
from kocorpus.writers import KeptWriter, RemovedWriter

STEP = "minhash"
FAMILIES = ("url", "exact", "minhash", "line_dedup")
REASONS = {"url": "duplicate_url", "exact": "exact_duplicate", "minhash": "near_duplicate",
           "line_dedup": "short_after_line_dedup"}  # fmt: skip
# what a signature stage reads of the previous stage's Parquet (the url is inside the `metadata` JSON column)
SIGNATURE_COLUMNS = {"url": ("id", "text", "metadata"), "exact": ("id", "text"), "minhash": ("id", "text"),
                     "line_dedup": ("id", "text")}  # fmt: skip


@dataclass
class Stage:
    """One executor stage: its blocks, task count, and the folder of documents it needs (None: no input)."""

    name: str
    blocks: list
    tasks: int
    needs: Path | None = None


class EnsureRankFiles(PipelineStep):
    """Create empty `.remove` / `.clusters` / `.sizes` files for every filter-stage rank that has none.

    datatrove's MinhashDedupFilter skips loading cluster ids and sizes for a rank without a `.remove` file and
    fails for one without `.clusters`; a rank whose documents have no duplicate has neither."""

    name = "🗂 MinHash rank files"
    type = "🫂 - DEDUP"

    def __init__(self, folder: str, tasks: int):
        super().__init__()
        self.folder, self.tasks = folder, tasks

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data:
            yield from data
        from datatrove.io import get_datafolder

        folder = get_datafolder(self.folder)  # local or remote, like the stages around it
        for r in range(self.tasks):
            for ext in ("remove", "clusters", "sizes"):
                if not folder.exists(f"{r:06d}.{ext}"):
                    folder.open(f"{r:06d}.{ext}", "wb").close()


def enabled_families(dedup) -> list[str]:
    """Dedup families switched on in a DedupConfig, in execution order."""
    on = {"url": dedup.url.enabled, "exact": dedup.exact.enabled, "minhash": dedup.minhash.enabled,
          "line_dedup": dedup.lines.enabled}  # fmt: skip
    return [f for f in FAMILIES if on[f]]


def family_output(out: Path, dedup, family: str) -> Path:
    """Folder the family's surviving documents are written to (OUT/kept for the last one)."""
    families = enabled_families(dedup)
    return out / "kept" if family == families[-1] else out / "dedup" / family / "out"


def dedup_stages(out: Path, dedup, tasks: int, compression: str) -> list[Stage]:
    """Stages of every enabled dedup family, chained from OUT/filtered to OUT/kept (their documents passed the
    filter chain, and so its pii step when it has one: removed/<family>/ holds masked text)."""
    stages: list[Stage] = []
    source = out / "filtered"
    for family in enabled_families(dedup):
        target = family_output(out, dedup, family)
        removed = RemovedWriter(str(out / "removed"), family, compression=compression, default_reason=REASONS[family])
        kept = KeptWriter(str(target), compression=compression)
        if family == "minhash":
            stages += minhash_stages(out, dedup.minhash, tasks, source, removed, kept)
        elif family == "line_dedup":
            stages += line_stages(out, dedup.lines, tasks, source, removed, kept)
        else:
            stages += exact_stages(out, family, getattr(dedup, family), tasks, source, removed, kept)
        source = target
    return stages


def exact_stages(out: Path, family: str, cfg, tasks: int, source: Path, removed, kept) -> list[Stage]:
    from datatrove.pipeline.dedup.exact_dedup import ExactFindDedups

    from kocorpus.dedup.exact import ExactFamilyFilter, KeyedExactSignature, make_config

    work = out / "dedup" / family
    config = make_config(family)
    return [
        Stage(
            f"{family}_signatures",
            [
                FilteredReader(str(source), columns=SIGNATURE_COLUMNS[family]),
                KeyedExactSignature(str(work / "signatures"), config, finder_workers=cfg.finder_workers),
            ],
            tasks,
            source,
        ),  # fmt: skip
        Stage(
            f"{family}_find",
            [ExactFindDedups(str(work / "signatures"), str(work / "dups"), config)],
            cfg.finder_workers,
            source,
        ),  # fmt: skip
        Stage(
            f"{family}_filter",
            [
                FilteredReader(str(source)),
                ExactFamilyFilter(str(work / "dups"), family, exclusion_writer=removed),
                kept,
            ],
            tasks,
            source,
        ),  # fmt: skip
    ]


def line_stages(out: Path, cfg, tasks: int, source: Path, removed, kept) -> list[Stage]:
    from datatrove.pipeline.dedup.sentence_dedup import SentenceFindDedups

    from kocorpus.dedup.lines import LineDedupFilter, LineDedupSignature

    work = out / "dedup" / "line_dedup"
    return [
        Stage(
            "line_signatures",
            [
                FilteredReader(str(source), columns=SIGNATURE_COLUMNS["line_dedup"]),
                LineDedupSignature(str(work / "signatures"), cfg),
            ],
            tasks,
            source,
        ),  # fmt: skip
        Stage(
            "line_find",
            [SentenceFindDedups(str(work / "signatures"), str(work / "dups"), config=cfg.to_datatrove())],
            cfg.finder_workers,
            source,
        ),  # fmt: skip
        Stage(
            "line_filter",
            [FilteredReader(str(source)), LineDedupFilter(str(work / "dups"), cfg, exclusion_writer=removed), kept],
            tasks,
            source,
        ),  # fmt: skip
    ]


def minhash_stages(out: Path, cfg: MinhashDedupConfig, tasks: int, source: Path, removed, kept) -> list[Stage]:
    """datatrove's four MinHash stages over `source`."""
    from datatrove.pipeline.dedup.minhash import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter

    work = out / "dedup" / "minhash"
    dt = cfg.to_datatrove()
    return [
        Stage(
            "minhash_signatures",
            [
                FilteredReader(str(source), columns=SIGNATURE_COLUMNS["minhash"]),
                KoreanMinhashSignature(str(work / "signatures"), cfg),
            ],
            tasks,
            source,
        ),  # fmt: skip
        Stage(
            "minhash_buckets",
            [MinhashDedupBuckets(str(work / "signatures"), str(work / "buckets"), config=dt)],
            cfg.num_buckets,
            source,
        ),  # fmt: skip
        Stage(
            "minhash_clusters",
            [
                MinhashDedupCluster(
                    str(work / "buckets"),
                    str(work / "remove_ids"),
                    config=dt,
                    save_cluster_id=True,
                    save_cluster_size=True,
                ),
                EnsureRankFiles(str(work / "remove_ids"), tasks),
            ],
            1,
            source,
        ),  # fmt: skip
        Stage(
            "minhash_filter",
            [
                FilteredReader(str(source)),
                MinhashDedupFilter(
                    str(work / "remove_ids"), exclusion_writer=removed, load_cluster_ids=True, load_cluster_sizes=True
                ),
                kept,
            ],
            tasks,
            source,
        ),  # fmt: skip
    ]
