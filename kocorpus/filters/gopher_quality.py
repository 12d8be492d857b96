"""Gopher quality filter on Kiwi word units (datatrove's GopherQualityFilter, FineWeb-2 kor_Hang values)."""

from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.gopher_quality_filter import GopherQualityFilter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.text import PUNCTUATION_SET

from kocorpus.analysis.kiwi_analysis import AnalysisWords, get_analysis
from kocorpus.config import ConfigError, validate_range

# FineWeb-2 kor_Hang stopwords (Kiwi surface units).
KOREAN_STOPWORDS = "의 다 이 는 에 을 한 년 하 은 를 했 고 에서 가 있 으로 인 월 로 되".split()


@dataclass(kw_only=True)
class GopherQualityConfig:
    """Document-level quality thresholds in Kiwi word units; null disables a rule."""

    enabled: bool = True
    min_doc_words: int | None = 50
    """Minimum non-punctuation Kiwi units (the minimum length)."""
    max_doc_words: int | None = 100_000
    """Maximum non-punctuation Kiwi units (the maximum length)."""
    min_avg_word_length: float | None = 1.0
    max_avg_word_length: float | None = 6.0
    """Average characters per Kiwi unit, bounds."""
    max_symbol_word_ratio: float | None = 0.1
    """Maximum (# or ellipsis) per word."""
    max_bullet_lines_ratio: float | None = 0.9
    max_ellipsis_lines_ratio: float | None = 0.3
    max_non_alpha_words_ratio: float | None = 0.791
    """datatrove's rule: drop when the fraction of words with a letter is below this value."""
    min_stop_words: int | None = 2
    stop_words: list[str] = field(default_factory=lambda: list(KOREAN_STOPWORDS))

    def __post_init__(self) -> None:
        for key in ("max_symbol_word_ratio", "max_bullet_lines_ratio", "max_ellipsis_lines_ratio"):
            if getattr(self, key) is not None:
                validate_range(key, getattr(self, key), 0.0, 1.0)
        if self.max_non_alpha_words_ratio is not None:
            validate_range("max_non_alpha_words_ratio", self.max_non_alpha_words_ratio, 0.0, 1.0)
        if self.min_doc_words and self.max_doc_words and self.min_doc_words > self.max_doc_words:
            raise ConfigError("min_doc_words: larger than max_doc_words")


class KoGopherQualityFilter(GopherQualityFilter):
    """datatrove's Gopher quality rules with Kiwi words and Korean stopwords. Records `n_words`,
    `avg_word_len` and `stopword_count`; reasons are datatrove's (`gopher_short_doc`, …)."""

    name = "🥇 Gopher quality (Kiwi)"

    def __init__(self, config: GopherQualityConfig | None = None, exclusion_writer: DiskWriter | None = None):
        config = config or GopherQualityConfig()
        super().__init__(
            min_doc_words=config.min_doc_words,
            max_doc_words=config.max_doc_words,
            min_avg_word_length=config.min_avg_word_length,
            max_avg_word_length=config.max_avg_word_length,
            max_symbol_word_ratio=config.max_symbol_word_ratio,
            max_bullet_lines_ratio=config.max_bullet_lines_ratio,
            max_ellipsis_lines_ratio=config.max_ellipsis_lines_ratio,
            max_non_alpha_words_ratio=config.max_non_alpha_words_ratio,
            min_stop_words=config.min_stop_words,
            stop_words=config.stop_words,
            exclusion_writer=exclusion_writer,
            language=AnalysisWords(),
        )
        self.config = config

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        analysis = get_analysis(doc)
        self.language.bind(doc.text, analysis)
        words = [w for w in analysis.words if any(ch not in PUNCTUATION_SET for ch in w)]
        doc.metadata["n_words"] = len(words)
        doc.metadata["avg_word_len"] = sum(map(len, words)) / len(words) if words else 0.0
        doc.metadata["stopword_count"] = len(self.stop_words.intersection(analysis.words))
        if not analysis.words:
            return False, "gopher_short_doc"
        return super().filter(doc)
