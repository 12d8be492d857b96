"""The mecab-ko backend: one tag mapping onto Kiwi's tag set, the same analysis structure as Kiwi's on real text."""

from collections import Counter

import pytest
from datatrove.data import Document

from kocorpus.analysis import ANALYSIS_KEY, AnalyzeConfig, MorphAnalyzer
from kocorpus.analysis.mecab_backend import map_feature, map_tag
from kocorpus.filters.quality_classifier import QualityClassifierFilter
from kocorpus.quality.features import fasttext_line
from kocorpus.stats.morph_stats import MorphStats

# the Sejong tags of Kiwi (kiwipiepy 0.24) that mecab output may map to
KIWI_TAGS = set(
    "NNG NNP NNB NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ JX JC EP EF EC ETN ETM XPN XSN "
    "XSV XSA XR SF SP SSO SSC SE SO SW SL SH SN UN".split()
)


@pytest.fixture(scope="module")
def kiwi() -> MorphAnalyzer:
    return MorphAnalyzer(AnalyzeConfig(backend="kiwi", threads=2))


@pytest.fixture(scope="module")
def mecab() -> MorphAnalyzer:
    return MorphAnalyzer(AnalyzeConfig(backend="mecab"))


def test_compound_tags_split_with_lemma_forms_and_the_whole_span():
    assert map_feature("갔었", "VV+EP,*,T,갔었,Inflect,VV,EP,가/VV/*+았었/EP/*") == (("가", "VV"), ("았었", "EP"))
    assert map_feature("한", "XSA+ETM,*,T,한,Inflect,XSA,ETM,하/XSA/*+ᆫ/ETM/*") == (("하", "XSA"), ("ᆫ", "ETM"))
    # no expression: one unit per tag, each with the surface
    assert map_feature("어요", "EP+EF,*,F,어요,*,*,*,*") == (("어요", "EP"), ("어요", "EF"))


def test_simple_tags_map_onto_kiwi_tags():
    assert map_feature("원", "NNBC,*,T,원,*,*,*,*") == (("원", "NNB"),)
    assert map_feature(",", "SC,*,*,*,*,*,*,*") == ((",", "SP"),)
    assert map_feature("(", "SSO,*,*,*,*,*,*,*") == (("(", "SSO"),)
    assert map_tag("SY", "-") == "SO" and map_tag("SY", "~") == "SO" and map_tag("SY", "#") == "SW"
    assert map_tag("SY", '"', ' "a"', 1) == "SSO" and map_tag("SY", '"', ' "a"', 3) == "SSC"


def test_analysis_structure_on_a_sentence(mecab):
    text = "안녕하세요. 저는 학생입니다!! 오늘 날씨가 좋네요 (정말) 1,000원"
    (a,) = mecab.analyze([text])
    pairs = list(zip(a.words, a.tags, strict=True))
    assert pairs[:4] == [("안녕", "NNG"), ("하", "XSV"), ("세요", "EP"), ("세요", "EF")]  # EP+EF split, one span
    assert a.forms[2:4] == ["시", "어요"]  # lemma forms from the expression column
    assert ("입니다", "ᆸ니다") in zip(a.words, a.forms, strict=True)  # Kiwi's jamo
    assert ("!!", "SF") in pairs and ("1,000", "SN") in pairs  # one unit each, as in Kiwi
    assert ("원", "NNB") in pairs and ("(", "SSO") in pairs
    assert a.sents[: pairs.index(("!!", "SF")) + 2] == [0] * 5 + [1] * 6 + [2] and a.sents == sorted(a.sents)
    assert all(text[s:e] == w for w, s, e in zip(a.words, a.starts, a.ends, strict=True))


def test_both_backends_give_the_structure_downstream_steps_need(kiwi, mecab, ko_docs):
    texts = [d["text"] for d in ko_docs]
    ka, ma = kiwi.analyze(texts), mecab.analyze(texts)
    for text, k, m in zip(texts, ka, ma, strict=True):
        assert m.text_len == len(text) and m.n_morphemes == len(m.forms) == len(m.tags) == len(m.sents)
        assert all(text[s:e] == w for w, s, e in zip(m.words, m.starts, m.ends, strict=True))
        assert m.starts == sorted(m.starts) and set(m.tags) <= KIWI_TAGS, set(m.tags) - KIWI_TAGS
        if k.n_morphemes >= 50:  # same text, nearly the same amount of units and sentences
            assert 0.85 < m.n_morphemes / k.n_morphemes < 1.15
    # the POS distributions agree (Kiwi's -R/-I verb suffixes folded): total variation distance
    ck = Counter(t.split("-")[0] for a in ka for t in a.tags)
    cm = Counter(t for a in ma for t in a.tags)
    nk, nm = sum(ck.values()), sum(cm.values())
    assert 0.5 * sum(abs(ck[t] / nk - cm[t] / nm) for t in ck | cm) < 0.05


def test_downstream_steps_run_unchanged_on_mecab(mecab, ko_docs, tmp_path, monkeypatch):
    docs = list(mecab.run(iter([Document(text=d["text"], id=d["id"]) for d in ko_docs])))
    import kiwipiepy

    monkeypatch.setattr(kiwipiepy.Kiwi, "tokenize", lambda *a, **k: pytest.fail("Kiwi called"))
    docs = list(MorphStats(stats_folder=str(tmp_path)).run(iter(docs)))
    assert all(d.metadata["n_morphemes"] == d.metadata[ANALYSIS_KEY].n_morphemes for d in docs)
    assert sum(d.metadata["noun_ratio"] for d in docs) / len(docs) > 0.2
    docs = list(QualityClassifierFilter().run(iter(docs)))
    assert docs and all(0 <= d.metadata["quality_score"] <= 1 for d in docs)
    assert " _NNG " in fasttext_line(docs[0].metadata[ANALYSIS_KEY])
    assert list((tmp_path / "morphemes").glob("analysed_*.parquet"))


def test_merged_units_and_quotes_after_the_column_wise_rewrite(mecab):
    """Runs of final punctuation and separated numbers are one unit, quotes open/close by context, sentences
    end after them (the merge, quote and sentence logic runs on numpy tag codes)."""
    text = '그는 "좋다"고 했다... 값은 3.5와 1,000,000이다?! 끝'
    (a,) = mecab.analyze([text])
    triples = list(zip(a.words, a.tags, a.sents, strict=True))
    assert ('"', "SSO", 0) in triples and ('"', "SSC", 0) in triples
    assert ("...", "SF", 0) in triples and ("?!", "SF", 1) in triples
    assert ("3.5", "SN", 1) in triples and ("1,000,000", "SN", 1) in triples
    assert triples[-1] == ("끝", "NNG", 2) and len(triples) == 20
    assert all(text[s:e] == w for w, s, e in zip(a.words, a.starts, a.ends, strict=True))


def test_analysis_gives_every_token_its_map_feature_units(mecab, ko_docs, technical_docs):
    """The analysis (ids into a table of the distinct output lines, columns by numpy indexing) gives each token of
    mecab's lattice output the units `map_feature` gives its (surface, feature): words the surface, forms and tags
    the units' (quotes resolved by context); only merged numbers and final-punctuation runs span several tokens."""
    from kocorpus.analysis.kiwi_analyzer import blank_long_numbers
    from kocorpus.analysis.mecab_backend import _BLANK

    texts = [d["text"] for d in ko_docs + technical_docs]
    texts += ['그는 "좋다"고 했다... 값은 3.5와 1,000,000이다?! 끝', "NBSP\u00a0공백\u3000과\ttab, 😀 漢字 ABC 2.5%"]
    for text, a in zip(texts, mecab.analyze(texts), strict=True):
        assert len(text) <= 10_000  # one chunk
        surfaces, features = mecab.backend.tokens(_BLANK.sub(" ", blank_long_numbers(text)))
        i = t = 0  # unit, token
        while t < len(surfaces):
            if a.words[i] != surfaces[t]:  # a merged group: one SN/SF unit spelling the group's tokens
                assert a.tags[i] in ("SN", "SF") and a.forms[i] == a.words[i], (a.words[i], surfaces[t])
                spelled = ""
                while spelled != a.words[i]:
                    assert a.words[i].startswith(spelled + surfaces[t])
                    spelled, t = spelled + surfaces[t], t + 1
                i += 1
                continue
            first = i
            for form, tag in map_feature(surfaces[t], features[t]):
                assert (a.words[i], a.forms[i]) == (surfaces[t], form)
                assert a.tags[i] == tag or (tag == "SY" and a.tags[i] in ("SSO", "SSC")), (a.tags[i], tag)
                assert (a.starts[i], a.ends[i]) == (a.starts[first], a.ends[first])  # the token's span
                i += 1
            t += 1
        assert i == len(a.words)


def test_type_table_restarts_without_changing_analyses(mecab, ko_docs, monkeypatch):
    from kocorpus.analysis import mecab_backend

    texts = [d["text"] for d in ko_docs]
    expected = mecab.analyze(texts)
    monkeypatch.setattr(mecab_backend, "_MAX_TYPES", 50)  # a new table before most documents
    fresh = MorphAnalyzer(AnalyzeConfig(backend="mecab"))
    assert fresh.analyze(texts) == expected
    assert len(fresh.backend._types) < 50 + max(len(a.words) for a in expected)
