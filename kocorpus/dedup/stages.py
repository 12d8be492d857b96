"""The MinHash near-dedup stages after the filter stage (datatrove's 4-stage MinHash, Korean signatures).

filter stage → OUT/filtered → 1 signatures (KoreanMinhashSignature) → 2 buckets → 3 clusters → 4 filter:
OUT/kept (with `minhash_cluster_size`, `minhash_cluster_id`) and OUT/removed/minhash (reason `near_duplicate`).
Stages 1 and 4 read OUT/filtered with the same task count, as datatrove requires. Within a cluster datatrove
keeps the document that comes first in (filtered file, position) order — the representative can therefore
differ with the task count; the set of clusters does not.
"""

from pathlib import Path

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from kocorpus.dedup.minhash_signature import KoreanMinhashSignature, MinhashDedupConfig
from kocorpus.readers.filtered import FilteredReader
from kocorpus.writers import KeptWriter, RemovedWriter

STEP = "minhash"


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


def minhash_stages(out: Path, cfg: MinhashDedupConfig, tasks: int, compression: str) -> list[tuple[str, list, int]]:
    """[(stage name, pipeline blocks, tasks)] in execution order."""
    from datatrove.pipeline.dedup.minhash import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter

    work = out / "dedup" / "minhash"
    dt = cfg.to_datatrove()
    return [
        (
            "minhash_signatures",
            [FilteredReader(str(out / "filtered")), KoreanMinhashSignature(str(work / "signatures"), cfg)],
            tasks,
        ),
        (
            "minhash_buckets",
            [MinhashDedupBuckets(str(work / "signatures"), str(work / "buckets"), config=dt)],
            cfg.num_buckets,
        ),
        (
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
        ),  # fmt: skip
        (
            "minhash_filter",
            [
                FilteredReader(str(out / "filtered")),
                MinhashDedupFilter(
                    str(work / "remove_ids"),
                    exclusion_writer=RemovedWriter(
                        str(out / "removed"), STEP, compression=compression, default_reason="near_duplicate"
                    ),
                    load_cluster_ids=True,
                    load_cluster_sizes=True,
                ),
                KeptWriter(str(out / "kept"), compression=compression),
            ],
            tasks,
        ),
    ]
