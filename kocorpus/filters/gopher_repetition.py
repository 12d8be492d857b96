"""Gopher repetition rules on eojeol n-grams (no morphological analysis); Gopher's word-level thresholds.

An eojeol n-gram is what Gopher means by a word n-gram (an English word ≈ a Korean eojeol); Kiwi morpheme
n-grams, on which FineWeb-2 set `kor_Hang` values, are ~2.3× shorter and repeat by grammar (particles,
endings). One fix to datatrove's top-n-gram rule: the most frequent n-gram counts only if it occurs at least
twice (the rule is about *repeated* n-grams; datatrove's version also fires on a short text whose every n-gram
is unique, because one n-gram then covers a large share of it).
"""

from collections import Counter
from dataclasses import dataclass, field

from datatrove.data import Document
from datatrove.pipeline.filters.gopher_repetition_filter import GopherRepetitionFilter, find_duplicates
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import validate_range
from kocorpus.text.eojeol import eojeols


@dataclass(kw_only=True)
class GopherRepetitionConfig:
    """Repetition thresholds (fractions 0–1 of the document's characters; null disables one), on eojeols."""

    enabled: bool = True
    dup_line_frac: float | None = 0.374
    """Maximum fraction of lines that repeat an earlier line (FineWeb-2 kor_Hang; unit-free)."""
    dup_para_frac: float | None = None
    """FineWeb-2 disables the paragraph and line-character rules (null); set a fraction to enable."""
    dup_line_char_frac: float | None = None
    dup_para_char_frac: float | None = None
    top_n_grams: dict[int, float] = field(default_factory=lambda: {2: 0.2, 3: 0.18, 4: 0.16})
    """n → maximum fraction of characters covered by the most frequent repeated eojeol n-gram."""
    dup_n_grams: dict[int, float] = field(
        default_factory=lambda: {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}
    )
    """n → maximum fraction of characters in repeated eojeol n-grams."""

    def __post_init__(self) -> None:
        for key in ("dup_line_frac", "dup_para_frac", "dup_line_char_frac", "dup_para_char_frac"):
            if getattr(self, key) is not None:
                validate_range(key, getattr(self, key), 0.0, 1.0)
        for key in ("top_n_grams", "dup_n_grams"):
            for n, frac in getattr(self, key).items():
                validate_range(f"{key}.{n}", frac, 0.0, 1.0)
                validate_range(f"{key}.{n} (n)", n, 1, 100)


def _n_grams(words: list[str], n: int, sep: str) -> list[str]:
    """`sep`-joined n-grams of `words` in order (datatrove's n-grams, built in C: zip + map instead of slicing)."""
    return list(map(sep.join, zip(*(words[i:] for i in range(n)), strict=False))) if len(words) >= n else []


def top_repeated_ngram_chars(words: list[str], n: int) -> int:
    """Characters (joined with spaces, as datatrove) covered by the most frequent n-gram, 0 if none repeats."""
    grams = _n_grams(words, n, " ")
    if not grams:
        return 0
    gram, count = Counter(grams).most_common(1)[0]
    return len(gram) * count if count > 1 else 0


def duplicated_ngram_chars(words: list[str], n: int) -> int:
    """datatrove's `find_all_duplicate`, same result: characters in n-grams (joined without separator) that
    repeat an earlier one, scanning left to right and skipping past each repeat. A set of the n-grams decides
    the common case (none repeats → 0) in C; only documents with a repeat take the scan."""
    grams = _n_grams(words, n, "")
    if len(set(grams)) == len(grams):
        return 0
    unique: set[str] = set()
    repeated = idx = 0
    while idx < len(grams):
        gram = grams[idx]
        if gram in unique:
            repeated += len(gram)
            idx += n
        else:
            unique.add(gram)
            idx += 1
    return repeated


class KoGopherRepetitionFilter(GopherRepetitionFilter):
    """Gopher repetition rules with eojeols as words. Records `dup_line_frac`; reasons are datatrove's
    (`dup_line_frac`, `top_2_gram`, `duplicated_5_n_grams` …)."""

    name = "👯 Gopher repetition (eojeol)"

    def __init__(self, config: GopherRepetitionConfig | None = None, exclusion_writer: DiskWriter | None = None):
        config = config or GopherRepetitionConfig()
        super().__init__(
            dup_line_frac=config.dup_line_frac,
            dup_para_frac=config.dup_para_frac or 0,  # datatrove: 0 disables a rule
            dup_line_char_frac=config.dup_line_char_frac or 0,
            dup_para_char_frac=config.dup_para_char_frac or 0,
            top_n_grams=tuple(sorted(config.top_n_grams.items())),
            dup_n_grams=tuple(sorted(config.dup_n_grams.items())),
            exclusion_writer=exclusion_writer,
        )
        self.config = config

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        text = doc.text
        if not text:
            return False, "empty"
        paragraphs = self.paragraph_exp.split(text.strip())
        para_dups, para_chars = find_duplicates(paragraphs)
        lines = self._line_splitter.split(text)
        line_dups, line_chars = find_duplicates(lines)
        doc.metadata["dup_line_frac"] = line_dups / len(lines)
        if self.dup_para_frac and para_dups / len(paragraphs) > self.dup_para_frac:
            return False, "dup_para_frac"
        if self.dup_para_char_frac and para_chars / len(text) > self.dup_para_char_frac:
            return False, "dup_para_char_frac"
        if self.dup_line_frac and line_dups / len(lines) > self.dup_line_frac:
            return False, "dup_line_frac"
        if self.dup_line_char_frac and line_chars / len(text) > self.dup_line_char_frac:
            return False, "dup_line_char_frac"
        words = eojeols(text)
        for n, n_frac in self.top_n_grams:
            if top_repeated_ngram_chars(words, n) / len(text) > n_frac:
                return False, f"top_{n}_gram"
        for n, n_frac in self.dup_n_grams:
            if duplicated_ngram_chars(words, n) / len(text) > n_frac:
                return False, f"duplicated_{n}_n_grams"
        return True
