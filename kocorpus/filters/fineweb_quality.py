"""FineWeb quality filter on Kiwi word units (datatrove's FineWebQualityFilter, FineWeb-2 kor_Hang values)."""

from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.fineweb_quality_filter import FineWebQualityFilter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.text import TERMINAL_PUNCTUATION

from kocorpus.analysis.kiwi_analysis import AnalysisWords, get_analysis
from kocorpus.config import validate_range

# Syllables that end a Korean sentence (declarative 다, polite 요/죠, question 까, exclamative 네).
KOREAN_FINAL_SYLLABLES = ("다", "요", "죠", "까", "네")


@dataclass(kw_only=True)
class FineWebQualityConfig:
    """Line-level quality thresholds; defaults from FineWeb-2 `kor_Hang` where it sets them."""

    enabled: bool = True
    line_punct_thr: float = 0.062
    """Minimum fraction of lines ending in terminal punctuation."""
    line_punct_exclude_zero: bool = False
    extra_stop_chars: list[str] = field(default_factory=lambda: list(KOREAN_FINAL_SYLLABLES))
    """Line endings counted as terminal besides datatrove's punctuation set: Korean sentence-final syllables,
    since Korean web text often ends a sentence with 다/요 and no period."""
    short_line_thr: float | None = None
    """Maximum fraction of lines of at most `short_line_length` characters; null disables it, as FineWeb-2 does
    (comments and chat are short-line text by nature)."""
    short_line_length: int = 30
    char_duplicates_ratio: float = 0.1
    """Maximum fraction of characters in duplicated lines."""
    new_line_ratio: float = 0.196
    """Maximum newlines per word (Kiwi unit)."""

    def __post_init__(self) -> None:
        for key in ("line_punct_thr", "short_line_thr", "char_duplicates_ratio", "new_line_ratio"):
            if getattr(self, key) is not None:
                validate_range(key, getattr(self, key), 0.0, 1.0)


class KoFineWebQualityFilter(FineWebQualityFilter):
    """datatrove's FineWeb quality rules with Kiwi words. Records `line_punct_ratio` and `new_line_ratio`;
    reasons are datatrove's (`line_punct_ratio`, `short_line_ratio`, `char_dup_ratio`, `list_ratio`)."""

    name = "🍷 FineWeb quality (Kiwi)"

    def __init__(self, config: FineWebQualityConfig | None = None, exclusion_writer: DiskWriter | None = None):
        config = config or FineWebQualityConfig()
        super().__init__(
            exclusion_writer=exclusion_writer,
            line_punct_thr=config.line_punct_thr,
            line_punct_exclude_zero=config.line_punct_exclude_zero,
            stop_chars=tuple(TERMINAL_PUNCTUATION) + tuple(config.extra_stop_chars),
            short_line_thr=999 if config.short_line_thr is None else config.short_line_thr,
            short_line_length=config.short_line_length,
            char_duplicates_ratio=config.char_duplicates_ratio,
            new_line_ratio=config.new_line_ratio,
            language=AnalysisWords(),
        )
        self.config = config

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        analysis = get_analysis(doc)
        self.language.bind(doc.text, analysis)
        lines = [line for line in doc.text.split("\n") if line.strip()]
        doc.metadata["line_punct_ratio"] = (
            sum(1 for line in lines if line.endswith(self.stop_chars)) / len(lines) if lines else 0.0
        )
        doc.metadata["new_line_ratio"] = doc.text.count("\n") / max(1, len(analysis.words))
        return super().filter(doc)
