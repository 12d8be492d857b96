"""Hangul-ratio filter: the default keeps Korean technical prose and drops English and code."""

import json

from conftest import DATA
from datatrove.data import Document

from kocorpus.filters import HangulRatioConfig, HangulRatioFilter
from kocorpus.pipeline_config import load_pipeline


def default_min_ratio() -> float:
    _, cfg = load_pipeline("korean_web")
    return cfg.step("hangul_ratio").config.min_ratio


def test_default_keeps_all_korean_including_technical(ko_docs, technical_docs):
    block = HangulRatioFilter(HangulRatioConfig(min_ratio=default_min_ratio()))
    docs = [Document(text=d["text"], id=d["id"]) for d in ko_docs + technical_docs]
    kept = list(block.run(iter(docs)))
    assert len(kept) == len(docs)
    assert (
        min(d.metadata["hangul_ratio"] for d in kept if d.id in {t["id"] for t in technical_docs}) < 0.6
    )  # really mixed text in there


def test_default_drops_english_and_code(en_docs):
    code = [json.loads(line) for line in (DATA / "code_small.jsonl").read_text().splitlines()]
    block = HangulRatioFilter(HangulRatioConfig(min_ratio=default_min_ratio()))
    docs = [Document(text=d["text"], id=d["id"]) for d in en_docs + code]
    assert list(block.run(iter(docs))) == []
    assert block.stats.stats["dropped_low_hangul_ratio"].total == len(docs)
