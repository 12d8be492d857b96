"""KoreanSpamFilter: density of gambling / adult / loan / ad keywords, robust to 토 토, 카.지.노, 바★카★라.

Keywords come from editable lists (`kocorpus/data/spam/<category>.txt`, or any file of the same format):

- one keyword per line, `#` starts a comment, an optional weight follows after whitespace (`카지노사이트 2`);
- keywords are matched on the text's *skeleton*: Hangul, ASCII letters (lowercased, full-width folded) and
  digits only, everything else (spaces, dots, ★, -, emoji) removed, so `카 지 노 사 이 트` matches
  `카지노사이트`; write keywords without spaces;
- one- and two-character keywords (`토토`, `오피`) count only as whole words in the original text: not
  preceded by a letter/digit, followed by a non-letter or a one-syllable particle (토토를, 오피에서);
- `!phrase` is an allow-list entry: keywords inside an allow-listed phrase do not count (`!오피스`);
- a keyword inside a longer keyword counts once (카지노사이트 is not also 카지노).

spam_score = 100 × Σ keyword weights ÷ max(Hangul syllables, `min_chars`)  (weighted hits per 100 syllables;
             a keyword's repeats weigh half: spam uses many different keywords, news repeats one or two)
           + `contact_bonus` × distinct contact handles (messenger ID, @handle with a digit, mobile number,
             domain with a digit; at most 3).
A document is dropped when `spam_hits` ≥ `min_hits` and spam_score > `max_density`: a news article *about*
illegal gambling mentions 토토 and 카지노 a few times in a long text, a spam page packs them densely.

Ads written as fluent prose (무직자 당일대출 … 연락 주세요, 카톡 ID) stay under the density threshold; the second
rule scores them by who speaks to whom (kocorpus/filters/spam_prose.py: offer vocabulary, call-to-action,
contact handles, benefit lists) and drops with reason `spam_<category>_prose`.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus import signals as S
from kocorpus.config import ConfigError
from kocorpus.filters.spam_prose import ad_signals

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "spam"
BUNDLED_LISTS: tuple[str, ...] = ("ad", "adult", "gambling", "loan")
MAX_CONTACTS = 3  # contact handles counted in spam_score at most
REPEAT_FACTOR = 0.5  # a keyword's second and later occurrences in a document weigh this much of its weight

# ASCII upper → lower and full-width letters/digits → ASCII, one character for one (offsets are kept).
_FOLD = str.maketrans(
    {
        **{chr(c): chr(c + 0x20) for c in range(0x41, 0x5B)},  # A-Z → a-z
        **{chr(c): chr(c - 0xFEE0 + 0x20) for c in range(0xFF21, 0xFF3B)},  # Ａ-Ｚ → a-z
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)},  # ａ-ｚ → a-z
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)},  # ０-９ → 0-9
    }
)
_WORD_CLASS = "0-9a-z\uac00-\ud7a3\u3131-\u3163"  # after _FOLD: digits, lowercase ASCII, syllables, modern jamo
_NOT_WORD = re.compile(f"[^{_WORD_CLASS}]+")
_WORD_RUN = re.compile(f"[{_WORD_CLASS}]+")
_NOT_SYLLABLE = re.compile("[^\uac00-\ud7a3]+")
_HANDLE_CHARS = re.compile(r"[^0-9a-z]")
_PARTICLES = frozenset("은는이가을를의에도로와과만랑")
_SHORT = 2  # keywords of at most this many skeleton characters must be whole words

# Contact handles (searched on the folded original text). Each pattern comes with literals one of which every
# match contains: a text with none of them skips that pattern's scan (same result).
_CONTACTS = (
    # 카톡: abc123, 텔레그램 @vip_bet, 텔레 ID toto77, 카톡 문의 casino7 (an ASCII handle with a letter)
    re.compile(
        r"(?<![가-힣a-z])(?:카카오톡|카톡|텔레그램|텔레|위챗|telegram|kakaotalk|tg)\s*(?:id|아이디|문의|상담)?\s*"
        r"[:：=]?\s*@?((?=[a-z0-9_.]{0,23}[a-z])[a-z0-9_.]{3,24})"
    ),
    re.compile(r"(?<![\w.@])@((?=[a-z_]{0,23}\d)[a-z0-9_]{4,24})\b"),  # @handle with a digit: @toto1004, @vip_77
    re.compile(r"(?<!\d)(01[016789][-. )]{0,3}\d{3,4}[-. ]{0,3}\d{4})(?!\d)"),  # Korean mobile number
    # Domain whose name has a digit, or on a TLD that spam favours: toto79.com, bet-365.net, abc.xyz
    re.compile(
        r"(?<![a-z0-9.-])((?:[a-z0-9-]{0,30}\d[a-z0-9-]{0,30}\.(?:com|net|org|kr|co\.kr|me|io|cc|tv|info|biz|site|xyz|top"
        r"|club|vip|bet|casino|link|shop|live|pro|win|asia|online))|[a-z0-9-]{2,40}\.(?:xyz|top|vip|bet|casino|win))\b"
    ),
)
_TLD = re.compile(
    r"\.(?:com|net|org|kr|me|io|cc|tv|info|biz|site|xyz|top|club|vip|bet|casino|link|shop|live|pro|win|asia|online)"
)
_CONTACT_CUES = (("카카오톡", "카톡", "텔레", "위챗", "telegram", "kakaotalk", "tg"), ("@",), ("01",), _TLD)


def _may_match(folded: str, cues: tuple[str, ...] | re.Pattern) -> bool:
    return bool(cues.search(folded)) if isinstance(cues, re.Pattern) else any(cue in folded for cue in cues)


@dataclass(frozen=True)
class Keyword:
    """One list entry: skeleton `text`, `weight` (hits count this much), `category`, `allow` (allow-list)."""

    text: str
    weight: float
    category: str
    allow: bool = False


_FOLDABLE = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")  # the characters _FOLD maps


def fold(text: str) -> str:
    """ASCII-lowercase and full-width-fold `text` (same length, offsets unchanged). Only the runs of foldable
    characters go through `str.translate` (a dict lookup per character): the same string, much faster on
    Korean text."""
    return _FOLDABLE.sub(lambda m: m.group().translate(_FOLD), text)


def skeleton(text: str) -> str:
    """Hangul, lowercase ASCII letters and digits of `text`, everything else removed (`카.지.노` → `카지노`)."""
    return _NOT_WORD.sub("", fold(text))


def resolve_list(entry: str) -> Path:
    """Path of a keyword list: a bundled name (`gambling`) or a file path."""
    if entry in BUNDLED_LISTS or (BUNDLED_DIR / f"{entry}.txt").is_file():
        return BUNDLED_DIR / f"{entry}.txt"
    return Path(entry)


def load_keyword_list(path: str | Path, category: str | None = None) -> list[Keyword]:
    """Parse one keyword list (format in the module docstring); `category` defaults to the file stem."""
    path = Path(path)
    category = category or re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_") or "custom"
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        allow = line.startswith("!")
        line = line.lstrip("!").strip()
        weight = 1.0
        m = re.fullmatch(r"(.*?)\s+(\d+(?:\.\d+)?)", line)
        if m and not allow:
            line, weight = m.group(1), float(m.group(2))
        text = skeleton(line)
        if not text:
            raise ConfigError(f"{path}:{n}: keyword {raw.strip()!r} has no letters or digits")
        out.append(Keyword(text, weight, category, allow))
    return out


class SpamScore(NamedTuple):
    """Result of `SpamScorer.score`: `score` (weighted hits per 100 syllables + contact bonus), `hits`
    (keyword occurrences), `category` (heaviest category, None without hits), `contacts` (distinct handles),
    `weights` (Σ weight per category)."""

    score: float
    hits: int
    category: str | None
    contacts: int
    weights: dict[str, float]


class SpamScorer:
    """Keyword matcher over skeletons; the Aho–Corasick automaton is built on first use (picklable before)."""

    def __init__(self, keywords: list[Keyword], min_chars: int = 100, contact_bonus: float = 1.0):
        self.keywords = keywords
        self.min_chars = min_chars
        self.contact_bonus = contact_bonus
        self._automaton = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_automaton": None}

    @property
    def automaton(self):
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for kw in self.keywords:
                if kw.text not in auto:  # the first entry of a duplicated keyword wins
                    auto.add_word(kw.text, kw)
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def matches(self, text: str, folded: str | None = None) -> list[tuple[int, int, Keyword]]:
        """Counted keyword occurrences as (start, end) offsets in `text` (end exclusive) with their keyword;
        `folded`: `fold(text)` if the caller has it."""
        folded = fold(text) if folded is None else folded
        skel = _NOT_WORD.sub("", folded)
        if not skel or not self.keywords:
            return []
        found = [(end + 1 - len(kw.text), end + 1, kw) for end, kw in self.automaton.iter(skel)]
        if not found:
            return []
        found.sort(key=lambda m: (m[0], -m[1]))
        runs = None
        out = []
        max_end = -1
        for s, e, kw in found:
            if e <= max_end:  # inside a longer keyword or an allow-listed phrase
                continue
            max_end = e
            if kw.allow:
                continue
            if runs is None:
                runs = _runs(folded)
            a, b = _to_original(runs, s), _to_original(runs, e - 1) + 1
            if len(kw.text) <= _SHORT and not _whole_word(folded, a, b):
                continue
            out.append((a, b, kw))
        return out

    def contacts(self, text: str, folded: str | None = None) -> set[str]:
        """Distinct contact handles in `text` (messenger IDs, mobile numbers, domains with digits); `folded`:
        `fold(text)` if the caller has it."""
        folded = fold(text) if folded is None else folded
        return {
            _HANDLE_CHARS.sub("", m.group(1))
            for pattern, cues in zip(_CONTACTS, _CONTACT_CUES, strict=True)
            if _may_match(folded, cues)
            for m in pattern.finditer(folded)
        }

    def score(
        self,
        text: str,
        masked_contacts: Iterable[str] = (),
        contacts: set[str] | None = None,
        folded: str | None = None,
    ) -> SpamScore:
        """Score `text` (see the module docstring for the formula); `masked_contacts` are keys of phone numbers
        the pii step already replaced by placeholders (it runs first), counted as distinct handles too;
        `contacts` / `folded`: `self.contacts(text)` / `fold(text)` if the caller has them already."""
        hits = self.matches(text, folded)
        if not hits:
            return SpamScore(0.0, 0, None, 0, {})
        weights: dict[str, float] = {}
        seen: set[str] = set()
        for _, _, kw in hits:
            weight = kw.weight if kw.text not in seen else kw.weight * REPEAT_FACTOR
            seen.add(kw.text)
            weights[kw.category] = weights.get(kw.category, 0.0) + weight
        syllables = len(_NOT_SYLLABLE.sub("", text))
        found = self.contacts(text, folded) if contacts is None else contacts
        contacts = min(len(found | set(masked_contacts)), MAX_CONTACTS)
        score = 100.0 * sum(weights.values()) / max(syllables, self.min_chars) + self.contact_bonus * contacts
        category = max(sorted(weights), key=weights.__getitem__)
        return SpamScore(round(score, 4), len(hits), category, contacts, weights)


def _runs(folded: str) -> tuple[list[int], list[int]]:
    """(skeleton start, original start) of each run of kept characters, for mapping skeleton offsets back."""
    skel_starts, orig_starts, pos = [], [], 0
    for m in _WORD_RUN.finditer(folded):
        skel_starts.append(pos)
        orig_starts.append(m.start())
        pos += m.end() - m.start()
    return skel_starts, orig_starts


def _to_original(runs: tuple[list[int], list[int]], pos: int) -> int:
    skel_starts, orig_starts = runs
    i = bisect_right(skel_starts, pos) - 1
    return orig_starts[i] + pos - skel_starts[i]


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u3163"


def _whole_word(folded: str, a: int, b: int) -> bool:
    """True if folded[a:b] is not glued to a letter before it, and ends a word or is followed by a particle."""
    if a > 0 and _is_word(folded[a - 1]):
        return False
    return b >= len(folded) or not _is_word(folded[b]) or folded[b] in _PARTICLES


@dataclass(kw_only=True)
class SpamConfig:
    """Korean spam keywords, scored by density (weighted hits per 100 Hangul syllables)."""

    enabled: bool = True
    lists: list[str] = field(default_factory=lambda: list(BUNDLED_LISTS))
    """Keyword lists: bundled names (ad, adult, gambling, loan) or paths of files in the same format."""
    max_density: float = 3.0
    """Highest spam_score kept (weighted keyword hits per 100 Hangul syllables + contact bonus)."""
    min_hits: int = 3
    """A document is dropped only with at least this many keyword occurrences (one mention never drops)."""
    min_chars: int = 100
    """Floor of the density denominator, Hangul syllables: short comments are scored as if this long."""
    contact_bonus: float = 1.0
    """Added to spam_score per distinct contact handle (messenger ID, mobile number, domain with digits), ≤ 3."""
    prose: bool = True
    """Also score ads written as prose (spam_ad_score, see kocorpus/filters/spam_prose.py)."""
    min_ad_score: float = 8.0
    """Drop as a prose ad at spam_ad_score ≥ this (with ≥ `min_ad_domain` offer terms and a call to action or
    a contact handle)."""
    min_ad_domain: int = 2
    """Distinct offer terms of one category (loan/gambling/adult) a prose ad needs."""

    def __post_init__(self) -> None:
        if not self.lists:
            raise ConfigError("lists: must name at least one keyword list")
        for i, entry in enumerate(self.lists):
            path = resolve_list(entry)
            if not path.is_file():
                raise ConfigError(f"lists[{i}]: {entry!r} is neither a bundled list {list(BUNDLED_LISTS)} nor a file")
            try:
                load_keyword_list(path)
            except ConfigError as e:
                raise ConfigError(f"lists[{i}]: {e}") from None
        if self.max_density < 0:
            raise ConfigError(f"max_density: must be >= 0, got {self.max_density}")
        if self.min_hits < 1:
            raise ConfigError(f"min_hits: must be >= 1, got {self.min_hits}")
        if self.min_chars < 1:
            raise ConfigError(f"min_chars: must be >= 1, got {self.min_chars}")
        if self.contact_bonus < 0:
            raise ConfigError(f"contact_bonus: must be >= 0, got {self.contact_bonus}")
        if self.min_ad_score <= 0:
            raise ConfigError(f"min_ad_score: must be > 0, got {self.min_ad_score}")
        if self.min_ad_domain < 1:
            raise ConfigError(f"min_ad_domain: must be >= 1, got {self.min_ad_domain}")

    def scorer(self) -> SpamScorer:
        """A SpamScorer over all configured lists."""
        keywords = [kw for entry in self.lists for kw in load_keyword_list(resolve_list(entry))]
        return SpamScorer(keywords, min_chars=self.min_chars, contact_bonus=self.contact_bonus)


class KoreanSpamFilter(BaseFilter):
    """Records `spam_score` (float), `spam_hits` (int) and, with `prose`, `spam_ad_score` / `spam_ad_signals` on
    every document; drops with reason `spam_<category>` (keyword density; heaviest category: spam_gambling,
    spam_adult, spam_loan, spam_ad) or `spam_<category>_prose` (prose ad: loan, gambling, adult)."""

    name = "🎰 Spam"

    def __init__(self, config: SpamConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or SpamConfig()
        self._scorer: SpamScorer | None = None

    @property
    def scorer(self) -> SpamScorer:
        if self._scorer is None:
            self._scorer = self.config.scorer()
        return self._scorer

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        folded = fold(doc.text)  # once, as the contact handles: the keyword score and the prose signals share them
        contacts = self.scorer.contacts(doc.text, folded)
        result = self.scorer.score(doc.text, doc.metadata.get(S.PII_CONTACTS, ()), contacts, folded)
        doc.metadata["spam_score"] = result.score
        doc.metadata["spam_hits"] = result.hits
        if result.hits:
            self.stat_update("spam_docs_with_hits")
        ad = None
        if self.config.prose:
            ad = ad_signals(doc.text, len(contacts))
            doc.metadata["spam_ad_score"] = ad.score
            doc.metadata["spam_ad_signals"] = ad.describe()
        if result.hits >= self.config.min_hits and result.score > self.config.max_density:
            return False, f"spam_{result.category}"
        if ad is not None:
            if (
                ad.score >= self.config.min_ad_score
                and ad.domain >= self.config.min_ad_domain
                and (ad.cta or ad.contact)
            ):
                for signal in ("cta", "contact", "list"):
                    if getattr(ad, signal):
                        self.stat_update(f"prose_ad_{signal}")
                return False, f"spam_{ad.category}_prose"
        return True
