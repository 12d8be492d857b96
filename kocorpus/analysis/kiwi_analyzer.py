"""Kiwi (kiwipiepy) as an analysis backend: batched calls with worker threads, long documents in chunks."""

import re

from kocorpus.analysis.kiwi_analysis import KiwiAnalysis

# Kiwi struggles with very long digit runs (datatrove's KiwiTokenizer removes them); blank them out instead
# so that offsets still point into the original text.
_LONG_NUMBER = re.compile(r"[0-9,]{20,}")


def blank_long_numbers(text: str) -> str:
    """`text` with runs of ≥ 20 digits/commas replaced by as many spaces (same length, same offsets)."""
    return _LONG_NUMBER.sub(lambda m: " " * len(m.group()), text) if len(text) >= 20 else text


def chunk_starts(text: str, max_chars: int) -> list[int]:
    """Start offsets of chunks of at most `max_chars` characters, cut after a newline (else after a space)."""
    starts = [0]
    while len(text) - starts[-1] > max_chars:
        lo, hi = starts[-1], starts[-1] + max_chars
        cut = text.rfind("\n", lo + 1, hi)
        if cut == -1:
            cut = text.rfind(" ", lo + 1, hi)
        starts.append(cut + 1 if cut != -1 else hi)
    return starts


class KiwiBackend:
    """Analyses batches of texts with one kiwipiepy `Kiwi` (loaded on first use, ≈ 1–2 s)."""

    def __init__(self, model_type: str = "cong", threads: int = 1) -> None:
        self.model_type, self.threads = model_type, threads
        self._kiwi = None

    @property
    def kiwi(self):
        if self._kiwi is None:
            from kiwipiepy import Kiwi

            self._kiwi = Kiwi(num_workers=self.threads, model_type=self.model_type)
        return self._kiwi

    def analyze(self, texts: list[str], max_chunk_chars: int) -> list[KiwiAnalysis]:
        """Analyses of `texts`, in order (one batched Kiwi call over all their chunks)."""
        chunks: list[str] = []
        spans: list[list[int]] = []  # chunk start offsets per text
        for text in texts:
            starts = chunk_starts(text, max_chunk_chars)
            spans.append(starts)
            bounds = [*starts[1:], len(text)]
            chunks += [blank_long_numbers(text[a:b]) for a, b in zip(starts, bounds, strict=True)]
        results = iter(self.kiwi.tokenize(chunks))
        analyses = []
        for text, starts in zip(texts, spans, strict=True):
            if len(starts) == 1:
                analyses.append(KiwiAnalysis.from_tokens(text, next(results)))
                continue
            a = KiwiAnalysis(text_len=len(text))
            sent_offset = 0
            for start in starts:
                chunk_tokens = next(results)
                a.extend_tokens(text, chunk_tokens, start, sent_offset)
                if chunk_tokens:
                    sent_offset += chunk_tokens[-1].sent_position + 1
            analyses.append(a)
        return analyses


def __getattr__(name: str):
    """`KiwiAnalyzer` / `KiwiConfig`: the earlier names of the analysis step (now `analyzer.MorphAnalyzer`)."""
    if name in ("KiwiAnalyzer", "KiwiConfig"):
        from kocorpus.analysis import analyzer

        return {"KiwiAnalyzer": analyzer.MorphAnalyzer, "KiwiConfig": analyzer.AnalyzeConfig}[name]
    raise AttributeError(name)
