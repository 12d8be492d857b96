"""HangulRatioFilter: share of Hangul ≥ `min_ratio`, among letters (default) or non-whitespace characters (Polyglot-Ko)."""

from dataclasses import dataclass

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError, validate_range
from kocorpus.text.charclass import doc_classes
from kocorpus.text.hangul import hangul_letter_ratio, hangul_ratio


@dataclass(kw_only=True)
class HangulRatioConfig:
    """Hangul share of the non-whitespace characters."""

    enabled: bool = True
    min_ratio: float = 0.45
    """Minimum Hangul share, 0–1, of `of` (see pipelines/korean_web.yaml for the measurements)."""
    of: str = "letters"
    """`letters`: Hangul ÷ letters (numbers and symbols do not count, so tables of figures pass);
    `non_space`: Hangul ÷ non-whitespace characters (Polyglot-Ko's ratio; it used 0.4)."""

    def __post_init__(self) -> None:
        validate_range("min_ratio", self.min_ratio, 0.0, 1.0)
        if self.of not in ("letters", "non_space"):
            raise ConfigError(f"of: {self.of!r} is not one of letters, non_space")


class HangulRatioFilter(BaseFilter):
    """Records `hangul_ratio` (of non-whitespace) and `hangul_letter_ratio`; drops with reason `low_hangul_ratio`."""

    name = "🇰🇷 Hangul ratio"

    def __init__(self, config: HangulRatioConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or HangulRatioConfig()

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        flags = doc_classes(doc)  # one table lookup per character for both ratios (kept for later steps)
        doc.metadata["hangul_ratio"] = hangul_ratio(doc.text, flags)
        doc.metadata["hangul_letter_ratio"] = hangul_letter_ratio(doc.text, flags)
        ratio = doc.metadata["hangul_letter_ratio" if self.config.of == "letters" else "hangul_ratio"]
        if ratio < self.config.min_ratio:
            return False, "low_hangul_ratio"
        return True
