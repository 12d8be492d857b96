"""Eojeol units: the whitespace-separated words of Korean text, classified without a morphological analyzer.

An eojeol (어절) is what a Korean writer separates with spaces: a content word with its particles and endings
(`학교에서`, `먹었다.`). It is the unit that plays the role of an English word in the Gopher/FineWeb rules:
one eojeol ≈ one English word in meaning, whereas Kiwi morphemes split off every particle, ending and
punctuation mark (≈ 2.3 units per eojeol). Every token is one of three kinds:

- ALPHA:  has a letter (Hangul syllable or jamo, Latin, Hanja …): `학교에서`, `GPU로`, `2024년`, `ㅋㅋ`;
- NUMBER: no letter, a digit: `2024`, `1,234`, `12.5%`, `3/4`, `(2)`;
- SYMBOL: neither: `-`, `·`, `|`, `※`, `→`, `---`, `^^`. Bullets and table rules are SYMBOL tokens:
  structure, not words, so the rules leave them out of word counts (as datatrove drops punctuation words).
"""

import re

_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")

ALPHA, NUMBER, SYMBOL = "alpha", "number", "symbol"


def eojeols(text: str) -> list[str]:
    """Whitespace-separated tokens of `text`."""
    return text.split()


def kind(token: str) -> str:
    """ALPHA, NUMBER or SYMBOL (see the module docstring)."""
    if _LETTER.search(token):
        return ALPHA
    return NUMBER if _DIGIT.search(token) else SYMBOL


def core(token: str) -> str:
    """`token` without leading/trailing punctuation and symbols (`"먹었다."` → `먹었다`, `(2024)` → `2024`)."""
    return _EDGE.sub("", token)


def stop_suffix_hits(tokens: list[str], suffixes: frozenset[str], max_len: int) -> set[str]:
    """Distinct `suffixes` that end some Hangul eojeol longer than the suffix (`학교에서` → `에서`): the
    particles and endings that Gopher's stop-word rule looks for, found without splitting morphemes."""
    found: set[str] = set()
    for token in tokens:
        word = core(token)
        for n in range(1, min(max_len, len(word) - 1) + 1):
            if word[-n:] in suffixes:
                found.add(word[-n:])
    return found
