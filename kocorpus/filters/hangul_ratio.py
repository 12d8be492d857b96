"""HangulRatioFilter: Hangul characters ÷ non-whitespace characters ≥ `min_ratio` (Polyglot-Ko's Hangul ratio)."""

from dataclasses import dataclass

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import validate_range
from kocorpus.text.hangul import hangul_ratio


@dataclass(kw_only=True)
class HangulRatioConfig:
    """Hangul share of the non-whitespace characters."""

    enabled: bool = True
    min_ratio: float = 0.3
    """Minimum Hangul ÷ non-whitespace characters, 0–1 (Polyglot-Ko used 0.4; see pipelines/korean_web.yaml)."""

    def __post_init__(self) -> None:
        validate_range("min_ratio", self.min_ratio, 0.0, 1.0)


class HangulRatioFilter(BaseFilter):
    """Records `hangul_ratio`; drops with reason `low_hangul_ratio`."""

    name = "🇰🇷 Hangul ratio"

    def __init__(self, config: HangulRatioConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or HangulRatioConfig()

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        ratio = hangul_ratio(doc.text)
        doc.metadata["hangul_ratio"] = ratio
        if ratio < self.config.min_ratio:
            return False, "low_hangul_ratio"
        return True
