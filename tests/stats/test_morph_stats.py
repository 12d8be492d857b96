"""MorphStats / SurvivorMorphemes corpus frequencies against a plain Counter reference (same rows, same order)."""

import random
from collections import Counter

import pyarrow.parquet as pq
from datatrove.data import Document

from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY, KiwiAnalysis
from kocorpus.stats.morph_stats import MorphStats, SurvivorMorphemes

TAGS = ["NNG", "NNP", "JKS", "JKO", "VV", "EP", "EF", "SF", "SL", "SN"]


def _doc(i: int, rng: random.Random, vocab: int) -> Document:
    n = rng.choice([0, 1, 5, 40, 300])
    forms = [f"형태{rng.randrange(vocab)}" for _ in range(n)]
    tags = [rng.choice(TAGS) for _ in range(n)]
    text = " ".join(forms)
    a = KiwiAnalysis(text_len=len(text), words=forms, forms=forms, tags=tags, starts=[0] * n, ends=[0] * n)
    a.sents = sorted(rng.randrange(3) for _ in range(n))
    return Document(text=text, id=str(i), metadata={ANALYSIS_KEY: a})


def _reference(docs: list[Document]) -> list[tuple]:
    counts: Counter = Counter()
    df: Counter = Counter()
    for d in docs:
        a = d.metadata[ANALYSIS_KEY]
        pairs = list(zip(a.forms, a.tags, strict=True))
        counts.update(pairs)
        df.update(set(pairs))
    return [(f, t, counts[f, t], df[f, t]) for f, t in counts]


def _rows(path) -> list[tuple]:
    t = pq.read_table(path)
    return list(zip(*(t.column(c).to_pylist() for c in ("form", "tag", "count", "docs")), strict=True))


def test_frequencies_match_a_counter_in_order(tmp_path):
    rng = random.Random(7)
    docs = [_doc(i, rng, vocab=3000) for i in range(400)]  # > 1024 distinct pairs: the arrays grow
    survivors = {d.id for d in docs if rng.random() < 0.6}
    out = tmp_path / "stats"
    kept = list(
        SurvivorMorphemes(str(out)).run(
            d for d in MorphStats(stats_folder=str(out)).run(iter(docs)) if d.id in survivors
        )
    )
    assert [d.id for d in kept] == [d.id for d in docs if d.id in survivors]
    analysed = _rows(out / "morphemes" / "analysed_00000.parquet")
    assert len(analysed) > 1024
    assert analysed == _reference(docs)
    assert _rows(out / "morphemes" / "filtered_00000.parquet") == _reference(kept)
    assert all(d.metadata["ttr"] * d.metadata["n_morphemes"] == len(set(zip(d.metadata[ANALYSIS_KEY].forms,
               d.metadata[ANALYSIS_KEY].tags, strict=True))) for d in kept if d.metadata["n_morphemes"])  # fmt: skip


def test_no_survivors_writes_an_empty_table(tmp_path):
    rng = random.Random(1)
    docs = [_doc(i, rng, vocab=50) for i in range(20)]
    out = tmp_path / "stats"
    assert (
        list(SurvivorMorphemes(str(out)).run(d for d in MorphStats(stats_folder=str(out)).run(iter(docs)) if False))
        == []
    )
    assert _rows(out / "morphemes" / "filtered_00000.parquet") == []
    assert _rows(out / "morphemes" / "analysed_00000.parquet") == _reference(docs)


def _run(docs, survivors, out):
    return list(
        SurvivorMorphemes(str(out)).run(
            d for d in MorphStats(stats_folder=str(out)).run(iter(docs)) if d.id in survivors
        )
    )


def _table(folder) -> list[tuple]:
    import duckdb

    from kocorpus.stats.store import _morphemes

    con = duckdb.connect()
    _morphemes(con, folder)
    return con.execute("SELECT * FROM morphemes").fetchall()


def test_vocabulary_beyond_the_cap_is_written_in_parts_that_sum_to_the_same_table(tmp_path, monkeypatch):
    from kocorpus.stats import morph_stats

    rng = random.Random(3)
    docs = [_doc(i, rng, vocab=3000) for i in range(300)]
    survivors = {d.id for d in docs if rng.random() < 0.6}
    _run(docs, survivors, tmp_path / "whole")
    monkeypatch.setattr(morph_stats, "MAX_PAIRS", 700)  # a new part every ≈ 700 distinct pairs
    capped = tmp_path / "capped"
    for d in docs:
        d.metadata = {ANALYSIS_KEY: d.metadata[ANALYSIS_KEY]}
    _run(docs, survivors, capped)
    parts = sorted(p.name for p in (capped / "morphemes").glob("analysed_*.parquet"))
    assert len(parts) > 3 and parts[:2] == ["analysed_00000.parquet", "analysed_00000_001.parquet"]
    assert len(list((capped / "morphemes").glob("filtered_*.parquet"))) == len(parts)
    assert all(len(_rows(capped / "morphemes" / p)) < 700 + 300 for p in parts)  # one document past the cap at most
    whole = _table(tmp_path / "whole" / "morphemes")
    assert len(whole) > 2000 and _table(capped / "morphemes") == whole
