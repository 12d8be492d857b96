"""The `analyze` step (alias `kiwi`): one morphological analysis per document, by Kiwi or mecab-ko."""

import time
from dataclasses import dataclass
from typing import Literal

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.batching import batched

from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY, KiwiAnalysis
from kocorpus.analysis.kiwi_analyzer import KiwiBackend, blank_long_numbers, chunk_starts
from kocorpus.config import ConfigError

BACKENDS = ("kiwi", "mecab")


@dataclass(kw_only=True)
class AnalyzeConfig:
    """Morphological analysis: Kiwi (kiwipiepy, most accurate) or mecab-ko (python-mecab-ko with its bundled
    mecab-ko-dic, ≈ 3–6× faster), both giving the same units, Kiwi's tag set and offsets."""

    enabled: bool = True
    backend: Literal["kiwi", "mecab"] = "kiwi"
    """kiwi | mecab; recorded in run.json and in the store's `run_info` table."""
    model_type: str = "cong"
    """Kiwi model: cong (default of kiwipiepy ≥ 0.22), cong-global or largest (as shipped by kiwipiepy_model);
    ignored by mecab."""
    threads: int = 1
    """Kiwi worker threads per task; set to cores ÷ concurrently running tasks (mecab: always 1)."""
    batch_size: int = 64
    """Documents per analyzer call."""
    max_chunk_chars: int = 10_000
    """Long documents are analysed in chunks of at most this many characters, cut at line breaks (Kiwi's
    time grows faster than linearly on one long input: a 5 MB document would take minutes in one piece)."""

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ConfigError(f"backend: {self.backend!r} is not one of {', '.join(BACKENDS)}")
        if self.threads < 1:
            raise ConfigError(f"threads: must be >= 1, got {self.threads}")
        if self.max_chunk_chars < 100:
            raise ConfigError(f"max_chunk_chars: must be >= 100, got {self.max_chunk_chars}")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size: must be >= 1, got {self.batch_size}")
        # the models kiwipiepy_model ships (knlm and sbg are not in it: they fail to load)
        if self.model_type not in ("cong", "cong-global", "largest"):
            raise ConfigError(f"model_type: {self.model_type!r} is not one of cong, cong-global, largest")
        if self.backend == "mecab":
            import importlib.util

            if importlib.util.find_spec("_mecab") is None or importlib.util.find_spec("mecab_ko_dic") is None:
                raise ConfigError("backend: mecab needs python-mecab-ko (pip install python-mecab-ko)")


class MorphAnalyzer(PipelineStep):
    """Attaches `doc.metadata["_kiwi"]` (a KiwiAnalysis, whichever backend made it) to every document; never
    drops one.

    Stats: `analyzed_docs`, `analyzed_chars`, `morphemes` (per document), `sentences` (per document),
    `model_load_ms` (per task)."""

    name = "🔬 Morphological analysis"
    type = "🔬 - ANALYSIS"

    def __init__(self, config: AnalyzeConfig | None = None, exclusion_writer=None):
        super().__init__()
        self.config = config or AnalyzeConfig()
        self._backend = None
        self.name = "🥝 Kiwi analysis" if self.config.backend == "kiwi" else "🔬 mecab-ko analysis"

    @property
    def backend(self):
        if self._backend is None:
            if self.config.backend == "kiwi":
                self._backend = KiwiBackend(self.config.model_type, self.config.threads)
            else:
                from kocorpus.analysis.mecab_backend import MecabBackend

                self._backend = MecabBackend()
        return self._backend

    def analyze(self, texts: list[str]) -> list[KiwiAnalysis]:
        """Analyses of `texts`, in order."""
        if self.config.backend == "kiwi":
            return self.backend.analyze(texts, self.config.max_chunk_chars)
        backend = self.backend
        return [
            backend.analyze(text, chunk_starts(text, self.config.max_chunk_chars), blank_long_numbers) for text in texts
        ]

    def warm_up(self) -> None:
        """Load the model and analyse two short texts (model load counted apart from the analysis time)."""
        start = time.perf_counter()
        self.analyze(["모델을 준비합니다.", "warm-up 123"])
        self.stat_update("model_load_ms", value=int(1000 * (time.perf_counter() - start)), unit="task")

    def release(self) -> None:
        """Drop the loaded model and the backend's tables (Kiwi's model, mecab's dictionary and line table): called once the
        stage is done, so the dedup stages and the store do not hold them; the next use loads them again."""
        self._backend = None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        warmed = False
        for batch in batched(data, self.config.batch_size):
            if not warmed:
                self.warm_up()
                warmed = True
            with self.track_time(unit="batch"):
                analyses = self.analyze([doc.text for doc in batch])
            for doc, analysis in zip(batch, analyses, strict=True):
                doc.metadata[ANALYSIS_KEY] = analysis
                self.stat_update("analyzed_docs")
                self.stat_update("analyzed_chars", value=len(doc.text))
                self.stat_update("morphemes", value=analysis.n_morphemes)
                self.stat_update("sentences", value=analysis.n_sentences)
                yield doc
