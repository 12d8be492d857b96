"""The vectorised paths of the chain give exactly what the per-token code they replace gives."""

from collections import Counter

from conftest import DATA, load_jsonl
from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, get_n_grams

from kocorpus.analysis import AnalyzeConfig, MorphAnalyzer
from kocorpus.filters.gopher_quality import KOREAN_STOP_SUFFIXES, eojeol_counts, eojeol_values
from kocorpus.filters.gopher_repetition import EojeolNGrams, duplicated_ngram_chars, top_repeated_ngram_chars
from kocorpus.quality.features import fasttext_line
from kocorpus.stats.morph_stats import doc_stats
from kocorpus.text.eojeol import stop_suffix_hits


def _top_reference(words, n):
    grams = get_n_grams(words, n)
    if not grams:
        return 0
    gram, count = Counter(grams).most_common(1)[0]
    return len(gram) * count if count > 1 else 0


def test_repetition_n_grams_equal_datatrove(ko_docs):
    texts = [d["text"] for d in ko_docs]
    # repeats, spacing variants whose concatenations collide ("할 수" / "할수"), short and empty documents
    texts += ["좋아요 " * 40, "할 수 있다 할수 있다 " * 10 + "끝", "한 두", "", "가 나 다 라 마 바 " * 3]
    for text in texts:
        words = text.split()
        for n in range(2, 11):
            assert duplicated_ngram_chars(words, n) == find_all_duplicate(words, n), (text[:40], n)
            assert top_repeated_ngram_chars(words, n) == _top_reference(words, n), (text[:40], n)


def test_morph_stats_and_features_on_an_analysis(ko_docs):
    (a,) = MorphAnalyzer(AnalyzeConfig(backend="mecab")).analyze([ko_docs[0]["text"]])
    stats = doc_stats(a.forms, a.tags, a.sents)
    pos: Counter = Counter()
    for tag in a.tags:
        pos[tag] += 1
    assert stats["pos_counts"] == dict(sorted(pos.items())) and stats["n_morphemes"] == len(a.tags)
    assert stats["ttr"] == len(set(zip(a.forms, a.tags, strict=True))) / len(a.tags)
    words = " ".join(w.lower() for w in a.words[:2000]).replace("\n", " ")
    assert fasttext_line(a) == words + " " + " ".join("_" + t for t in a.tags[:2000])


def test_eojeol_ngram_ids_equal_the_string_functions(ko_docs):
    texts = [d["text"] for d in ko_docs]
    # repeats; spacing variants whose concatenations collide without repeating as eojeol sequences
    # ("가나 다" / "가 나다": the only repeat of the "" -joined n-grams); ties of the top n-gram; short, empty
    texts += ["좋아요 " * 40, "할 수 있다 할수 있다 " * 10 + "끝", "한 두", "", "가 나 다 라 마 바 " * 3]
    texts += ["가나 다 라 마 바 사 " + "가 나다 라 마 바 사", "b a a b c c d d a b e", "x"]
    for text in texts:
        words = text.split()
        grams = EojeolNGrams(words)
        for n in range(1, 11):
            assert grams.top_repeated_chars(n) == _top_reference(words, n), (text[:40], n)
            assert grams.duplicated_chars(n) == find_all_duplicate(words, n), (text[:40], n)
    # the collision case really is one: no eojeol 6-gram repeats, the joined strings do
    words = "가나 다 라 마 바 사 가 나다 라 마 바 사".split()
    assert len(set(get_n_grams(words, 6))) == len(get_n_grams(words, 6)) and find_all_duplicate(words, 6) > 0
    assert EojeolNGrams(words).duplicated_chars(6) == find_all_duplicate(words, 6)


def test_eojeol_values_equal_the_per_token_counts(ko_docs):
    texts = [d["text"] for d in ko_docs] + [d["text"] for d in load_jsonl(DATA / "quality_kinds.jsonl")]
    # bullets, tables (pipe, rule, aligned, figures), edge punctuation, astral letters, underscores, empty
    texts += ["- 항목\n· 다음 항목\n| 품목 | 가격 |\n|---|---|\n| 사과 | 1,000 |", "(학교)에서 것으로 먹었다. \"좋다\"",
              "𠀀에서 _에서_ ___ 12.5% (2) … ※", "", " \n ", "매출 1,234 12.5%\n비용 2,345 3.1%\n이익 3,456 4.2%"]  # fmt: skip
    suffixes = frozenset(KOREAN_STOP_SUFFIXES)
    for text in texts:
        ref = eojeol_counts(text)
        fast = eojeol_values(text, suffixes, 2)
        assert {k: ref[k] for k in fast if k != "stop_suffix_count"} == {
            k: v for k, v in fast.items() if k != "stop_suffix_count"
        }, text[:40]
        assert fast["stop_suffix_count"] == len(stop_suffix_hits(ref["prose"], suffixes, 2)), text[:40]
    # suffixes longer than 3 characters take the per-token path, same answer
    long = frozenset({"습니다", "었습니다", "에서"})
    text = "회의를 시작하겠었습니다 학교에서 공부했습니다"
    assert eojeol_values(text, long, 4)["stop_suffix_count"] == len(stop_suffix_hits(text.split(), long, 4)) == 3


def test_domain_terms_of_one_automaton_pass_are_the_substring_hits(ko_docs):
    from kocorpus.filters.spam_prose import _DOMAIN, _domain_terms

    texts = [d["text"] for d in ko_docs] + [d["text"] for d in load_jsonl(DATA / "spam_pages.jsonl")]
    texts += [
        "무직자 급전대출 한도 승인, 카지노 바카라 충전 환전 출장 마사지 후불제",
        "",
        "돈이 필요하신가요 서류 없이",
    ]
    terms = {t for group in _DOMAIN.values() for t in group}
    for text in texts:
        assert _domain_terms(text) == {t for t in terms if t in text}, text[:40]


def test_long_documents_hash_with_powers_of_their_own(monkeypatch):
    """A document longer than the kept powers table gets powers of its own (same answers, nothing kept)."""
    import kocorpus.filters.gopher_repetition as rep

    monkeypatch.setattr(rep, "_KEEP_POWERS", 64)
    monkeypatch.setattr(rep, "_POWERS", [])
    words = ("가나 다라마 바사 " * 30 + "아자 차카 타파 하 " * 20).split() + "가나 다라마 바사".split()
    grams = EojeolNGrams(words, tuple(range(5, 11)))
    for n in range(5, 11):
        assert grams.duplicated_chars(n) == find_all_duplicate(words, n), n
    assert rep._POWERS == [] or len(rep._POWERS[0]) <= 64
    short = EojeolNGrams("하나 둘 셋 넷 다섯 여섯".split(), (5,))
    assert short.duplicated_chars(5) == 0  # decided by the prefix check, no hashing
    assert short._string_repeats([5]) == {5: False} and len(rep._POWERS[0]) <= 64


def test_repetition_shortcuts_decide_as_the_exact_values(ko_docs):
    """`top_repeated_over` (hashed-count bounds, exact value only when a bound exceeds the share) decides as the
    exact value does, at every share; `duplicated_chars` after the shared prefix check (no two n ≥ min(dup_ns)
    n-grams can be equal) equals datatrove's scan, for any `dup_ns`."""
    texts = [d["text"] for d in ko_docs] + [d["text"] for d in load_jsonl(DATA / "quality_kinds.jsonl")]
    texts += ["좋아요 " * 40, "할 수 있다 할수 있다 " * 10 + "끝", "한 두", "", "가 나 다 라 마 바 " * 3, "x"]
    texts += ["가나 다 라 마 바 사 " + "가 나다 라 마 바 사", "b a a b c c d d a b e", "a b " * 3 + "c " * 9]
    texts += ["가나다라마 바 사 아자 차카 타 파하 가 나다라마바 사아 자차카 타파 하", "ab c ab c ab c x y z w v"]
    shares = [0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.18, 0.2, 0.3, 0.5, 0.9, 1.0]
    exact_needed = 0
    for text in texts:
        words = text.split()
        length = max(1, len(text))
        for dup_ns in ((5, 6, 7, 8, 9, 10), (3,), (), (2, 7)):
            grams = EojeolNGrams(words, dup_ns)
            for n in range(1, 11):
                value = _top_reference(words, n)
                for share in shares:
                    assert grams.top_repeated_over(n, share, length) == (value / length > share), (text[:40], n)
                assert grams.duplicated_chars(n) == find_all_duplicate(words, n), (text[:40], n, dup_ns)
            exact_needed += len(grams._level)
    assert exact_needed  # some bounds did not suffice: the exact path ran too
