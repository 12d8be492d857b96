"""Gopher quality rules on eojeol units (no morphological analysis); thresholds recalibrated from FineWeb-2 kor_Hang.

FineWeb-2 counts Kiwi morphemes, where every particle, ending and punctuation mark is a "word"; here a word is
an eojeol (kocorpus/text/eojeol.py), which is what the Gopher rules mean by a word. Per rule:

- length, mean word length: eojeols with a letter or a digit (bullets, `|`, `---` are structure, not words),
  length measured without edge punctuation (`했다.` → 3);
- alphabetic ratio: eojeols with a letter ÷ all eojeols except bullets and table rules; inside a table a
  number cell (`1,234`, `12.5%`) counts as a word, elsewhere a bare number does not (as in FineWeb);
- `#` / ellipsis per word: per eojeol;
- stop words: FineWeb-2's Korean stop list is particles and endings (의, 는, 을, 에서, 다, 고 …); they are found
  as eojeol suffixes (`학교에서` → 에서), counted distinct, outside tables (cells are not prose); a document
  whose words are mostly table cells is not held to the rule.
Recalibration (benchmarks/quality_units.py): see pipelines/korean_web.yaml.
"""

from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.gopher_quality_filter import GopherQualityFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError, validate_range
from kocorpus.text.charclass import doc_classes
from kocorpus.text.eojeol import ALPHA, NUMBER, SYMBOL, core, eojeols, kind, stop_suffix_hits
from kocorpus.text.layout import is_list_item, table_rows

# FineWeb-2 kor_Hang stopwords as eojeol suffixes: its particles/endings (stems 하 했 있 되 never end an eojeol).
KOREAN_STOP_SUFFIXES = "의 다 이 는 에 을 한 년 은 를 고 에서 가 으로 인 월 로".split()


@dataclass(kw_only=True)
class GopherQualityConfig:
    """Document-level quality thresholds in eojeol units; null disables a rule."""

    enabled: bool = True
    min_doc_words: int | None = 23
    """Minimum eojeols with a letter or digit (the minimum length)."""
    max_doc_words: int | None = 47_000
    """Maximum eojeols with a letter or digit (the maximum length)."""
    min_avg_word_length: float | None = 2.0
    max_avg_word_length: float | None = 12.0
    """Mean characters per eojeol (edge punctuation excluded), bounds."""
    max_symbol_word_ratio: float | None = 0.2
    """Maximum `#` (or ellipses) per eojeol."""
    max_bullet_lines_ratio: float | None = 0.9
    """Maximum fraction of lines starting with • or - (datatrove's definition)."""
    max_ellipsis_lines_ratio: float | None = 0.3
    max_non_alpha_words_ratio: float | None = 0.8
    """datatrove's rule: drop when the fraction of eojeols with a letter is below this value."""
    min_stop_words: int | None = 2
    """Minimum distinct `stop_words` found as eojeol suffixes."""
    stop_words: list[str] = field(default_factory=lambda: list(KOREAN_STOP_SUFFIXES))

    def __post_init__(self) -> None:
        for key in ("max_symbol_word_ratio", "max_bullet_lines_ratio", "max_ellipsis_lines_ratio"):
            if getattr(self, key) is not None:
                validate_range(key, getattr(self, key), 0.0, 1.0)
        if self.max_non_alpha_words_ratio is not None:
            validate_range("max_non_alpha_words_ratio", self.max_non_alpha_words_ratio, 0.0, 1.0)
        if self.min_doc_words and self.max_doc_words and self.min_doc_words > self.max_doc_words:
            raise ConfigError("min_doc_words: larger than max_doc_words")
        if any(not w.strip() for w in self.stop_words):
            raise ConfigError("stop_words: empty entry")


def eojeol_counts(text: str) -> dict[str, float]:
    """Per token (the readable reference of `eojeol_values`, which the filter runs): the per-document values the rules compare: `n_eojeols`, `avg_eojeol_len`, `alpha_eojeol_ratio`,
    `n_tokens` (every whitespace token, the per-word denominator), `table_words` (eojeols in table rows),
    `prose` (the tokens outside tables)."""
    lines = text.split("\n")
    table = table_rows(lines)
    prose: list[str] = []
    n_tokens = n_alpha = n_counted = n_words = word_chars = table_words = 0
    for i, line in enumerate(lines):
        tokens = eojeols(line)
        n_tokens += len(tokens)
        in_table = i in table
        if not in_table:
            prose += tokens
        for j, token in enumerate(tokens):
            k = kind(token)
            if k == SYMBOL:
                if (j == 0 and is_list_item(line)) or in_table:
                    continue  # a bullet or a table rule: structure, not a word
            else:
                n_words += 1
                word_chars += len(core(token))
                table_words += in_table
            n_counted += 1
            n_alpha += k == ALPHA or (in_table and k == NUMBER)
    return {
        "n_eojeols": n_words,
        "avg_eojeol_len": word_chars / n_words if n_words else 0.0,
        "alpha_eojeol_ratio": n_alpha / n_counted if n_counted else 0.0,
        "n_tokens": n_tokens,
        "table_words": table_words,
        "prose": prose,
    }


def eojeol_values(text: str, suffixes: frozenset[str], max_suffix: int, flags=None) -> dict[str, float]:
    """`eojeol_counts`' values (without `prose`) plus `stop_suffix_count` (distinct `suffixes` found as
    suffixes of prose eojeols), computed column-wise on `token_arrays` instead of per token: the same numbers
    (tests/filters/test_fast_paths.py). Only the lines' table/list-item checks remain per line."""
    import numpy as np

    from kocorpus.text.eojeol import suffix_hits, token_arrays

    lines = text.split("\n")
    table = table_rows(lines)
    t = token_arrays(text, flags)
    m = len(t["start"])
    tline = t["line"]  # each token's line
    letter, digit = t["letter"], t["digit"]
    word = letter | digit
    symbol = ~word
    if table:
        in_table = np.zeros(len(lines), dtype=bool)
        in_table[list(table)] = True
        tin = in_table[tline]
    else:
        tin = np.zeros(m, dtype=bool)
    first = np.ones(m, dtype=bool)
    first[1:] = tline[1:] != tline[:-1]
    bullet = np.zeros(m, dtype=bool)  # a leading SYMBOL token of a list item: structure, not a word
    for i in (symbol & first & ~tin).nonzero()[0].tolist():
        bullet[i] = is_list_item(lines[tline[i]])
    n_words = int(np.count_nonzero(word))
    n_counted = m - int(np.count_nonzero(symbol & (tin | bullet)))
    n_alpha = int(np.count_nonzero(letter | (tin & digit)))  # ALPHA, or a NUMBER cell inside a table
    stop = 0
    if suffixes:
        found = suffix_hits(text, t, ~tin, suffixes)
        if found is None:
            prose = [tok for i, line in enumerate(lines) if i not in table for tok in eojeols(line)]
            found = stop_suffix_hits(prose, suffixes, max_suffix)
        stop = len(found)
    return {
        "n_eojeols": n_words,
        "avg_eojeol_len": int(t["core_len"][word].sum()) / n_words if n_words else 0.0,
        "alpha_eojeol_ratio": n_alpha / n_counted if n_counted else 0.0,
        "n_tokens": m,
        "table_words": int(np.count_nonzero(word & tin)),
        "stop_suffix_count": stop,
    }


class KoGopherQualityFilter(GopherQualityFilter):
    """Gopher quality rules on eojeols. Records `n_eojeols`, `avg_eojeol_len`, `alpha_eojeol_ratio` and
    `stop_suffix_count`; reasons are datatrove's (`gopher_short_doc`, `gopher_below_alpha_threshold`, …)."""

    name = "🥇 Gopher quality (eojeol)"

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
        )
        self.config = config
        self._suffixes = frozenset(config.stop_words)
        self._max_suffix = max(map(len, config.stop_words), default=0)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        text = doc.text
        c = eojeol_values(text, self._suffixes, self._max_suffix, doc_classes(doc))
        n_words, avg, stop = c["n_eojeols"], c["avg_eojeol_len"], c["stop_suffix_count"]
        doc.metadata.update(
            n_eojeols=n_words, avg_eojeol_len=avg, alpha_eojeol_ratio=c["alpha_eojeol_ratio"], stop_suffix_count=stop
        )
        if not n_words or (self.min_doc_words and n_words < self.min_doc_words):
            return False, "gopher_short_doc"
        if self.max_doc_words and n_words > self.max_doc_words:
            return False, "gopher_long_doc"
        if self.min_avg_word_length and avg < self.min_avg_word_length:
            return False, "gopher_below_avg_threshold"
        if self.max_avg_word_length and avg > self.max_avg_word_length:
            return False, "gopher_above_avg_threshold"
        n_tokens = max(1, c["n_tokens"])
        if self.max_symbol_word_ratio and text.count("#") / n_tokens > self.max_symbol_word_ratio:
            return False, "gopher_too_many_hashes"
        if self.max_symbol_word_ratio and (text.count("...") + text.count("…")) / n_tokens > self.max_symbol_word_ratio:
            return False, "gopher_too_many_ellipsis"
        lines = text.splitlines()
        if (
            self.max_bullet_lines_ratio
            and sum(s.lstrip().startswith(("•", "-")) for s in lines) / len(lines) > self.max_bullet_lines_ratio
        ):
            return False, "gopher_too_many_bullets"
        if (
            self.max_ellipsis_lines_ratio
            and sum(s.rstrip().endswith(("...", "…")) for s in lines) / len(lines) > self.max_ellipsis_lines_ratio
        ):
            return False, "gopher_too_many_end_ellipsis"
        if self.max_non_alpha_words_ratio and c["alpha_eojeol_ratio"] < self.max_non_alpha_words_ratio:
            return False, "gopher_below_alpha_threshold"
        if self.min_stop_words and stop < self.min_stop_words and 2 * c["table_words"] < n_words:
            return False, "gopher_enough_stop_words"
        return True
