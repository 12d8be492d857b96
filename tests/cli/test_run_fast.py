"""`korean_web_fast` (mecab-ko analysis) end to end, and that it differs from `korean_web` only in the analyzer."""

import json

import duckdb
import yaml
from conftest import DATA, REPO

from kocorpus.cli import main
from kocorpus.config import to_dict
from kocorpus.pipeline_config import load_pipeline

FAST = str(REPO / "pipelines" / "korean_web_fast.yaml")


def test_fast_pipeline_differs_from_korean_web_only_in_the_analyzer():
    _, base = load_pipeline("korean_web")
    _, fast = load_pipeline("korean_web_fast")
    assert [s.name for s in base.steps] == [s.name for s in fast.steps]
    for a, b in zip(base.steps, fast.steps, strict=True):
        if a.name in ("analyze", "kiwi"):
            assert (a.config.backend, b.config.backend) == ("kiwi", "mecab")
        else:
            assert to_dict(a.config) == to_dict(b.config), a.name
    assert to_dict(base.reader) == to_dict(fast.reader) and to_dict(base.dedup) == to_dict(fast.dedup)
    assert yaml.safe_load(open(FAST))["name"] == "korean_web_fast"


def test_fast_pipeline_end_to_end(tmp_path):
    out = tmp_path / "out"
    inputs = [str(DATA / f) for f in ("ko_small.jsonl", "spam_pages.jsonl", "en_small.jsonl", "noise_small.jsonl")]
    args = ["run", FAST, "--no-progress", "--output", str(out), "--tasks", "2"]
    assert main([*args, "--input", *inputs]) == 0
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["identity_ok"] and funnel["kept"] > 0 and funnel["removed_total"] > 0
    assert json.loads((out / "run.json").read_text())["analyzer"] == {
        "step": "analyze", "backend": "mecab", "model": "mecab-ko-dic"
    }  # fmt: skip
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    assert dict(con.execute("SELECT key, value FROM run_info").fetchall())["analyzer_backend"] == "mecab"
    # morphology signals and the morphemes table come from the mecab analysis, in Kiwi's tag set
    n, with_stats = con.execute("SELECT count(*), count(n_morphemes) FROM documents WHERE status = 'kept'").fetchone()
    assert n > 0 and with_stats == n
    tags = {t for (t,) in con.execute("SELECT DISTINCT tag FROM morphemes").fetchall()}
    assert {"NNG", "JKS", "EF", "SF", "NNB"} <= tags and not tags & {"NNBC", "SC", "SY"}
    assert not any("+" in t for t in tags)
