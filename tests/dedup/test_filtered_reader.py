"""FilteredReader: a signature stage reading only some columns sees the same documents, keys and order."""

from datatrove.data import Document

from kocorpus.dedup.exact import text_key, url_key
from kocorpus.dedup.stages import SIGNATURE_COLUMNS
from kocorpus.readers.filtered import FilteredReader
from kocorpus.writers import KeptWriter


def test_signature_columns_give_the_same_documents_and_keys(tmp_path):
    docs = [
        Document(text="서울의 날씨는 맑습니다.", id="a", metadata={"url": "https://www.Example.kr/a/", "lang": "ko",
                                                                "source": "s", "pos_counts": {"NNG": 2}}),
        Document(text="주소 없는 문서입니다.", id="b", metadata={"lang": "ko", "quality_score": 0.5, "x": 1}),
        Document(text="같은 주소", id="c", metadata={"url": "https://example.kr/a", "n_morphemes": 3}),
    ]  # fmt: skip
    with KeptWriter(str(tmp_path)) as writer:
        for doc in docs:
            writer.write(doc, rank=0)
    full = list(FilteredReader(str(tmp_path)).run())
    assert [d.id for d in full] == ["a", "b", "c"] and full[0].metadata["lang"] == "ko"
    for family, columns in SIGNATURE_COLUMNS.items():
        part = list(FilteredReader(str(tmp_path), columns=columns).run())
        assert [(d.id, d.text) for d in part] == [(d.id, d.text) for d in full], family
        assert [text_key(d) for d in part] == [text_key(d) for d in full]
        if family == "url":
            assert [url_key(d) for d in part] == [url_key(d) for d in full] == ["https://example.kr/a", "",
                                                                                 "https://example.kr/a"]  # fmt: skip
        else:
            assert "lang" not in part[0].metadata  # only what the stage needs was read
