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

import re

import numpy as np

from kocorpus.analysis.kiwi_analysis import KiwiAnalysis

# mecab-ko-dic writes some ending forms with a leading initial-consonant jamo (ᄇ니다); Kiwi with the final one (ᆸ니다)
_CHOSEONG_TO_JONGSEONG = str.maketrans("ᄀᄁᄂᄃᄅᄆᄇᄉᄊᄋᄌᄎᄏᄐᄑᄒ", "ᆨᆩᆫᆮᆯᆷᆸᆺᆻᆼᆽᆾᆿᇀᇁᇂ")
SIMPLE_TAGS = {"NNBC": "NNB", "SC": "SP", "NA": "UN", "UNKNOWN": "UN"}
DASHES = frozenset("-~∼－～")
QUOTES = frozenset("\"'`“”‘’＂＇")
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


def map_feature(surface: str, feature: str) -> tuple[tuple[str, str], ...]:
    """(form, Kiwi tag) units of one mecab token (its whole feature string, as the tagger writes it). A quote
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


_SF, _SN, _SY, _EF, _SSC, _SE = 1, 2, 3, 4, 5, 6
_TAG_CODE = {"SF": _SF, "SN": _SN, "SY": _SY, "EF": _EF, "SSC": _SSC, "SE": _SE}  # every other tag: 0


_IS_FINAL = np.isin(np.arange(7), [_SF, _EF])  # by tag code
_OPENS = ~np.isin(np.arange(7), [_SSC, _SF, _SE])  # not a closer: a unit that starts a sentence after an end
_DECIDES = _IS_FINAL | _OPENS


def _sentence_index(t, starts, ends) -> list[int]:
    """0-based sentence of each unit (`t`: the units' `_TAG_CODE` codes; `starts`, `ends`: their character offsets;
    numpy arrays): a sentence ends after an EF, or after SF followed by whitespace (3.5, a.b and `.teug.hi` do
    not end one), and any closing SSC/SF/SE units right after it."""
    n = len(t)
    # last[i]: 1 + the last unit ≤ i that is final or not a closer (0: none); when that unit is final, a
    # sentence end is pending after unit i
    last = np.maximum.accumulate(np.where(_DECIDES[t], np.arange(1, n + 1), 0))
    pending = _IS_FINAL[np.concatenate(([0], t))[last]]
    sents = np.zeros(n, dtype=np.int64)
    boundary = pending[:-1] & _OPENS[t[1:]] & ((starts[1:] > ends[:-1]) | (t[:-1] == _EF))
    np.cumsum(boundary, out=sents[1:])
    return sents.tolist()


_MAX_TYPES = 200_000  # distinct output lines kept (≈ 0.4 kB each); the table starts afresh beyond


class _TokenTypes(dict):
    """Tagger output line (`surface\\tfeature`) → type id (0, 1, … in order of first sight), with numpy columns
    per type (`surface`, `length` in characters, `n_units`, `first_unit`, `first_code`: the `_TAG_CODE` of its
    first unit, `sep`: a number separator) and per unit (`form`, `tag`, `code`), the units being `map_feature`
    of the line, stored consecutively from `first_unit`. Columns grow by doubling. Unbounded: the caller starts
    a new table beyond `_MAX_TYPES` lines."""

    _TYPE_COLUMNS = {"surface": object, "length": np.int64, "n_units": np.int64, "first_unit": np.int64}
    _TYPE_COLUMNS |= {"first_code": np.int8, "sep": bool}
    _UNIT_COLUMNS = {"form": object, "tag": object, "code": np.int8}

    def __init__(self) -> None:
        super().__init__()
        self.units = 0  # units stored
        for name, dtype in (self._TYPE_COLUMNS | self._UNIT_COLUMNS).items():
            setattr(self, name, np.empty(1024, dtype=dtype))

    def _grow(self, columns, size: int) -> None:
        for name in columns:
            old = getattr(self, name)
            new = np.empty(max(size, 2 * len(old)), dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def __missing__(self, line: str) -> int:
        surface, feature = line.split("\t")
        units = map_feature(surface, feature)
        i, u = len(self), self.units
        if i >= len(self.length):
            self._grow(self._TYPE_COLUMNS, i + 1)
        if u + len(units) > len(self.code):
            self._grow(self._UNIT_COLUMNS, u + len(units))
        for k, (form, unit_tag) in enumerate(units, u):
            self.form[k], self.tag[k], self.code[k] = form, unit_tag, _TAG_CODE.get(unit_tag, 0)
        self.surface[i], self.length[i], self.n_units[i], self.first_unit[i] = surface, len(surface), len(units), u
        self.first_code[i], self.sep[i] = self.code[u], surface in _NUMBER_SEPARATORS
        self.units = u + len(units)
        self[line] = i
        return i


class MecabBackend:
    """Analyses texts with mecab-ko; one tagger per process, loaded on first use (≈ 0.1 s).

    Per document: each line of the tagger's text output (surface, feature) is looked up once (one C-level map)
    in a table of the distinct lines seen (`_TokenTypes`), and every column of the analysis comes from numpy
    indexing of that table by the lines' ids: offsets from the positions of the non-space characters, words from
    the surfaces, forms and tags from the `map_feature` units. Where the surfaces do not spell the text's
    non-space characters (never seen), offsets come from mecab's lattice spans and words from the text instead."""

    def __init__(self) -> None:
        self._tagger = None
        self._types = _TokenTypes()

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

    def lines(self, chunk: str) -> list[str]:
        """The tagger's output lines for the tokens of `chunk`, `surface\\tfeature` each (mecab skips \\t \\n \\v \\r
        and space)."""
        out = self.tagger.parse(chunk)
        if out is None:
            raise RuntimeError(f"mecab: {self.tagger.what()}")
        lines = out.split("\n")
        del lines[-2:]  # "EOS", ""
        return lines

    def tokens(self, chunk: str) -> tuple[list[str], list[str]]:
        """(surfaces, features) of the tokens of `chunk`, read from mecab's lattice (a reference for `lines`)."""
        parts = self._lattice(chunk).to_string().replace("\t", "\n").split("\n")
        del parts[-2:]  # "EOS", ""
        return parts[0::2], parts[1::2]

    def spans(self, chunk: str) -> list[tuple[int, int]]:
        """Character spans of the tokens of `chunk` from mecab's lattice (the slow path)."""
        return [tuple(span) for span, _ in self._lattice(chunk)]

    def analyze(self, text: str, chunk_starts: list[int], clean) -> KiwiAnalysis:
        """The analysis of `text`, analysed in chunks starting at `chunk_starts`; `clean(chunk)` blanks what
        the analyzer should not see (same length)."""
        a = KiwiAnalysis(text_len=len(text))
        bounds = [*chunk_starts[1:], len(text)]
        cleaned = "".join(clean(text[c0:c1]) for c0, c1 in zip(chunk_starts, bounds, strict=True))
        if _BLANK.search(cleaned):
            cleaned = _BLANK.sub(" ", cleaned)
        if len(chunk_starts) == 1:
            lines = self.lines(cleaned)
        else:
            lines = [line for c0, c1 in zip(chunk_starts, bounds, strict=True) for line in self.lines(cleaned[c0:c1])]
        if not lines:
            return a
        if len(self._types) > _MAX_TYPES:
            self._types = _TokenTypes()
        types = self._types
        ids = np.fromiter(map(types.__getitem__, lines), dtype=np.intp, count=len(lines))
        surfaces = types.surface[ids]
        same_chars = False  # whether every token's surface is text[start:end]
        chars = np.frombuffer(cleaned.encode("utf-32-le"), dtype=np.uint32)
        nonspace = np.flatnonzero((chars - 9 > 4) & (chars != 32))  # not \t \n \v \f \r or space (unsigned)
        # only mecab's spaces are left in `cleaned`: its non-space characters are "".join(cleaned.split())
        if "".join(surfaces.tolist()) == chars[nonspace].tobytes().decode("utf-32-le"):
            lens = types.length[ids]
            ends_ns = np.cumsum(lens)
            starts = nonspace[ends_ns - lens]
            ends = nonspace[ends_ns - 1] + 1
            if cleaned == text:
                same_chars = True
            else:  # `clean` and `_BLANK` write spaces only: the non-space characters are the text's
                text_chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
                same_chars = bool((text_chars[nonspace] == chars[nonspace]).all())
        else:  # offsets from the lattice
            spans = [
                (c0 + s, c0 + e)
                for c0, c1 in zip(chunk_starts, bounds, strict=True)
                for s, e in self.spans(cleaned[c0:c1])
            ]
            starts = np.array([s for s, _ in spans], dtype=np.int64)
            ends = np.array([e for _, e in spans], dtype=np.int64)
        n = len(ids)
        first = types.first_code[ids]
        sf, sn = first == _SF, first == _SN
        # merges as in Kiwi: runs of final punctuation (.. ?!) and numbers with separators (1,000 3.5): one unit
        sf_pair = sf[1:] & sf[:-1]  # SF after SF
        sn_sep = sn[2:] & types.sep[ids[1:-1]] & sn[:-2]  # SN after a separator after SN (empty when n < 3)
        merged = None  # kept tokens standing for a group: one unit, the group's span, the first unit's tag
        if sf_pair.any() or sn_sep.any():
            touch = starts[1:] == ends[:-1]  # token i + 1 starts where token i ends
            merge_sf = np.zeros(n, dtype=bool)
            merge_sf[1:] = touch & sf_pair
            merge_sn = np.zeros(n, dtype=bool)
            merge_sn[2:] = sn_sep & touch[1:] & touch[:-1]
            drop = merge_sf | merge_sn
            drop[:-1] |= merge_sn[1:]  # the separator goes with the number after it
            keep = np.flatnonzero(~drop)
            last = np.append(keep[1:] - 1, n - 1)  # last member of each kept token's group
            starts, ends, ids, surfaces = starts[keep], ends[last], ids[keep], surfaces[keep]
            merged = np.flatnonzero(last != keep)
        counts = types.n_units[ids]
        units = types.first_unit[ids]
        if merged is not None:
            counts[merged] = 1
        if counts.max() > 1:  # units of token i: units[i] … units[i] + counts[i] − 1, each with the token's span
            offsets = np.cumsum(counts) - counts
            units = np.repeat(units - offsets, counts) + np.arange(offsets[-1] + counts[-1])
            starts, ends, surfaces = np.repeat(starts, counts), np.repeat(ends, counts), np.repeat(surfaces, counts)
            if merged is not None:
                merged = offsets[merged]
        a.starts, a.ends = starts.tolist(), ends.tolist()
        if same_chars:
            a.words = surfaces.tolist()
        else:
            a.words = list(map(text.__getitem__, map(slice, a.starts, a.ends)))
        a.forms, a.tags, codes = types.form[units].tolist(), types.tag[units].tolist(), types.code[units]
        if merged is not None:
            for j in merged.tolist():
                a.words[j] = a.forms[j] = text[a.starts[j] : a.ends[j]]
        for i in np.flatnonzero(codes == _SY).tolist():  # quotes: opening or closing by context
            a.tags[i] = map_tag("SY", a.words[i], text, a.starts[i])
            codes[i] = _TAG_CODE.get(a.tags[i], 0)
        a.sents = _sentence_index(codes, starts, ends)
        return a
