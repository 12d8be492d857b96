"""MorphStats: per-document morphology statistics from the Kiwi analysis (no second analysis) and corpus-level
morpheme frequencies, mergeable across tasks.

Per document (signals, so kept and later-removed documents carry them): n_morphemes, n_sentences, pos_counts
(JSON tag → count), noun / particle / ending / foreign (SL) / Hanja (SH) ratios (fractions of morphemes),
mean_sent_morphemes (morphemes per sentence) and ttr (distinct form/tag pairs ÷ morphemes). Per task, at the
end: OUT/stats/morphemes/analysed_RRRRR.parquet with (form, tag, count, docs) over every document this step saw;
`SurvivorMorphemes` writes filtered_RRRRR.parquet for the documents that passed every filter step.
"""

from collections import Counter
from dataclasses import dataclass

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from kocorpus.analysis.kiwi_analysis import get_analysis

NOUNS = frozenset({"NNG", "NNP", "NNB", "NR", "NP"})
COUNTS_KEY = "_morph_counts"  # private: (form, tag) Counter of the document, for SurvivorMorphemes


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


def write_frequencies(folder: str, name: str, counts: Counter, docs: Counter) -> None:
    """(form, tag, count, docs) rows → `folder`/name.parquet (local or remote datatrove folder)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datatrove.io import get_datafolder

    keys = list(counts)
    table = pa.table(
        {
            "form": pa.array([k[0] for k in keys], pa.string()),
            "tag": pa.array([k[1] for k in keys], pa.string()),
            "count": pa.array([counts[k] for k in keys], pa.int64()),
            "docs": pa.array([docs[k] for k in keys], pa.int64()),
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
        counts: Counter = Counter()
        docs: Counter = Counter()
        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                a = get_analysis(doc)
                mine = Counter(zip(a.forms, a.tags, strict=True))
                doc.metadata.update(doc_stats(a.forms, a.tags, a.sents, mine))
                if self.config.frequencies:  # iterables, not Counters: Counter.update counts those in C
                    counts.update(zip(a.forms, a.tags, strict=True))
                    docs.update(mine.keys())
                    doc.metadata[COUNTS_KEY] = mine
                self.stat_update("morphemes", value=len(a.tags))
            yield doc
        if self.config.frequencies and self.stats_folder:
            write_frequencies(f"{self.stats_folder}/morphemes", f"analysed_{rank:05d}", counts, docs)


class SurvivorMorphemes(PipelineStep):
    """Before the kept writer of the filter stage: morpheme frequencies of the documents that passed every filter
    step (before dedup) → OUT/stats/morphemes/filtered_RRRRR.parquet."""

    name = "📊 Morphemes of survivors"
    type = "📊 - STATS"

    def __init__(self, stats_folder: str):
        super().__init__()
        self.stats_folder = stats_folder

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        counts: Counter = Counter()
        docs: Counter = Counter()
        for doc in data:
            mine = doc.metadata.pop(COUNTS_KEY, None)
            if mine:
                counts.update(mine.elements())  # an iterable: counted in C (a Counter argument is a Python loop)
                docs.update(mine.keys())
            yield doc
        write_frequencies(f"{self.stats_folder}/morphemes", f"filtered_{rank:05d}", counts, docs)
