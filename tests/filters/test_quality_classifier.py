"""The fasttext quality classifier: training through the CLI on Kiwi features, scoring in the pipeline step."""

import json
import random

import pytest
from datatrove.data import Document

from kocorpus.analysis import KiwiAnalyzer, KiwiConfig
from kocorpus.cli import main
from kocorpus.config import ConfigError
from kocorpus.evaluation import quality_synthetic as synthetic
from kocorpus.filters.quality_classifier import DEMO_MODEL, QualityClassifierConfig, QualityClassifierFilter
from kocorpus.quality.features import fasttext_line


def test_features_are_kiwi_units_then_tags():
    (a,) = KiwiAnalyzer(KiwiConfig()).analyze(["GPU로 학습했다.\n좋다"])
    line = fasttext_line(a)
    assert "\n" not in line and line.startswith("gpu 로 학습")
    assert line.split()[len(a.words) :] == ["_" + t for t in a.tags]


def test_train_cli_then_score_in_the_step(tmp_path, ko_docs):
    rng = random.Random(0)
    pos = [d["text"] for d in ko_docs]
    neg = [synthetic.jamo_noise(rng) for _ in range(20)] + [synthetic.mojibake(t, rng) for t in pos[:20]]
    for name, texts in (("pos", pos), ("neg", neg)):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts))
    model = tmp_path / "q.bin"
    args = ["quality", "train", "--pos", str(tmp_path / "pos.jsonl"), "--neg", str(tmp_path / "neg.jsonl")]
    assert main([*args, "--output", str(model), "--epoch", "10"]) == 0
    assert model.is_file()
    block = QualityClassifierFilter(QualityClassifierConfig(model=str(model), threshold=0.5))
    docs = [Document(text=t, id=str(i)) for i, t in enumerate([pos[0], synthetic.jamo_noise(random.Random(9))])]
    kept = list(block.run(KiwiAnalyzer(KiwiConfig()).run(iter(docs))))
    assert 0.0 <= docs[1].metadata["quality_score"] <= 1.0
    assert docs[0].metadata["quality_score"] > docs[1].metadata["quality_score"]
    assert [d.id for d in kept] == ["0"]


def test_demo_model_ships_and_separates_prose_from_word_salad(ko_docs):
    assert DEMO_MODEL.is_file() and DEMO_MODEL.stat().st_size < 5_000_000
    rng = random.Random(1)
    prose = [d["text"] for d in ko_docs if d["id"].startswith(("klue", "kornli", "ud_korean"))]
    salad = [synthetic.word_salad(t, rng) for t in prose]
    block = QualityClassifierFilter(QualityClassifierConfig(threshold=None))
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(prose + salad)]
    list(block.run(KiwiAnalyzer(KiwiConfig()).run(iter(docs))))
    scores = [d.metadata["quality_score"] for d in docs]
    good, bad = scores[: len(prose)], scores[len(prose) :]
    assert sum(s >= 0.5 for s in good) >= 0.9 * len(good)
    assert sum(s < 0.5 for s in bad) >= 0.7 * len(bad)


def test_missing_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="model: no such file"):
        QualityClassifierConfig(model=str(tmp_path / "nope.bin"))


def test_train_from_a_runs_decisions(sample_run, tmp_path, capsys):
    model = tmp_path / "from_run.bin"
    args = ["quality", "train", "--from-run", str(sample_run), "--output", str(model), "--epoch", "5"]
    assert main([*args, "--max-per-class", "300"]) == 0
    printed = capsys.readouterr().out
    assert "labels: kept documents positive, removed by" in printed and "spam" in printed
    assert "held-out hq precision" in printed and model.is_file()
    sources = ["--pos-source", "generated:pii", "--neg-source", "generated:boilerplate-wrapped"]
    assert main([*args, *sources]) == 0
    assert "by source" in capsys.readouterr().out
    assert main([*args, "--neg-steps", "no_such_step"]) == 2
    assert main([*args, "--pos-source", "x"]) == 2


def test_default_threshold_records_without_dropping(ko_docs):
    block = QualityClassifierFilter(QualityClassifierConfig())
    assert block.config.threshold is None
    rng = random.Random(3)
    docs = [Document(text=synthetic.word_salad(d["text"], rng), id=d["id"]) for d in ko_docs[:10]]
    kept = list(block.run(KiwiAnalyzer(KiwiConfig()).run(iter(docs))))
    assert len(kept) == len(docs) and all(0 <= d.metadata["quality_score"] <= 1 for d in kept)
