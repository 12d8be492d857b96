"""Pipeline YAML: typed, validated at start-up, errors name the key; --set overrides."""

import pytest
import yaml

from kocorpus.config import ConfigError
from kocorpus.pipeline_config import load_pipeline, parse_pipeline

BASE = {"name": "t", "steps": [{"normalize": {}}, {"language": {"threshold": 0.6}}, {"hangul_ratio": {}}]}


def raw_step(raw: dict, name: str) -> dict:
    return next(s[name] for s in raw["steps"] if name in s)


def test_shipped_pipeline_loads_with_thresholds_from_yaml():
    path, cfg = load_pipeline("korean_web")
    raw = yaml.safe_load(path.read_text())
    names = [s.name for s in cfg.steps]
    assert names[:4] == ["pii", "normalize", "language", "hangul_ratio"] and names.index("analyze") < names.index(
        "quality_classifier"
    )  # pii first: nothing downstream sees raw personal data, invisible characters still separate values
    assert cfg.step("hangul_ratio").config.min_ratio == raw_step(raw, "hangul_ratio")["min_ratio"]
    assert cfg.step("gopher_repetition").config.top_n_grams == raw_step(raw, "gopher_repetition")["top_n_grams"]
    assert cfg.step("language").config.model.endswith("lid.176.ftz")


@pytest.mark.parametrize(
    "data,overrides,match",
    [
        ({**BASE, "stepz": []}, [], r"^stepz: unknown key"),
        ({**BASE, "steps": [{"hangul_ratio": {"min_ration": 0.3}}]}, [], r"^hangul_ratio\.min_ration: unknown key"),
        ({**BASE, "steps": [{"hangul_ratio": {"min_ratio": 1.5}}]}, [], r"^hangul_ratio\.min_ratio: 1\.5 is outside"),
        ({**BASE, "steps": [{"hangul_ratio": {"min_ratio": "high"}}]}, [], r"^hangul_ratio\.min_ratio: expected a"),
        ({**BASE, "steps": [{"language": {"enabled": "yes"}}]}, [], r"^language\.enabled: expected true/false"),
        ({**BASE, "steps": [{"dedup": {}}]}, [], r"^steps\[0\]\.dedup: unknown step"),
        ({**BASE, "reader": {"text_split": "sentence"}}, [], r"^reader\.text_split: 'sentence' is not one of"),
        ({**BASE, "steps": [{"normalize": {"max_jamo_repeat": -1}}]}, [], r"^normalize\.max_jamo_repeat: must be"),
        (BASE, ["language.treshold=0.9"], r"^language\.treshold: unknown key"),
        (BASE, ["quality.threshold=0.9"], r"^quality: unknown section"),
        (BASE, ["language.model=/nonexistent/lid.bin"], r"^language\.model: no such file"),
        (BASE, ["threshold"], r"expected key=value"),
    ],
)
def test_bad_config_fails_naming_the_key(data, overrides, match):
    with pytest.raises(ConfigError, match=match):
        parse_pipeline(data, overrides)


def test_overrides_are_typed():
    cfg = parse_pipeline(BASE, ["hangul_ratio.min_ratio=0.55", "language.enabled=false", "reader.text_key=body"])
    assert cfg.step("hangul_ratio").config.min_ratio == 0.55
    assert cfg.step("language").enabled is False
    assert cfg.reader.text_key == "body"
    assert parse_pipeline(BASE, ["language.languages=[ko, en]"]).step("language").config.languages == ["ko", "en"]


def test_integer_keys_and_text_rewrites_after_kiwi():
    cfg = parse_pipeline(
        {"name": "t", "steps": [{"kiwi": {}}, {"gopher_repetition": {}}]}, ["gopher_repetition.top_n_grams.2=0.3"]
    )
    assert cfg.step("gopher_repetition").config.top_n_grams[2] == 0.3
    with pytest.raises(ConfigError, match="boilerplate: rewrites the text between `kiwi`"):
        parse_pipeline({"name": "t", "steps": [{"kiwi": {}}, {"boilerplate": {}}, {"quality_classifier": {}}]})
    parse_pipeline({"name": "t", "steps": [{"kiwi": {}}, {"quality_classifier": {}}, {"boilerplate": {}}]})


def test_pii_must_come_before_kiwi():
    for steps in (
        [{"kiwi": {}}, {"pii": {}}, {"gopher_quality": {}}],
        [{"kiwi": {}}, {"gopher_quality": {}}, {"pii": {}}],
    ):
        with pytest.raises(ConfigError, match="pii: comes after `kiwi`, so morpheme statistics would count raw"):
            parse_pipeline({"name": "t", "steps": steps})
    cfg = parse_pipeline({"name": "t", "steps": [{"pii": {}}, {"kiwi": {}}, {"gopher_quality": {}}]})
    assert cfg.redaction() is cfg.step("pii").config
    assert parse_pipeline({"name": "t", "steps": [{"pii": {"enabled": False}}]}).redaction() is None
    assert parse_pipeline({"name": "t", "steps": [{"pii": {}}]}, ["output.keep_raw_removed=true"]).redaction() is None
    assert parse_pipeline(BASE).redaction() is None


@pytest.mark.parametrize("pipeline", ["korean_web", "korean_web_fast"])
def test_rules_that_need_no_analysis_run_before_it(pipeline):
    """Documents a rule can remove without morphemes are removed before the analyzer ever sees them."""
    from kocorpus.steps import STEP_TYPES

    _, cfg = load_pipeline(pipeline)
    steps = [s.name for s in cfg.steps if s.enabled]
    at = next(i for i, name in enumerate(steps) if STEP_TYPES[name].analyzes)
    after = [n for n in steps[at + 1 :] if STEP_TYPES[n].drops and not STEP_TYPES[n].needs_kiwi]
    assert after == [], f"{after} need no analysis: run them before `{steps[at]}`"


def test_kiwi_is_the_analyze_steps_earlier_name():
    _, cfg = load_pipeline("korean_web", ["kiwi.threads=2"])  # --set with the earlier name still works
    assert cfg.step("analyze").config.threads == 2 and cfg.step("analyze").config.backend == "kiwi"
    cfg = parse_pipeline({"name": "t", "steps": [{"kiwi": {}}, {"morph_stats": {}}]}, ["analyze.backend=mecab"])
    assert cfg.step("kiwi").config.backend == "mecab"
    with pytest.raises(ConfigError, match="backend"):
        parse_pipeline({"name": "t", "steps": [{"analyze": {"backend": "komoran"}}]})
    with pytest.raises(ConfigError, match="list only one"):
        parse_pipeline({"name": "t", "steps": [{"kiwi": {}}, {"analyze": {}}]})
