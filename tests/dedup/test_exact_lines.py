"""URL, exact and line dedup families wired into `kocorpus run`: removals with `duplicate_of`, counts on the kept
copy, documents without a URL untouched, task-count independence, removed-line counts, config errors."""

from pathlib import Path

import pytest
from conftest import write_jsonl
from test_dedup_run import rows, run

from kocorpus.config import ConfigError
from kocorpus.dedup.exact import normalize_url
from kocorpus.pipeline_config import load_pipeline

FOOTER = "이 기사의 저작권은 한국일보에 있으며 무단 전재와 재배포를 금지합니다"
PIPELINE = {
    "name": "exact_lines_test",
    "steps": [{"normalize": {}}, {"hangul_ratio": {"min_ratio": 0.3}}],
    "dedup": {"url": {"enabled": True}, "exact": {"enabled": True}, "lines": {"enabled": True, "min_doc_chars": 30}},
}


def corpus(ko_docs: list[dict]) -> list[dict]:
    """12 articles with URLs and a shared footer line, + an exact copy (other URL), a different text under a
    known URL (spelled differently), a page that is only the footer and a short line, and one without URL."""
    base = [d for d in ko_docs if len(d["text"]) > 200][:15]
    docs = [
        {"id": f"a{i}", "text": f"{d['text']}\n{FOOTER}", "url": f"https://www.news.kr/a/{i}/"}
        for i, d in enumerate(base[:12])
    ]
    docs.append({"id": "copy-of-a0", "text": docs[0]["text"], "url": "https://other.kr/x"})
    docs.append({"id": "same-url-as-a1", "text": base[12]["text"], "url": "HTTPS://news.kr/a/1#comments"})
    docs.append({"id": "footer-only", "text": f"{FOOTER}\n사진 제공: 연합뉴스", "url": "https://news.kr/f"})
    docs.append({"id": "no-url", "text": base[13]["text"]})
    return docs


def test_url_exact_and_line_dedup(tmp_path: Path, ko_docs: list[dict]) -> None:
    docs = corpus(ko_docs)
    out = tmp_path / "out"
    funnel = run(tmp_path, [write_jsonl(tmp_path / "in" / "a.jsonl", docs)], out, tasks=2, pipeline=PIPELINE)
    assert funnel["identity_ok"] and funnel["read"] == len(docs)
    removed = {r["id"]: r for r in rows(out, "removed/*/*.parquet")}
    assert {k: (r["removed_by"], r["reason"]) for k, r in removed.items()} == {
        # exactly one of each pair goes; which one is fixed by the id hash, not by the task count
        next(i for i in ("a0", "copy-of-a0") if i in removed): ("exact", "exact_duplicate"),
        next(i for i in ("a1", "same-url-as-a1") if i in removed): ("url", "duplicate_url"),
        "footer-only": ("line_dedup", "short_after_line_dedup"),
    }
    kept = {r["id"]: r for r in rows(out, "kept/*.parquet")}
    assert "no-url" in kept and len(kept) == len(docs) - 3
    for dup, pair in ((d, p) for d, p in removed.items() for p in (("a0", "copy-of-a0"), ("a1", "same-url-as-a1"))
                      if d in p):  # fmt: skip
        other = pair[1 - pair.index(dup)]
        assert removed[dup]["duplicate_of"] == other and other in kept
    assert kept[next(i for i in ("a0", "copy-of-a0") if i in kept)]["exact_dup_count"] == 1
    # the footer line survives in exactly one kept document; every other copy counts as a removed line
    with_footer = [k for k, r in kept.items() if FOOTER in r["text"]]
    assert len(with_footer) == 1
    footers_arrived = sum(FOOTER in d["text"] for d in docs) - 2  # the exact and the URL duplicate left earlier
    assert funnel["edits"]["dup_lines_removed"] == footers_arrived - 1

    # task-count independence: the same documents are kept with 1 and 3 tasks
    files = [write_jsonl(tmp_path / "in3" / f"p{i}.jsonl", docs[i::3]) for i in range(3)]
    one = run(tmp_path, files, tmp_path / "one", tasks=1, pipeline=PIPELINE)
    three = run(tmp_path, files, tmp_path / "three", tasks=3, pipeline=PIPELINE)
    ids = [{r["id"] for r in rows(tmp_path / o, "kept/*.parquet")} for o in ("one", "three")]
    assert ids[0] == ids[1] == set(kept)
    assert one["edits"]["dup_lines_removed"] == three["edits"]["dup_lines_removed"] == footers_arrived - 1


def test_normalize_url() -> None:
    assert (
        normalize_url("HTTPS://WWW.News.kr/a/1/#top") == normalize_url("https://news.kr/a/1") == "https://news.kr/a/1"
    )
    assert normalize_url("https://news.kr/a?id=1") != normalize_url("https://news.kr/a?id=2")
    assert normalize_url("") is None and normalize_url(None) is None and normalize_url(3) is None


def test_dedup_config_errors_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dedup.exact.finder_workrs"):
        load_pipeline("korean_web", ["dedup.exact.finder_workrs=2"])
    with pytest.raises(ConfigError, match="min_doc_chars"):
        load_pipeline("korean_web", ["dedup.lines.min_doc_chars=-1"])
    _, cfg = load_pipeline("korean_web", ["dedup.lines.enabled=true"])
    assert cfg.dedup.lines.enabled and cfg.dedup.exact.enabled and cfg.dedup.minhash.enabled
