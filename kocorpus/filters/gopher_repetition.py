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


_B = 0x100000001B3  # odd multiplier of the polynomial hash (mod 2**64: numpy's uint64 wrap-around)
_LEN_MIX = 0x9E3779B97F4A7C15
_POWERS: list = []  # [B**k, B**-k] mod 2**64 for k < their length, grown on demand up to _KEEP_POWERS
_KEEP_POWERS = 1 << 18  # longer documents get powers of their own (not kept: 16 bytes per character)


def _powers(length: int) -> list:
    import numpy as np

    if _POWERS and len(_POWERS[0]) >= length:
        return _POWERS
    size = max(length, min(2 * len(_POWERS[0]) if _POWERS else 4096, _KEEP_POWERS))
    up, down = np.full(size, _B, dtype=np.uint64), np.full(size, pow(_B, -1, 2**64), dtype=np.uint64)
    up[0] = down[0] = 1
    powers = [np.cumprod(up), np.cumprod(down)]
    if size <= _KEEP_POWERS:
        _POWERS[:] = powers
    return powers


def _has_repeat(values) -> bool:
    """True if some value occurs twice in the 1-d array."""
    s = values.copy()
    s.sort()
    return bool((s[1:] == s[:-1]).any())


class EojeolNGrams:
    """The n-gram values of one document's eojeols, on hashes and integer ids (numpy) instead of joined strings;
    each value equals the string function's above (tests/filters/test_fast_paths.py). Hashes only ever
    decide "no repeat" (equal strings always hash equal); any repeat of hashes goes to an exact path.

    - `top_repeated_chars(n)` = `top_repeated_ngram_chars`: n-grams joined with spaces are equal exactly when
      their eojeol sequences are. No eojeol bigram repeats (no repeated pair of word hashes; most documents)
      ⇒ no longer n-gram repeats ⇒ 0. Otherwise exact n-gram ids, level by level ((n−1)-gram id, next eojeol
      id) → `np.unique`; the most frequent id, ties to the first occurrence (what `Counter.most_common` picks).
    - `duplicated_chars(n)` = `duplicated_ngram_chars`: n-grams joined without a separator can be equal for
      different sequences (`할 수있다` / `할수 있다`), so ids do not decide it. First one exact check shared by
      every n ≥ min(`dup_ns`) (`_no_long_repeats`: most documents end there), then a polynomial hash of each
      n-gram's characters (all `dup_ns` at once): all distinct ⇒ 0, else the string scan decides.
    - `top_repeated_over(n, frac, length)`: the filter's top-n-gram test, on upper bounds of the value first."""

    def __init__(self, words: list[str], dup_ns: tuple[int, ...] = ()):
        import numpy as np

        self.words = words
        self.m = len(words)
        self.dup_ns = dup_ns
        self.lens = np.fromiter(map(len, words), dtype=np.int64, count=self.m)
        self._ids = None
        self._vocab = 0
        self._level: dict[int, tuple] = {}
        self._bigram_repeat: bool | None = None
        self._dup_repeat: dict[int, bool] = {}
        self._hash_keys: dict[int, object] = {}
        self._hash_top: dict[int, int] = {}
        self._cum = None
        self._distinct_from: dict[int, bool] = {}
        self._dup_min = min(dup_ns, default=1 << 30)  # without dup_ns each n checks on its own

    def _gram_ids(self, n: int) -> tuple:
        """(ids of the n-grams, first index of each id, count of each id), exact."""
        import numpy as np

        if self._ids is None:
            index = {w: i for i, w in enumerate(dict.fromkeys(self.words))}
            self._ids = np.fromiter(map(index.__getitem__, self.words), dtype=np.int64, count=self.m)
            self._vocab = len(index)
            self._level[1] = (self._ids, None, None)
        prev = (self._level.get(n - 1) or self._gram_ids(n - 1))[0]
        key = prev[:-1] * self._vocab + self._ids[n - 1 :]  # < (distinct (n−1)-grams) × vocab ≤ m²: exact
        _, first, inverse, counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
        self._level[n] = (inverse.reshape(-1), first, counts)
        return self._level[n]

    def top_repeated_chars(self, n: int) -> int:
        """Characters (joined with spaces) covered by the most frequent repeated n-gram; 0 if none repeats."""
        import numpy as np

        if self.m < n:
            return 0
        if n == 1:
            return top_repeated_ngram_chars(self.words, 1)
        if self._bigram_repeat is None:
            h = np.fromiter(map(hash, self.words), dtype=np.int64, count=self.m).view(np.uint64)
            self._bigram_repeat = _has_repeat(h[:-1] * np.uint64(_B) + h[1:])
        if not self._bigram_repeat:
            return 0
        _, first, counts = self._level.get(n) or self._gram_ids(n)
        top = int(counts.max())
        if top < 2:
            return 0
        at = int(first[counts == top].min())
        return (int(self.lens[at : at + n].sum()) + n - 1) * top

    def _window_chars(self, n: int) -> int:
        """Characters of the longest n-gram's words (without separators)."""
        import numpy as np

        if self._cum is None:
            self._cum = np.zeros(self.m + 1, dtype=np.int64)
            np.cumsum(self.lens, out=self._cum[1:])
        return int((self._cum[n:] - self._cum[:-n]).max())

    def _hashed_top_count(self, n: int) -> int:
        """Size of the largest group of equal 64-bit n-gram hashes (of the eojeols' hashes), 0 when all differ:
        equal n-grams hash equal, so it is at least the most frequent n-gram's count (if that repeats)."""
        import numpy as np

        if n not in self._hash_top:
            if not self._hash_keys:
                self._hash_keys[1] = np.fromiter(map(hash, self.words), dtype=np.int64, count=self.m).view(np.uint64)
            for k in range(max(self._hash_keys) + 1, n + 1):
                self._hash_keys[k] = self._hash_keys[k - 1][:-1] * np.uint64(_B) + self._hash_keys[1][k - 1 :]
            keys = np.sort(self._hash_keys[n])
            breaks = (keys[1:] != keys[:-1]).nonzero()[0]
            if len(breaks) == len(keys) - 1:
                self._hash_top[n] = 0
            else:
                bounds = np.empty(len(breaks) + 2, dtype=np.int64)
                bounds[0], bounds[1:-1], bounds[-1] = -1, breaks, len(keys) - 1
                self._hash_top[n] = int((bounds[1:] - bounds[:-1]).max())
        return self._hash_top[n]

    def top_repeated_over(self, n: int, frac: float, length: int) -> bool:
        """`top_repeated_chars(n) / length > frac`, decided on upper bounds where they suffice: the top n-gram
        occurs at most as often as the largest group of equal bigram hashes (each occurrence holds its first
        bigram) or of equal n-gram hashes, and is no longer than the longest n-gram. A bound at or under the
        share proves the value is too (most documents); otherwise the exact value decides."""
        if 2 <= n <= self.m:
            longest = self._window_chars(n) + n - 1
            for k in dict.fromkeys((2, n)):
                if self._hashed_top_count(k) * longest / length <= frac:
                    return False
        return self.top_repeated_chars(n) / length > frac

    def _no_long_repeats(self, n0: int) -> bool:
        """True when no two n-grams with n ≥ `n0`, joined without separator, can be equal: both would start at
        eojeol starts and run at least as far as the shortest n0-gram (k characters), so their first k
        characters would be equal — and those strings (one per start, compared exactly) are all distinct."""
        if n0 not in self._distinct_from:
            cum = self._cum_chars()
            k = int((cum[n0:] - cum[:-n0]).min())
            starts = cum[: self.m - n0 + 1].tolist()
            joined = "".join(self.words)
            self._distinct_from[n0] = len({joined[o : o + k] for o in starts}) == len(starts)
        return self._distinct_from[n0]

    def _cum_chars(self):
        """Offsets of the eojeols in the words joined without separator (m + 1 values)."""
        self._window_chars(1)
        return self._cum

    def _string_repeats(self, ns: list[int]) -> dict[int, bool]:
        """n → might two n-grams joined without separator be equal (False: certainly not), for each n ≤ m."""
        import numpy as np

        codes = np.frombuffer("".join(self.words).encode("utf-32-le"), dtype=np.uint32)
        up, down = _powers(len(codes))
        prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
        np.cumsum(codes * up[: len(codes)], out=prefix[1:])
        offsets = np.zeros(self.m + 1, dtype=np.int64)
        np.cumsum(self.lens, out=offsets[1:])
        width = self.m - min(ns) + 1
        start = np.arange(width)
        end = start[None, :] + np.array(ns)[:, None]  # n-gram i of row n: words start … start + n
        valid = end <= self.m
        a, b = offsets[:width][None, :], offsets[np.minimum(end, self.m)]
        hashes = (prefix[b] - prefix[a]) * down[a] + (b - a).astype(np.uint64) * np.uint64(_LEN_MIX)
        # past the row's last n-gram: distinct fillers (one equal to a real hash only sends the row to the scan)
        hashes[~valid] = np.arange(int((~valid).sum()), dtype=np.uint64) * np.uint64(_LEN_MIX) + np.uint64(_B)
        hashes.sort(axis=1)
        repeats = (hashes[:, 1:] == hashes[:, :-1]).any(axis=1)
        return dict(zip(ns, repeats.tolist(), strict=True))

    def duplicated_chars(self, n: int) -> int:
        """Characters in n-grams (joined without separator) repeating an earlier one (datatrove's scan)."""
        if self.m < n:
            return 0
        if self._no_long_repeats(self._dup_min if self._dup_min <= n else n):
            return 0  # the common case, proven by one exact check shared by every n ≥ min(dup_ns)
        if n not in self._dup_repeat:
            self._dup_repeat.update(self._string_repeats([k for k in {*self.dup_ns, n} if k <= self.m]))
        return duplicated_ngram_chars(self.words, n) if self._dup_repeat[n] else 0


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
        lines = self._line_splitter.split(text)
        line_dups, line_chars = find_duplicates(lines)
        doc.metadata["dup_line_frac"] = line_dups / len(lines)
        if self.dup_para_frac or self.dup_para_char_frac:  # both off in FineWeb-2 (and the pipelines): no split
            paragraphs = self.paragraph_exp.split(text.strip())
            para_dups, para_chars = find_duplicates(paragraphs)
            if self.dup_para_frac and para_dups / len(paragraphs) > self.dup_para_frac:
                return False, "dup_para_frac"
            if self.dup_para_char_frac and para_chars / len(text) > self.dup_para_char_frac:
                return False, "dup_para_char_frac"
        if self.dup_line_frac and line_dups / len(lines) > self.dup_line_frac:
            return False, "dup_line_frac"
        if self.dup_line_char_frac and line_chars / len(text) > self.dup_line_char_frac:
            return False, "dup_line_char_frac"
        grams = EojeolNGrams(eojeols(text), tuple(n for n, _ in self.dup_n_grams))
        for n, n_frac in self.top_n_grams:
            if grams.top_repeated_over(n, n_frac, len(text)):
                return False, f"top_{n}_gram"
        for n, n_frac in self.dup_n_grams:
            if grams.duplicated_chars(n) / len(text) > n_frac:
                return False, f"duplicated_{n}_n_grams"
        return True
