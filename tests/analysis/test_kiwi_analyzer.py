"""The one Kiwi analysis per document and the datatrove filters that reuse it."""

import pytest
from datatrove.data import Document

from kocorpus.analysis import ANALYSIS_KEY, KiwiAnalyzer, KiwiConfig
from kocorpus.analysis.kiwi_analysis import AnalysisWords
from kocorpus.config import ConfigError
from kocorpus.filters.fineweb_quality import KoFineWebQualityFilter
from kocorpus.filters.gopher_quality import KoGopherQualityFilter
from kocorpus.filters.gopher_repetition import KoGopherRepetitionFilter
from kocorpus.pipeline_config import parse_pipeline


@pytest.fixture(scope="module")
def analyzer() -> KiwiAnalyzer:
    return KiwiAnalyzer(KiwiConfig(threads=2, batch_size=8))


def analyzed(analyzer, texts):
    return list(analyzer.run(iter([Document(text=t, id=str(i)) for i, t in enumerate(texts)])))


def test_analysis_spans_tags_sentences(analyzer):
    (doc,) = analyzed(analyzer, ["안녕하세요. 저는 학생입니다! 오늘 날씨가 좋네요"])
    a = doc.metadata[ANALYSIS_KEY]
    assert a.words[:4] == ["안녕", "하", "세요", "."] and a.tags[:4] == ["NNG", "XSA", "EF", "SF"]
    assert all(doc.text[s:e].strip() == w for w, s, e in zip(a.words, a.starts, a.ends, strict=True))
    assert a.n_sentences == 3 and a.n_morphemes == len(a.words)


def test_batches_keep_order_and_every_doc_is_analyzed_once(ko_docs):
    analyzer = KiwiAnalyzer(KiwiConfig(threads=2, batch_size=8))
    texts = [d["text"] for d in ko_docs]
    docs = analyzed(analyzer, texts)
    assert [d.text for d in docs] == texts
    assert analyzer.stats.stats["analyzed_docs"].total == len(texts)
    assert all(d.metadata[ANALYSIS_KEY].text_len == len(d.text) for d in docs)


def test_long_digit_runs_do_not_shift_offsets(analyzer):
    text = "계좌 " + "1234567890" * 5 + " 입니다."
    (doc,) = analyzed(analyzer, [text])
    a = doc.metadata[ANALYSIS_KEY]
    assert a.words[0] == "계좌" and a.words[-1] == "." and "1234567890" not in "".join(a.words)


def test_filters_use_the_analysis_not_kiwi(analyzer, ko_docs, monkeypatch):
    docs = analyzed(analyzer, [d["text"] for d in ko_docs[:10]])
    # any second Kiwi call would fail from here on
    import kiwipiepy

    monkeypatch.setattr(kiwipiepy.Kiwi, "tokenize", lambda *a, **k: pytest.fail("second Kiwi analysis"))
    for block in (KoGopherRepetitionFilter(), KoFineWebQualityFilter(), KoGopherQualityFilter()):
        list(block.run(iter(docs)))
    assert all("n_eojeols" in d.metadata for d in docs if "line_end_ratio" in d.metadata)


def test_analysis_words_refuses_unbound_text():
    words = AnalysisWords()
    with pytest.raises(RuntimeError):
        words.word_tokenize("다른 텍스트")


def test_quality_filters_on_real_korean_and_junk(analyzer, ko_docs, en_docs):
    prose = [d["text"] for d in ko_docs if d["id"].startswith(("klue", "kornli", "ud_korean"))]
    repeated = "\n".join(["최저가 보장 무료 배송 지금 바로 구매하세요"] * 30)
    short = "오늘 서울은 맑고 기온은 어제보다 조금 높겠습니다."
    english = en_docs[0]["text"]
    docs = analyzed(analyzer, [*prose, repeated, short, english])
    reasons = {}
    for block in (KoGopherRepetitionFilter(), KoFineWebQualityFilter(), KoGopherQualityFilter()):
        for d in docs:
            if d.id in reasons:
                continue
            result = block.filter(d)
            if result is not True:
                reasons[d.id] = result[1]
    n = len(prose)
    assert not [i for i in map(str, range(n)) if i in reasons], reasons
    assert (
        reasons[str(n)] in ("dup_line_frac", "top_2_gram", "top_3_gram", "top_4_gram") or "n_grams" in reasons[str(n)]
    )
    assert reasons[str(n + 1)] in ("gopher_short_doc", "top_2_gram", "top_3_gram", "top_4_gram")
    assert KoGopherQualityFilter().filter(docs[n + 1]) == (False, "gopher_short_doc")
    assert KoGopherQualityFilter().filter(docs[n + 2]) == (False, "gopher_enough_stop_words")


def test_kiwi_must_come_before_steps_that_need_it():
    with pytest.raises(ConfigError, match="quality_classifier: needs the morphological analysis"):
        parse_pipeline({"name": "t", "steps": [{"quality_classifier": {}}, {"kiwi": {}}]})
    parse_pipeline({"name": "t", "steps": [{"kiwi": {}}, {"quality_classifier": {}}]})
    # the Gopher/FineWeb rules count eojeols: they may run before the analysis (and skip it for what they drop)
    parse_pipeline({"name": "t", "steps": [{"gopher_quality": {}}, {"fineweb_quality": {}}, {"kiwi": {}}]})


def test_long_documents_are_chunked_with_correct_offsets(ko_docs):
    from kocorpus.analysis.kiwi_analyzer import chunk_starts

    text = "\n".join(d["text"] for d in ko_docs)
    starts = chunk_starts(text, 1000)
    assert starts[0] == 0 and all(b - a <= 1000 for a, b in zip(starts, [*starts[1:], len(text)], strict=True))
    assert all(text[s - 1] in "\n " for s in starts[1:])
    chunked = KiwiAnalyzer(KiwiConfig(max_chunk_chars=1000)).analyze([text])[0]
    whole = KiwiAnalyzer(KiwiConfig(max_chunk_chars=10**9)).analyze([text])[0]
    assert all(text[s:e].strip() == w for w, s, e in zip(chunked.words, chunked.starts, chunked.ends, strict=True))
    assert chunked.sents == sorted(chunked.sents) and chunked.n_sentences >= whole.n_sentences * 0.9
    # cutting at line breaks changes almost nothing in the analysis
    assert abs(len(chunked.words) - len(whole.words)) / len(whole.words) < 0.01


def test_unavailable_kiwi_model_fails_at_start_up():
    with pytest.raises(ConfigError, match="model_type"):
        KiwiConfig(model_type="knlm")
