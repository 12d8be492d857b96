"""QualityClassifierFilter: scores every document with a fasttext quality model on its Kiwi units."""

from dataclasses import dataclass
from pathlib import Path

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.analysis.kiwi_analysis import get_analysis
from kocorpus.config import ConfigError, validate_range
from kocorpus.quality.features import fasttext_line
from kocorpus.quality.train import POS_LABEL
from kocorpus.text.lid import check_fasttext_model

DEMO_MODEL = Path(__file__).resolve().parent.parent / "data" / "models" / "quality_ko_demo.ftz"


@dataclass(kw_only=True)
class QualityClassifierConfig:
    """fasttext quality classifier (Kanana / FineWeb-Edu style)."""

    enabled: bool = True
    model: str | None = None
    """Model file from `kocorpus quality train`; default: the bundled DEMO model (kocorpus/data/models)."""
    threshold: float | None = None
    """Minimum probability of the `hq` label to keep a document; null (default) = record the score only,
    never drop: the bundled DEMO model is trained on generated negatives, set a threshold with your own model."""

    def __post_init__(self) -> None:
        if self.threshold is not None:
            validate_range("threshold", self.threshold, 0.0, 1.0)
        if not self.enabled:
            return
        self.model = self.model or str(DEMO_MODEL)
        if not Path(self.model).is_file():
            raise ConfigError(f"model: no such file {self.model!r} (train one with `kocorpus quality train`)")
        self.model = str(Path(self.model).resolve())
        check_fasttext_model("model", self.model, f"__label__{POS_LABEL}")


class QualityClassifierFilter(BaseFilter):
    """Records `quality_score` (probability of `hq`, 0–1); drops below the threshold (`low_quality_score`)."""

    name = "🤖 Quality classifier"
    _requires_dependencies = [("fasttext", "fasttext-numpy2-wheel")]

    def __init__(self, config: QualityClassifierConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or QualityClassifierConfig()
        self._model = None

    @property
    def model(self):
        if self._model is None:
            import fasttext

            self._model = fasttext.load_model(self.config.model)
        return self._model

    def score(self, line: str) -> float:
        """Probability of the positive label for one fasttext input line."""
        labels, probs = self.model.predict(line, k=-1)
        return next((float(p) for lab, p in zip(labels, probs, strict=True) if lab == f"__label__{POS_LABEL}"), 0.0)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        score = self.score(fasttext_line(get_analysis(doc)))
        doc.metadata["quality_score"] = score
        if self.config.threshold is not None and score < self.config.threshold:
            return False, "low_quality_score"
        return True
