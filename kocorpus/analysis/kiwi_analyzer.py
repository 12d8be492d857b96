"""KiwiAnalyzer: runs kiwipiepy once per document, in batches with worker threads, and attaches the analysis."""

import re
import time
from dataclasses import dataclass

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.batching import batched

from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY, KiwiAnalysis
from kocorpus.config import ConfigError

# Kiwi struggles with very long digit runs (datatrove's KiwiTokenizer removes them); blank them out instead
# so that offsets still point into the original text.
_LONG_NUMBER = re.compile(r"[0-9,]{20,}")


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


@dataclass(kw_only=True)
class KiwiConfig:
    """Morphological analysis with Kiwi (kiwipiepy)."""

    enabled: bool = True
    model_type: str = "cong"
    """Kiwi model: cong (default of kiwipiepy ≥ 0.22), cong-global or largest (as shipped by kiwipiepy_model)."""
    threads: int = 1
    """Kiwi worker threads per task; set to cores ÷ concurrently running tasks."""
    batch_size: int = 64
    """Documents per kiwi.tokenize() call."""
    max_chunk_chars: int = 10_000
    """Long documents are analysed in chunks of at most this many characters, cut at line breaks (Kiwi's
    time grows faster than linearly on one long input: a 5 MB document would take minutes in one piece)."""

    def __post_init__(self) -> None:
        if self.threads < 1:
            raise ConfigError(f"threads: must be >= 1, got {self.threads}")
        if self.max_chunk_chars < 100:
            raise ConfigError(f"max_chunk_chars: must be >= 100, got {self.max_chunk_chars}")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size: must be >= 1, got {self.batch_size}")
        # the models kiwipiepy_model ships (knlm and sbg are not in it: they fail to load)
        if self.model_type not in ("cong", "cong-global", "largest"):
            raise ConfigError(f"model_type: {self.model_type!r} is not one of cong, cong-global, largest")


class KiwiAnalyzer(PipelineStep):
    """Attaches `doc.metadata["_kiwi"]` (a KiwiAnalysis) to every document; never drops one.

    Stats: `analyzed_docs`, `analyzed_chars`, `morphemes` (per document), `sentences` (per document)."""

    name = "🥝 Kiwi analysis"
    type = "🔬 - ANALYSIS"
    _requires_dependencies = ["kiwipiepy"]

    def __init__(self, config: KiwiConfig | None = None, exclusion_writer=None):
        super().__init__()
        self.config = config or KiwiConfig()
        self._kiwi = None

    @property
    def kiwi(self):
        if self._kiwi is None:
            from kiwipiepy import Kiwi

            self._kiwi = Kiwi(num_workers=self.config.threads, model_type=self.config.model_type)
        return self._kiwi

    def analyze(self, texts: list[str]) -> list[KiwiAnalysis]:
        """Analyses of `texts`, in order (one batched Kiwi call over all their chunks)."""
        chunks: list[str] = []
        spans: list[list[int]] = []  # chunk start offsets per text
        for text in texts:
            starts = chunk_starts(text, self.config.max_chunk_chars)
            spans.append(starts)
            bounds = [*starts[1:], len(text)]
            chunks += [
                _LONG_NUMBER.sub(lambda m: " " * len(m.group()), text[a:b]) for a, b in zip(starts, bounds, strict=True)
            ]
        results = iter(self.kiwi.tokenize(chunks))
        analyses = []
        for text, starts in zip(texts, spans, strict=True):
            tokens = []
            sent_offset = 0
            for start in starts:
                chunk_tokens = next(results)
                tokens += [(t, start, sent_offset) for t in chunk_tokens]
                if chunk_tokens:
                    sent_offset += chunk_tokens[-1].sent_position + 1
            analyses.append(KiwiAnalysis.from_shifted_tokens(text, tokens))
        return analyses

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for batch in batched(data, self.config.batch_size):
            if self._kiwi is None:  # model load + first-call warm-up (~2 s) counted apart from the analysis time
                start = time.perf_counter()
                self.kiwi.tokenize(["모델을 준비합니다.", "Kiwi warm-up 123"])
                self.stat_update("model_load_ms", value=int(1000 * (time.perf_counter() - start)), unit="task")
            with self.track_time(unit="batch"):
                analyses = self.analyze([doc.text for doc in batch])
            for doc, analysis in zip(batch, analyses, strict=True):
                doc.metadata[ANALYSIS_KEY] = analysis
                self.stat_update("analyzed_docs")
                self.stat_update("analyzed_chars", value=len(doc.text))
                self.stat_update("morphemes", value=analysis.n_morphemes)
                self.stat_update("sentences", value=analysis.n_sentences)
                yield doc
