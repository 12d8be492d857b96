"""mecab-ko (python-mecab-ko with its bundled mecab-ko-dic) as an analysis backend, mapped onto Kiwi's tag set.

One mapping, `map_feature`, turns a mecab-ko-dic feature string into Kiwi-style units:
- compound tags (`VV+EP`, `XSA+ETM`, `EP+EF` …) are split into one unit per part; the parts' lemma forms come from
  the dictionary's expression column (`가/VV/*+았었/EP/*`), every part keeps the surface span of the whole token,
  as Kiwi does for fused syllables (갔 → 가/VV + 았/EP over the same character); a leading initial-consonant jamo
  of a form becomes the final-consonant jamo Kiwi writes (ᄇ니다 → ᆸ니다);
- `NNBC` (unit noun) → `NNB`; `SC` (separators , · / :) → `SP`; `SY` → `SO` for - ~, `SSO`/`SSC` for quotes,
  else `SW`; `SSO`/`SSC`/`SF`/`SE`/`SL`/`SH`/`SN` are Kiwi's tags already; `NA` and `UNKNOWN` → `UN`.
Numbers with separators (1,000 / 3.5) are one `SN` unit and runs of sentence-final punctuation (`..`, `?!`, which
mecab-ko splits into SF + SY) one `SF` unit, as in Kiwi. Sentences: mecab-ko has no sentence splitter, so a sentence
ends after sentence-final punctuation followed by whitespace (SF, with any closing quotes/brackets after it) and after
a final ending (EF) not followed by punctuation; like Kiwi, a line break alone does not end one.
"""

from __future__ import annotations

import functools
import re
from itertools import chain, repeat
from operator import itemgetter

from kocorpus.analysis.kiwi_analysis import KiwiAnalysis

# mecab-ko-dic writes some ending forms with a leading initial-consonant jamo (ᄇ니다); Kiwi with the final one (ᆸ니다)
_CHOSEONG_TO_JONGSEONG = str.maketrans("ᄀᄁᄂᄃᄅᄆᄇᄉᄊᄋᄌᄎᄏᄐᄑᄒ", "ᆨᆩᆫᆮᆯᆷᆸᆺᆻᆼᆽᆾᆿᇀᇁᇂ")
SIMPLE_TAGS = {"NNBC": "NNB", "SC": "SP", "NA": "UN", "UNKNOWN": "UN"}
DASHES = frozenset("-~∼－～")
QUOTES = frozenset("\"'`“”‘’＂＇")
_CLOSERS = frozenset({"SSC", "SF", "SE"})
_FINAL = frozenset({"SF", "EF"})
_FINAL_PUNCT = ".!?…"
_NUMBER_SEPARATORS = frozenset({",", "."})
# whitespace mecab does not skip (NBSP, ideographic space, form feed …) and NUL (ends mecab's input) → space
_MECAB_SPACE = "\t\n\v\r "
_BLANK = re.compile(
    "[" + "".join(c for c in map(chr, range(0x3001)) if (c.isspace() and c not in _MECAB_SPACE) or c == "\0") + "]"
)


def map_tag(tag: str, surface: str, text: str = "", start: int = 0) -> str:
    """The Kiwi tag of one simple mecab-ko-dic tag; `SY` depends on the symbol (runs of . ! ? … are `SF`, - ~
    `SO`, a quote `SSO` when whitespace or the text start precedes it, else `SSC`; others `SW`)."""
    if tag == "SY":
        if not surface.strip(_FINAL_PUNCT):
            return "SF"
        if surface in DASHES:
            return "SO"
        if surface in QUOTES:
            return "SSO" if start == 0 or text[start - 1].isspace() else "SSC"
        return "SW"
    return SIMPLE_TAGS.get(tag, tag)


@functools.lru_cache(maxsize=200_000)
def map_feature(surface: str, feature: str) -> tuple[tuple[str, str], ...]:
    """(form, Kiwi tag) units of one mecab token. Cached: features and surfaces repeat across a corpus. A quote
    tagged `SY` is returned as `SY` (its tag depends on context; see `map_tag`)."""
    fields = feature.split(",")
    tag = fields[0]
    if "+" not in tag:
        if tag == "SY" and surface in QUOTES:
            return ((surface, "SY"),)
        return ((surface, map_tag(tag, surface)),)
    expression = fields[7] if len(fields) > 7 else "*"
    if expression != "*":
        parts = []
        for item in expression.split("+"):
            bits = item.split("/")
            if len(bits) >= 2 and bits[0] and bits[1]:
                form = bits[0][0].translate(_CHOSEONG_TO_JONGSEONG) + bits[0][1:]
                parts.append((form, SIMPLE_TAGS.get(bits[1], bits[1])))
        if parts:
            return tuple(parts)
    return tuple((surface, SIMPLE_TAGS.get(t, t)) for t in tag.split("+"))


_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_SF, _SN, _SY, _EF, _SSC, _SE = 1, 2, 3, 4, 5, 6
_TAG_CODE = {"SF": _SF, "SN": _SN, "SY": _SY, "EF": _EF, "SSC": _SSC, "SE": _SE}  # every other tag: 0


def _sentence_index(t, starts, ends) -> list[int]:
    """0-based sentence of each unit (`t`: the units' `_TAG_CODE` codes; `starts`, `ends`: their character offsets;
    numpy arrays or lists): a sentence ends after an EF, or
    after SF followed by whitespace (3.5, a.b and `.teug.hi` do not end one), and any closing SSC/SF/SE units
    right after it."""
    import numpy as np

    final = (t == _SF) | (t == _EF)
    closer = (t == _SSC) | (t == _SF) | (t == _SE)
    gap = np.ones(len(t), dtype=bool)  # whitespace before unit i
    gap[1:] = np.asarray(starts[1:]) > np.asarray(ends[:-1])
    # pending[i]: the last unit ≤ i that is final or not a closer is final (a sentence end is pending after i)
    deciding = np.where(final | ~closer, np.arange(len(t)), -1)
    last = np.maximum.accumulate(deciding)
    pending = (last >= 0) & final[np.maximum(last, 0)]
    boundary = np.zeros(len(t), dtype=np.int64)
    boundary[1:] = pending[:-1] & ~closer[1:] & (gap[1:] | (t[:-1] == _EF))
    return np.cumsum(boundary).tolist()


class MecabBackend:
    """Analyses texts with mecab-ko; one tagger per process, loaded on first use (≈ 0.1 s).

    Per document: the tagger's text output (surface, feature per token) is split in C; offsets come from the
    positions of the non-space characters (numpy), unit columns from the cached `map_feature`; Python touches
    each token only in list comprehensions. Where the surfaces do not spell the text's non-space characters
    (never seen), offsets come from mecab's lattice spans instead."""

    def __init__(self) -> None:
        self._tagger = None

    @property
    def tagger(self):
        if self._tagger is None:
            import _mecab
            import mecab_ko_dic
            from mecab.mecab import _rcfile_option

            self._tagger = _mecab.Tagger([*_rcfile_option, "--dicdir", str(mecab_ko_dic.dictionary_path)])
        return self._tagger

    def _lattice(self, chunk: str):
        import _mecab

        lattice = _mecab.Lattice()
        lattice.add_request_type(_mecab.MECAB_ALLOCATE_SENTENCE)
        lattice.set_sentence(chunk)
        if not self.tagger.parse(lattice):
            raise RuntimeError(f"mecab: {self.tagger.what()}")
        return lattice

    def tokens(self, chunk: str) -> tuple[list[str], list[str]]:
        """(surfaces, features) of the tokens of `chunk` (mecab skips \t \n \v \r and space)."""
        parts = self._lattice(chunk).to_string().replace("\t", "\n").split("\n")
        del parts[-2:]  # "EOS", ""
        return parts[0::2], parts[1::2]

    def spans(self, chunk: str) -> list[tuple[int, int]]:
        """Character spans of the tokens of `chunk` from mecab's lattice (the slow path)."""
        return [tuple(span) for span, _ in self._lattice(chunk)]

    def analyze(self, text: str, chunk_starts: list[int], clean) -> KiwiAnalysis:
        """The analysis of `text`, analysed in chunks starting at `chunk_starts`; `clean(chunk)` blanks what
        the analyzer should not see (same length)."""
        import numpy as np

        a = KiwiAnalysis(text_len=len(text))
        bounds = [*chunk_starts[1:], len(text)]
        cleaned = "".join(clean(text[c0:c1]) for c0, c1 in zip(chunk_starts, bounds, strict=True))
        if _BLANK.search(cleaned):
            cleaned = _BLANK.sub(" ", cleaned)
        surfaces: list[str] = []
        features: list[str] = []
        for c0, c1 in zip(chunk_starts, bounds, strict=True):
            s, f = self.tokens(cleaned[c0:c1])
            surfaces += s
            features += f
        if not surfaces:
            return a
        lens = np.fromiter(map(len, surfaces), dtype=np.int64, count=len(surfaces))
        ends_ns = np.cumsum(lens)
        if "".join(surfaces) == "".join(cleaned.split()):  # only mecab's spaces are left: str.split() drops them
            codes = np.frombuffer(cleaned.encode("utf-32-le"), dtype=np.uint32)
            nonspace = np.flatnonzero((codes > 32) | ((codes < 9) | ((codes > 13) & (codes < 32))))
            starts = nonspace[ends_ns - lens]
            ends = nonspace[ends_ns - 1] + 1
        else:  # offsets from the lattice
            spans = [
                (c0 + s, c0 + e)
                for c0, c1 in zip(chunk_starts, bounds, strict=True)
                for s, e in self.spans(cleaned[c0:c1])
            ]
            starts = np.array([s for s, _ in spans], dtype=np.int64)
            ends = np.array([e for _, e in spans], dtype=np.int64)
        units = list(map(map_feature, surfaces, features))
        first_tags = map(_SECOND, map(_FIRST, units))  # the tag of each unit's first part (C-level maps)
        first = np.fromiter(map(_TAG_CODE.get, first_tags, repeat(0)), dtype=np.int8, count=len(units))
        # merges as in Kiwi: runs of final punctuation (.. ?!) and numbers with separators (1,000 3.5): one unit
        touch = np.zeros(len(units), dtype=bool)  # unit i starts where unit i − 1 ends
        touch[1:] = starts[1:] == ends[:-1]
        sf, sn = first == _SF, first == _SN
        merge_sf = np.zeros(len(units), dtype=bool)
        merge_sf[1:] = touch[1:] & sf[1:] & sf[:-1]
        merge_sn = np.zeros(len(units), dtype=bool)
        if len(units) > 2:
            sep = np.fromiter(map(_NUMBER_SEPARATORS.__contains__, surfaces), dtype=bool, count=len(units))
            merge_sn[2:] = touch[2:] & sn[2:] & sep[1:-1] & sn[:-2] & touch[1:-1]
        if merge_sf.any() or merge_sn.any():
            drop = merge_sf | merge_sn
            drop[:-1] |= merge_sn[1:]  # the separator goes with the number after it
            keep = np.flatnonzero(~drop)
            last = np.append(keep[1:] - 1, len(units) - 1)  # last member of each kept token's group
            starts, ends = starts[keep], ends[last]
            kept = keep.tolist()
            units = [units[i] for i in kept]
            first = first[keep]
            for j in np.flatnonzero(last != keep).tolist():
                span = text[starts[j] : ends[j]]
                units[j] = ((span, units[j][0][1]),)
        counts = np.fromiter(map(len, units), dtype=np.int64, count=len(units))
        if counts.max() > 1:
            starts, ends = np.repeat(starts, counts), np.repeat(ends, counts)
        a.starts, a.ends = starts.tolist(), ends.tolist()
        a.words = list(map(text.__getitem__, map(slice, a.starts, a.ends)))
        parts = list(chain.from_iterable(units))  # (form, tag) of every part, in order
        a.forms, a.tags = list(map(_FIRST, parts)), list(map(_SECOND, parts))
        codes = np.fromiter(map(_TAG_CODE.get, a.tags, repeat(0)), dtype=np.int8, count=len(a.tags))
        for i in np.flatnonzero(codes == _SY).tolist():  # quotes: opening or closing by context
            a.tags[i] = map_tag("SY", a.words[i], text, a.starts[i])
            codes[i] = _TAG_CODE.get(a.tags[i], 0)
        a.sents = _sentence_index(codes, starts, ends)
        return a
