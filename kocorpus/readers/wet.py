"""WetRecordReader: .wet / .warc.wet.gz (Common Crawl extracted text) → one Document per `conversion` record."""

from kocorpus.readers.warc import WarcRecordReader


class WetRecordReader(WarcRecordReader):
    """WET files: the text is already extracted (UTF-8, `format` = "text"; the extract step passes it through).

    `warcinfo` records are counted, not documents; breaks and truncated records are handled as for WARC."""

    name = "🕸 WET"
    kind = "wet"
    document_types = ("conversion",)
