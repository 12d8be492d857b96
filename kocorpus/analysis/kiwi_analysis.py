"""KiwiAnalysis: the morphemes of one document (surface spans, lemma forms, tags, offsets, sentences).

Stored on `doc.metadata[ANALYSIS_KEY]`; the leading underscore keeps it out of every written file. Steps read
it with `get_analysis(doc)`, which fails loudly if the analyzer did not run (a config error, not a data error).
"""

import re
from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.utils.word_tokenizers import WordTokenizer

ANALYSIS_KEY = "_kiwi"
_SPACE = re.compile(r"\s")


@dataclass(slots=True)
class KiwiAnalysis:
    """Morphemes of `text` in order. `words` are the surface spans `text[start:end]` (the Korean word units
    of datatrove's KiwiTokenizer, on which FineWeb-2's `kor_Hang` thresholds were computed), `forms` the
    lemma forms Kiwi gives (었, ㅂ니다), `tags` the Sejong tags (NNG, JKS, EF …), `sents` the 0-based
    sentence index of each morpheme."""

    text_len: int
    words: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    sents: list[int] = field(default_factory=list)

    @classmethod
    def from_tokens(cls, text: str, tokens) -> "KiwiAnalysis":
        """Build from kiwipiepy Tokens of the whole `text` (whitespace-only spans dropped, as datatrove does)."""
        a = cls(text_len=len(text))
        a.extend_tokens(text, tokens)
        return a

    def extend_tokens(self, text: str, tokens, offset: int = 0, sent_offset: int = 0) -> None:
        """Append kiwipiepy Tokens of the chunk of `text` starting at char `offset` (sentence indices shifted by
        `sent_offset`). Column-wise comprehensions: one C-level attribute read per token and field."""
        if not tokens:
            return
        starts = [t.start + offset for t in tokens]
        ends = [t.end + offset for t in tokens]
        words = [text[s:e] for s, e in zip(starts, ends, strict=True)]
        forms = [t.form for t in tokens]
        tags = [t.tag for t in tokens]
        sents = [t.sent_position + sent_offset for t in tokens]
        if _SPACE.search("".join(words)):  # rare: a span with surrounding whitespace, or whitespace only (dropped)
            stripped = [w.strip() for w in words]
            keep = [i for i, w in enumerate(stripped) if w]
            words = [stripped[i] for i in keep]
            starts, ends = [starts[i] for i in keep], [ends[i] for i in keep]
            forms, tags, sents = [forms[i] for i in keep], [tags[i] for i in keep], [sents[i] for i in keep]
        self.words += words
        self.forms += forms
        self.tags += tags
        self.starts += starts
        self.ends += ends
        self.sents += sents

    @property
    def n_morphemes(self) -> int:
        return len(self.words)

    @property
    def n_sentences(self) -> int:
        return self.sents[-1] + 1 if self.sents else 0


def get_analysis(doc: Document) -> KiwiAnalysis:
    """The document's Kiwi analysis; raises if the `kiwi` step did not run before the caller."""
    analysis = doc.metadata.get(ANALYSIS_KEY)
    if analysis is None:
        raise RuntimeError(f"document {doc.id}: no Kiwi analysis; put the `kiwi` step before this step")
    if analysis.text_len != len(doc.text):
        raise RuntimeError(f"document {doc.id}: the text changed after the Kiwi analysis (stale analysis)")
    return analysis


class AnalysisWords(WordTokenizer):
    """A datatrove WordTokenizer that returns the Kiwi words already computed for the bound text.

    Lets datatrove's own filters (Gopher, FineWeb) run on Kiwi units without a second analysis: the filter
    binds the document's analysis, then datatrove calls `word_tokenize(doc.text)` on the same string.
    """

    def __init__(self) -> None:
        super().__init__("ko")
        self._text: str | None = None
        self._analysis: KiwiAnalysis | None = None

    def bind(self, text: str, analysis: KiwiAnalysis) -> None:
        self._text, self._analysis = text, analysis

    def _check(self, text: str) -> KiwiAnalysis:
        if self._analysis is None or text is not self._text:
            raise RuntimeError("AnalysisWords: text is not the bound document's text")
        return self._analysis

    def word_tokenize(self, text: str) -> list[str]:
        return self._check(text).words

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        a = self._check(text)
        spans: dict[int, list[int]] = {}
        for s, start, end in zip(a.sents, a.starts, a.ends, strict=True):
            span = spans.setdefault(s, [start, end])
            span[1] = max(span[1], end)
        return [tuple(v) for v in spans.values()]

    def sent_tokenize(self, text: str) -> list[str]:
        return [text[a:b] for a, b in self.span_tokenize(text)]
