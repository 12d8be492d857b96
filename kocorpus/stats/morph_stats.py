"""MorphStats: per-document morphology statistics from the Kiwi analysis (no second analysis) and corpus-level
morpheme frequencies, mergeable across tasks.

Per document (signals, so kept and later-removed documents carry them): n_morphemes, n_sentences, pos_counts
(JSON tag → count), noun / particle / ending / foreign (SL) / Hanja (SH) ratios (fractions of morphemes),
mean_sent_morphemes (morphemes per sentence) and ttr (distinct form/tag pairs ÷ morphemes). Per task, at the
end: OUT/stats/morphemes/analysed_RRRRR.parquet with (form, tag, count, docs) over every document this step saw;
`SurvivorMorphemes` writes filtered_RRRRR.parquet for the documents that passed every filter step. A task whose
vocabulary outgrows `MAX_PAIRS` writes further parts (analysed_RRRRR_001.parquet, …, and the matching filtered
parts) and starts afresh, so its memory stays bounded; the store sums the parts per (form, tag).
"""

from collections import Counter
from dataclasses import dataclass
from itertools import filterfalse

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from kocorpus.analysis.kiwi_analysis import get_analysis

NOUNS = frozenset({"NNG", "NNP", "NNB", "NR", "NP"})
COUNTS_KEY = "_morph_counts"  # private: (PairIndex, pair ids, counts) of the document, for SurvivorMorphemes
MAX_PAIRS = 500_000  # distinct (form, tag) pairs per part (a PairIndex's memory grows with them): beyond, a new part


@dataclass(kw_only=True)
class MorphStatsConfig:
    """`morph_stats` step: no thresholds; it only measures."""

    frequencies: bool = True
    """Write corpus-level morpheme frequencies under OUT/stats/morphemes/."""


def doc_stats(forms: list[str], tags: list[str], sents: list[int], pairs: Counter | None = None) -> dict:
    """The per-document statistics of one analysis (see the module docstring); `pairs` is the (form, tag)
    Counter of the analysis when the caller already has it."""
    n = len(tags)
    pairs = pairs if pairs is not None else Counter(zip(forms, tags, strict=True))
    pos = Counter(tags)  # counted in C
    n_sent = len(set(sents)) if sents else 0

    def ratio(count: int) -> float:
        return count / n if n else 0.0

    return {
        "n_morphemes": n,
        "n_sentences": n_sent,
        "pos_counts": dict(sorted(pos.items())),
        "noun_ratio": ratio(sum(pos[t] for t in NOUNS)),
        "particle_ratio": ratio(sum(c for t, c in pos.items() if t[0] == "J")),
        "ending_ratio": ratio(sum(c for t, c in pos.items() if t[0] == "E")),
        "foreign_ratio": ratio(pos["SL"]),
        "hanja_ratio": ratio(pos["SH"]),
        "mean_sent_morphemes": n / n_sent if n_sent else 0.0,
        "ttr": ratio(len(pairs)),
    }


class PairIndex:
    """Task-wide ids of (form, tag) pairs, in order of first appearance, with their corpus counts and document
    frequencies as growing int64 arrays: a document's distinct pairs are looked up once
    and summed with numpy, instead of every morpheme being counted again in a task-wide Counter."""

    def __init__(self) -> None:
        import numpy as np

        self.keys: list[tuple[str, str]] = []
        self._ids: dict[tuple[str, str], int] = {}
        self.counts = np.zeros(1024, dtype=np.int64)
        self.docs = np.zeros(1024, dtype=np.int64)

    def add(self, mine: Counter):
        """(ids, counts) of the document's pairs `mine` as int64 arrays in `mine`'s order; adds them to the
        totals."""
        import numpy as np

        ids = self._ids
        new = list(filterfalse(ids.__contains__, mine))
        if new:
            ids.update(zip(new, range(len(self.keys), len(self.keys) + len(new)), strict=True))
            self.keys += new
            if len(self.keys) > len(self.counts):
                size = max(2 * len(self.counts), len(self.keys))
                self.counts, self.docs = grown(self.counts, size), grown(self.docs, size)
        pair_ids = np.fromiter(map(ids.__getitem__, mine), dtype=np.int64, count=len(mine))
        values = np.fromiter(mine.values(), dtype=np.int64, count=len(mine))
        self.counts[pair_ids] += values  # ids are distinct within a document
        self.docs[pair_ids] += 1
        return pair_ids, values


def grown(array, size: int):
    """`array` zero-padded to `size` elements."""
    import numpy as np

    out = np.zeros(size, dtype=array.dtype)
    out[: len(array)] = array
    return out


def part_name(prefix: str, rank: int, part: int) -> str:
    """File stem of a frequency part: `analysed_00003` for the first part of rank 3, `analysed_00003_001` after."""
    return f"{prefix}_{rank:05d}" + (f"_{part:03d}" if part else "")


def write_frequencies(folder: str, name: str, keys: list[tuple[str, str]], counts, docs) -> None:
    """(form, tag, count, docs) rows → `folder`/name.parquet (local or remote datatrove folder); `counts` and
    `docs` are int64 arrays, their first len(keys) elements aligned with `keys`."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datatrove.io import get_datafolder

    table = pa.table(
        {
            "form": pa.array([k[0] for k in keys], pa.string()),
            "tag": pa.array([k[1] for k in keys], pa.string()),
            "count": pa.array(counts[: len(keys)], pa.int64()),
            "docs": pa.array(docs[: len(keys)], pa.int64()),
        }
    )
    with get_datafolder(folder).open(f"{name}.parquet", "wb") as f:
        pq.write_table(table, f, compression="zstd")


class MorphStats(PipelineStep):
    """Records the morphology signals of each document; sums morpheme frequencies per task."""

    name = "📊 Morphology stats"
    type = "📊 - STATS"

    def __init__(self, config: MorphStatsConfig | None = None, exclusion_writer=None, stats_folder: str | None = None):
        super().__init__()
        self.config = config or MorphStatsConfig()
        self.stats_folder = stats_folder

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        index, part = PairIndex(), 0
        write = self.config.frequencies and self.stats_folder
        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                a = get_analysis(doc)
                mine = Counter(zip(a.forms, a.tags, strict=True))
                doc.metadata.update(doc_stats(a.forms, a.tags, a.sents, mine))
                if self.config.frequencies and mine:
                    if len(index.keys) >= MAX_PAIRS:  # this part is full: written, and a fresh index
                        if write:
                            self._write(index, rank, part)
                        index, part = PairIndex(), part + 1
                        self.stat_update("frequency_parts")
                    doc.metadata[COUNTS_KEY] = (index, *index.add(mine))
                self.stat_update("morphemes", value=len(a.tags))
            yield doc
        if write:
            self._write(index, rank, part)

    def _write(self, index: PairIndex, rank: int, part: int) -> None:
        name = part_name("analysed", rank, part)
        write_frequencies(f"{self.stats_folder}/morphemes", name, index.keys, index.counts, index.docs)


class SurvivorMorphemes(PipelineStep):
    """Before the kept writer of the filter stage: morpheme frequencies of the documents that passed every filter
    step (before dedup) → OUT/stats/morphemes/filtered_RRRRR.parquet."""

    name = "📊 Morphemes of survivors"
    type = "📊 - STATS"

    def __init__(self, stats_folder: str):
        super().__init__()
        self.stats_folder = stats_folder

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        import numpy as np

        index, order = None, []  # the analysing task's PairIndex; arrays of ids in order of first appearance here
        counts = docs = seen = np.zeros(0, dtype=np.int64)
        part = 0
        for doc in data:
            entry = doc.metadata.pop(COUNTS_KEY, None)
            if entry:
                if index is not None and entry[0] is not index:  # MorphStats started a new part: so does this
                    self._write(index, order, counts, docs, rank, part)
                    order, part = [], part + 1
                    counts = docs = seen = np.zeros(0, dtype=np.int64)
                index, ids, values = entry
                if len(index.keys) > len(counts):
                    size = max(2 * len(counts), len(index.keys))
                    counts, docs, seen = grown(counts, size), grown(docs, size), grown(seen, size)
                new = ids[seen[ids] == 0]
                if len(new):
                    order.append(new)
                    seen[new] = 1
                counts[ids] += values
                docs[ids] += 1
            yield doc
        self._write(index, order, counts, docs, rank, part)

    def _write(self, index: PairIndex | None, order: list, counts, docs, rank: int, part: int) -> None:
        import numpy as np

        ids = np.concatenate(order) if order else np.zeros(0, dtype=np.int64)
        keys = [index.keys[i] for i in ids.tolist()] if index is not None else []
        name = part_name("filtered", rank, part)
        write_frequencies(f"{self.stats_folder}/morphemes", name, keys, counts[ids], docs[ids])
