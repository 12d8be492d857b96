"""Hangul character classes and ratios."""

import re

# Unicode blocks that hold Hangul (code point ranges, inclusive).
HANGUL_RANGES: tuple[tuple[int, int], ...] = (
    (0xAC00, 0xD7A3),  # syllables
    (0x1100, 0x11FF),  # conjoining jamo
    (0x3130, 0x318F),  # compatibility jamo (ㅋ, ㅠ …)
    (0xA960, 0xA97F),  # jamo extended-A
    (0xD7B0, 0xD7FF),  # jamo extended-B
)
# Conjoining (combining) jamo: left over when NFD Hangul is not recomposed.
CONJOINING_JAMO_RANGES: tuple[tuple[int, int], ...] = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))


def is_hangul(ch: str) -> bool:
    """True if the single character `ch` is a Hangul syllable or jamo."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in HANGUL_RANGES)


_HANGUL_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HANGUL_RANGES) + "]")
_SPACE_RE = re.compile(r"\s")


def hangul_ratio(text: str, flags=None) -> float:
    """Hangul characters ÷ non-whitespace characters, in [0, 1]; 0.0 for a text without any non-space.
    `flags`: `kocorpus.text.charclass.classes(text)` if already computed."""
    from kocorpus.text.charclass import HANGUL, SPACE, classes, count

    flags = classes(text) if flags is None else flags
    non_space = len(flags) - count(flags, SPACE)
    return count(flags, HANGUL) / non_space if non_space else 0.0


_LETTER_RE = re.compile(r"[^\W\d_]")


def hangul_letter_ratio(text: str, flags=None) -> float:
    """Hangul characters ÷ letters (any script; digits, punctuation and symbols left out), in [0, 1]; 0.0 for a
    text without letters. Unlike `hangul_ratio`, a table of figures or a price list is not penalised for its
    numbers: only the script of the words counts. `flags` as in `hangul_ratio`."""
    from kocorpus.text.charclass import HANGUL, LETTER, classes, count

    flags = classes(text) if flags is None else flags
    letters = count(flags, LETTER)
    return count(flags, HANGUL) / letters if letters else 0.0
