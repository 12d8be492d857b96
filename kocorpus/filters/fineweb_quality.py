"""FineWeb quality rules with Korean line endings, list items, tables and eojeol units (no morphological analysis).

`line_punct_ratio` (FineWeb: share of lines that end a sentence) counts a line as terminated when it ends in
terminal punctuation, a Korean sentence-final syllable (다 요 죠 까 네) or a nominal ending of 개조식 writing
(음 함 임 됨 것 기), when it is a list item (bullet or enumerator: -, ·, ※, ◦, 1), ①, 가.), or when it is a table row
(kocorpus/text/layout.py): such lines are complete units in Korean notes, minutes and statistics pages.
`list_ratio` counts newlines per eojeol instead of per Kiwi unit (threshold recalibrated, see the YAML).
One rule FineWeb has not: `unfinished_lines` — prose lines that hold a finished sentence (…했다.) but stop in
the middle of another (shuffled or cut text); see kocorpus/text/layout.py `unfinished_lines`.
"""

from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.fineweb_quality_filter import FineWebQualityFilter
from datatrove.pipeline.filters.gopher_repetition_filter import find_duplicates
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.text import TERMINAL_PUNCTUATION

from kocorpus.config import validate_range
from kocorpus.text.eojeol import eojeols
from kocorpus.text.layout import (
    NOMINAL_ENDINGS,
    SENTENCE_FINAL,
    ends_korean,
    is_list_item,
    table_rows,
    unfinished_lines,
)

KOREAN_FINAL_SYLLABLES = SENTENCE_FINAL


@dataclass(kw_only=True)
class FineWebQualityConfig:
    """Line-level quality thresholds; FineWeb-2 `kor_Hang` values where the unit did not change."""

    enabled: bool = True
    line_punct_thr: float = 0.062
    """Minimum fraction of non-empty lines that are terminated (see the module docstring)."""
    line_punct_exclude_zero: bool = False
    extra_stop_chars: list[str] = field(default_factory=lambda: list(SENTENCE_FINAL))
    """Line endings counted as terminal besides datatrove's punctuation set: Korean sentence-final syllables."""
    nominal_endings: list[str] = field(default_factory=lambda: list(NOMINAL_ENDINGS))
    """Nominal endings of 개조식 lines counted as terminal (확인함, 변경됨, 제출할 것); [] disables."""
    list_items_terminated: bool = True
    """A line starting with a bullet or enumerator counts as terminated (a noun-phrase list item)."""
    table_rows_terminated: bool = True
    """A table row (pipe/Markdown, aligned columns, runs of figure rows) counts as terminated."""
    short_line_thr: float | None = None
    """Maximum fraction of lines of at most `short_line_length` characters; null disables it, as FineWeb-2 does
    (comments and chat are short-line text by nature)."""
    short_line_length: int = 30
    char_duplicates_ratio: float = 0.1
    """Maximum fraction of characters in duplicated lines."""
    new_line_ratio: float = 0.45
    """Maximum newlines per eojeol (whitespace token)."""
    max_unfinished_line_ratio: float | None = 0.5
    """Maximum share of checked prose lines that stop mid-sentence (null disables the rule)."""
    unfinished_min_lines: int = 2
    """The rule applies only to documents with at least this many checked prose lines."""

    def __post_init__(self) -> None:
        for key in ("line_punct_thr", "short_line_thr", "char_duplicates_ratio", "new_line_ratio"):
            if getattr(self, key) is not None:
                validate_range(key, getattr(self, key), 0.0, 1.0)
        if self.max_unfinished_line_ratio is not None:
            validate_range("max_unfinished_line_ratio", self.max_unfinished_line_ratio, 0.0, 1.0)
        validate_range("unfinished_min_lines", self.unfinished_min_lines, 1, 10_000)


class KoFineWebQualityFilter(FineWebQualityFilter):
    """FineWeb quality rules for Korean. Records `line_end_ratio`, `newlines_per_eojeol` and
    `unfinished_line_ratio`; reasons are datatrove's (`line_punct_ratio`, `short_line_ratio`, `char_dup_ratio`,
    `list_ratio`) and `unfinished_lines`."""

    name = "🍷 FineWeb quality (Korean lines)"

    def __init__(self, config: FineWebQualityConfig | None = None, exclusion_writer: DiskWriter | None = None):
        config = config or FineWebQualityConfig()
        super().__init__(
            exclusion_writer=exclusion_writer,
            line_punct_thr=config.line_punct_thr,
            line_punct_exclude_zero=config.line_punct_exclude_zero,
            stop_chars=tuple(TERMINAL_PUNCTUATION) + tuple(config.extra_stop_chars) + tuple(config.nominal_endings),
            short_line_thr=999 if config.short_line_thr is None else config.short_line_thr,
            short_line_length=config.short_line_length,
            char_duplicates_ratio=config.char_duplicates_ratio,
            new_line_ratio=config.new_line_ratio,
        )
        self.config = config
        self._endings = tuple(config.extra_stop_chars) + tuple(config.nominal_endings)

    def terminated(self, lines: list[str], table: set[int] | None = None) -> list[bool]:
        """Per non-empty line: does it count as terminated (sentence, nominal ending, list item, table row)?"""
        if not self.config.table_rows_terminated:
            table = set()
        elif table is None:
            table = table_rows(lines)
        return [
            ends_korean(line, self._endings) or (self.config.list_items_terminated and is_list_item(line)) or i in table
            for i, line in enumerate(lines)
        ]

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        text = doc.text
        lines = [line for line in text.split("\n") if line.strip()]
        n_tokens = len(eojeols(text))
        doc.metadata["newlines_per_eojeol"] = text.count("\n") / max(1, n_tokens)
        if not lines:
            doc.metadata["line_end_ratio"] = 0.0
            return False, "empty"
        table = table_rows(lines)
        checked, unfinished = unfinished_lines(lines, table)
        doc.metadata["unfinished_line_ratio"] = unfinished / checked if checked else 0.0
        ratio = sum(self.terminated(lines, table)) / len(lines)
        doc.metadata["line_end_ratio"] = ratio
        if ratio < self.line_punct_thr and not (ratio == 0 and self.line_punct_exclude_zero):
            return False, "line_punct_ratio"
        if sum(1 for line in lines if len(line) <= self.short_line_length) / len(lines) > self.short_line_threshold:
            return False, "short_line_ratio"
        if find_duplicates(lines)[1] / max(1, len(text.replace("\n", ""))) > self.char_duplicates_ratio:
            return False, "char_dup_ratio"
        if text.count("\n") / max(1, n_tokens) > self.new_line_ratio:
            return False, "list_ratio"
        limit = self.config.max_unfinished_line_ratio
        if limit is not None and checked >= self.config.unfinished_min_lines and unfinished / checked > limit:
            return False, "unfinished_lines"
        return True
