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

import functools
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


def token_arrays(text: str, flags=None) -> dict:
    """Every whitespace token of `text` (those of `eojeols(text)`, in order) as numpy arrays, from the character
    classes of `kocorpus.text.charclass` (`flags`: `classes(text)` if already computed): `start`, `end` (char
    offsets), `line` (index in `text.split("\\n")`), `letter` / `digit` (has one: ALPHA = letter, NUMBER = digit
    and no letter, else SYMBOL, as `kind`), `cp` (the text's code points), `core_len` (`len(core(token))`) and `core_end` (offset after the
    core's last character; the core is `text[core_end - core_len:core_end]`)."""
    import numpy as np

    from kocorpus.text.charclass import DIGIT, LETTER, SPACE, WORD, classes, code_points

    # (array methods and nonzero()/count_nonzero instead of the np.* wrappers: documents are short, so the
    # per-call overhead of numpy is most of the cost)
    flags = classes(text) if flags is None else flags
    solid = np.zeros(len(flags) + 2, dtype=np.int8)
    solid[1:-1] = (flags & SPACE) == 0
    edge = solid[1:] - solid[:-1]
    start, end = (edge == 1).nonzero()[0], (edge == -1).nonzero()[0]
    out = {"start": start, "end": end}
    if not len(start):
        empty = np.zeros(0, dtype=np.int64)
        return (
            out
            | {k: empty for k in ("line", "core_len", "core_end")}
            | {k: empty.astype(bool) for k in ("letter", "digit")}
        )
    out["cp"] = code_points(text)
    out["line"] = (out["cp"] == 10).nonzero()[0].searchsorted(start)
    # a reduceat segment runs to the next token's start: the spaces between add no letter or digit
    has = np.bitwise_or.reduceat(flags, start)
    out["letter"] = (has & LETTER) > 0
    out["digit"] = (has & DIGIT) > 0
    word = (flags & WORD).nonzero()[0]  # the core runs from the token's first to its last [^\W_] character
    first, last = word.searchsorted(start), word.searchsorted(end) - 1
    has = last >= first
    if len(word):
        lo, hi = word[np.minimum(first, len(word) - 1)], word[np.maximum(last, 0)]
        out["core_len"] = np.where(has, hi - lo + 1, 0)
        out["core_end"] = np.where(has, hi + 1, end)
    else:
        out["core_len"], out["core_end"] = np.zeros(len(start), dtype=np.int64), end
    return out


@functools.lru_cache(maxsize=16)
def _suffix_keys(suffixes: frozenset[str]) -> tuple[tuple[int, dict[int, str]], ...]:
    """(length, {code-point key: suffix}) per suffix length; a key packs 21 bits per character."""
    by_len: dict[int, dict[int, str]] = {}
    for s in suffixes:
        by_len.setdefault(len(s), {})[sum(ord(c) << (21 * (len(s) - 1 - i)) for i, c in enumerate(s))] = s
    return tuple(sorted(by_len.items()))


def suffix_hits(text: str, tokens: dict, mask, suffixes: frozenset[str]) -> set[str] | None:
    """`stop_suffix_hits` of the tokens selected by the boolean `mask` over `token_arrays(text)`, on code
    points (numpy); None when a suffix is longer than 3 characters (the caller takes the per-token path)."""
    import numpy as np

    if any(len(s) > 3 for s in suffixes):
        return None
    if not len(tokens["start"]):
        return set()
    cp = tokens["cp"]
    found: set[str] = set()
    for n, keys in _suffix_keys(suffixes):
        at = tokens["core_end"][mask & (tokens["core_len"] > n)] - n
        key = cp[at].astype(np.int64)
        for i in range(1, n):
            key = (key << 21) | cp[at + i]
        found.update(keys[k] for k in keys.keys() & set(key.tolist()))
    return found
