"""The vectorised paths of the chain give exactly what the per-token code they replace gives."""

from collections import Counter

from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, get_n_grams

from kocorpus.analysis import AnalyzeConfig, MorphAnalyzer
from kocorpus.filters.gopher_repetition import EojeolNGrams, duplicated_ngram_chars, top_repeated_ngram_chars
from kocorpus.quality.features import fasttext_line
from kocorpus.stats.morph_stats import doc_stats


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
