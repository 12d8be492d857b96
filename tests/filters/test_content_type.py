"""content_type step: HTTP status and payload type of web records; non-web documents pass."""

import pytest
from datatrove.data import Document

from kocorpus.config import ConfigError
from kocorpus.filters.content_type import ContentTypeConfig, ContentTypeFilter


def doc(**meta) -> Document:
    return Document(text="<html>본문</html>", id="x", metadata=meta)


@pytest.mark.parametrize(
    "meta,expected",
    [
        ({"http_status": 200, "content_type": "text/html", "encoding": "utf-8", "payload_bytes": 10}, True),
        ({"http_status": 404, "content_type": "text/html", "payload_bytes": 10}, (False, "http_404")),
        ({"http_status": 301, "content_type": "text/html", "location": "https://a.kr/"}, (False, "http_301")),
        ({"http_status": 200, "content_type": "image/png", "payload_bytes": 10}, (False, "mime_image/png")),
        ({"http_status": 200, "content_type": "application/pdf", "payload_bytes": 10}, (False, "mime_application/pdf")),
        ({"http_status": 200, "content_type": None, "encoding": None, "payload_bytes": 10}, (False, "mime_unknown")),
        ({"http_status": 200, "content_type": None, "encoding": "utf-8", "payload_bytes": 10}, True),  # sniffed
        (
            {"http_status": 200, "content_type": "text/html", "encoding": "utf-8", "payload_bytes": 0},
            (False, "empty_payload"),
        ),
        ({"http_status": None, "content_type": None, "encoding": "cp949", "payload_bytes": 9}, True),  # HTML file
        ({"source": "a.jsonl"}, True),  # not web input
    ],
)
def test_reasons(meta, expected):
    assert ContentTypeFilter().filter(doc(**meta)) == expected


def test_configurable_and_validated():
    f = ContentTypeFilter(ContentTypeConfig(statuses=[200, 203], mime_types=["text/html", "application/pdf"]))
    assert f.filter(doc(http_status=203, content_type="application/pdf", payload_bytes=3)) is True
    with pytest.raises(ConfigError):
        ContentTypeConfig(statuses=[42])
    with pytest.raises(ConfigError):
        ContentTypeConfig(mime_types=["html"])
