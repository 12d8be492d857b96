"""The shipped pipeline files that claim to be korean_web plus something stay in step with korean_web.yaml."""

from pathlib import Path

import pytest
import yaml

PIPELINES = Path(__file__).resolve().parents[1] / "pipelines"
WEB_STEPS = ["url_filter", "content_type", "extract"]  # korean_cc.yaml: HTML-level steps before the Korean chain


def _load(name: str) -> dict:
    return yaml.safe_load((PIPELINES / name).read_text(encoding="utf-8"))


def test_korean_cc_is_web_steps_then_korean_web():
    web, cc = _load("korean_web.yaml"), _load("korean_cc.yaml")
    names = [next(iter(s)) for s in cc["steps"]]
    assert names[: len(WEB_STEPS)] == WEB_STEPS
    assert cc["steps"][len(WEB_STEPS) :] == web["steps"], "korean_cc.yaml's Korean chain drifted from korean_web"
    assert cc["dedup"] == web["dedup"] and cc["output"] == web["output"]


@pytest.mark.parametrize("name", ["korean_web_fast.yaml"])
def test_fast_pipeline_differs_only_in_the_analyzer(name):
    if not (PIPELINES / name).exists():
        pytest.skip(f"{name} not shipped")
    web, fast = _load("korean_web.yaml"), _load(name)
    assert fast["dedup"] == web["dedup"]
    web_names = [next(iter(s)) for s in web["steps"]]
    fast_names = [next(iter(s)) for s in fast["steps"]]
    assert fast_names == web_names
    differing = [n for n, a, b in zip(web_names, web["steps"], fast["steps"], strict=True) if a != b]
    assert set(differing) <= {"analyze", "kiwi"}, f"{name} differs from korean_web.yaml in {differing}"
