"""HtmlFileReader: saved pages (.html / .htm), one Document per file; URL from `url_prefix` or the path."""

import re
from urllib.parse import unquote

from datatrove.data import DocumentsPipeline

from kocorpus import signals as S
from kocorpus.readers.base import RecordReader
from kocorpus.readers.web import page_document

# A first path component that is a host name: a `wget -x` / HTTrack style mirror (host/path/page.html).
_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$", re.IGNORECASE)
_EXT = re.compile(r"\.html?$", re.IGNORECASE)


def url_for(path: str, url_prefix: str | None) -> str | None:
    """The page URL of an HTML file at `path` (relative to the input root).

    With a prefix: prefix + path. Otherwise a file name that is itself a (percent-encoded) URL, or a mirror path
    whose first component is a host name (`news.example.kr/a/1.html` → `http://news.example.kr/a/1.html`);
    None when the path says nothing about the URL."""
    if url_prefix:
        return url_prefix.rstrip("/") + "/" + path.lstrip("/")
    name = unquote(_EXT.sub("", path.rsplit("/", 1)[-1]))
    if re.match(r"^https?://", name, re.IGNORECASE):
        return name
    first = path.split("/", 1)[0]
    if "/" in path and _HOST.match(first):
        return "http://" + path
    return None


class HtmlFileReader(RecordReader):
    """The charset comes from a BOM, the page's `<meta>` or the detector (no HTTP header); id = the file path."""

    name = "🌐 HTML"
    kind = "html"

    def read_records(self, filepath: str) -> DocumentsPipeline:
        with self.data_folder.open(filepath, "rb", compression="infer") as f:
            payload = f.read()
        if not payload.strip():
            self.reject(filepath, None, "empty html: the file is empty or whitespace", b"")
            return
        with self.track_time():
            doc = page_document(
                filepath, payload, url=url_for(filepath, self.config.url_prefix), file=filepath, line=1,
                content_type="text/html", detector=self.config.detector,
            )  # fmt: skip
        doc.metadata["content_type"] = None  # a saved file has no HTTP Content-Type
        self.stat_update(S.STAT_READ)
        yield doc
