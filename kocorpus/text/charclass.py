"""Character classes of a whole text in one numpy table lookup, instead of one regex scan per class.

`classes(text)` gives one uint8 per character (Python `len` units) with bit flags; each flag is defined by the
regular expression the per-character code used, and the table is built by running that expression over every
code point of a 65,536-code-point block (once per process, the first time a text has a character in the
block), so a count of a flag equals `len(regex.findall(text))` exactly (tests/text/test_charclass.py).
"""

from __future__ import annotations

import re

import numpy as np

LETTER = 1  # [^\W\d_]: a letter of any script (kocorpus.text.hangul._LETTER_RE, eojeol._LETTER)
DIGIT = 2  # \d
SPACE = 4  # \s (str.split() whitespace and the same set as re's \s for str patterns)
HANGUL = 8  # a Hangul syllable or jamo (kocorpus.text.hangul.HANGUL_RANGES)
SYLLABLE = 16  # a Hangul syllable 가–힣 (U+AC00–U+D7A3)
WORD = 32  # [^\W_]: a letter or a digit (what edge punctuation stripping keeps: eojeol.core)

_BLOCK = 1 << 16
_TABLE = np.zeros(0x110000, dtype=np.uint8)
_BUILT: set[int] = set()


def _patterns() -> list[tuple[int, re.Pattern]]:
    from kocorpus.text.hangul import HANGUL_RANGES

    hangul = "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HANGUL_RANGES) + "]"
    return [
        (LETTER, re.compile(r"[^\W\d_]")),
        (DIGIT, re.compile(r"\d")),
        (SPACE, re.compile(r"\s")),
        (HANGUL, re.compile(hangul)),
        (SYLLABLE, re.compile("[\uac00-\ud7a3]")),
        (WORD, re.compile(r"[^\W_]")),
    ]


def _build(block: int) -> None:
    lo = block * _BLOCK
    chars = "".join(map(chr, range(lo, min(lo + _BLOCK, 0x110000))))
    for flag, rx in _patterns():
        at = np.fromiter((m.start() for m in rx.finditer(chars)), dtype=np.int64)
        _TABLE[lo + at] |= flag
    _BUILT.add(block)


def code_points(text: str) -> np.ndarray:
    """The code points of `text` (uint32, one per character; lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def classes(text: str) -> np.ndarray:
    """Flags (LETTER | DIGIT | SPACE | HANGUL | SYLLABLE | WORD) of each character of `text`, uint8."""
    cp = code_points(text)
    if not len(cp):
        return np.zeros(0, dtype=np.uint8)
    top = int(cp.max()) >> 16
    if top > 1 or top not in _BUILT or 0 not in _BUILT:
        for block in np.unique(cp >> 16).tolist():
            if block not in _BUILT:
                _build(block)
    return _TABLE[cp]


def count(flags: np.ndarray, flag: int) -> int:
    """Characters with `flag` set."""
    return int(np.count_nonzero(flags & flag))


_CACHE_KEY = "_charclass"  # private metadata key (leading underscore: never written)


def doc_classes(doc) -> np.ndarray:
    """`classes(doc.text)`, computed once per text: kept on the document's private metadata and recomputed only
    when a step has replaced `doc.text` since (checked by identity, so a rewrite is never missed)."""
    cached = doc.metadata.get(_CACHE_KEY)
    if cached is None or cached[0] is not doc.text:
        cached = (doc.text, classes(doc.text))
        doc.metadata[_CACHE_KEY] = cached
    return cached[1]
