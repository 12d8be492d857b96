"""KoreanPIIMasker: Polyglot-Ko style masking of Korean personal information in `doc.text` and text metadata.

Types (count keys → default placeholders): `rrn` 주민/외국인등록번호 → `<|rrn|>`, `phone` → `<|tel|>`,
`email` → `<|email|>`, `account` bank account → `<|acc|>`, `card` → `<|card|>`, `ip` IPv4 → `<|ip|>`,
`passport` → `<|passport|>`, `driver_license` 운전면허번호 → `<|license|>`, `brn` 사업자등록번호 → `<|brn|>`
(off by default).

Every detector (`kocorpus.text.pii_patterns`) runs on the *original* text and proposes spans; a span is kept
unless it overlaps a span kept by an earlier detector, then all kept spans are replaced at once (so
placeholders never feed later detectors and can be any string). The order, strongest evidence first:

1. `email`   — contains digits and dots that the number rules would otherwise bite into.
2. `ip`      — four dotted octets; before phone so `211.234.56.78` is never read as a dotted phone number.
3. `rrn`     — date + gender digit (+ checksum) is the strictest number test; a 13-digit RRN can also be
               Luhn-valid, so it comes before `card`.
4. `card`    — 13–19 digits, Luhn-valid; before `phone` because a space-grouped card `5372 0505 2924 0552`
               contains a well-formed safe number `0505 2924 0552`.
5. `phone`   — fixed Korean prefixes (010, 02, 031 …, +82/0082/82, 15xx/16xx/18xx).
6. `passport`, 7. `driver_license`, 8. `brn` — fixed shapes (letters, region codes, a check digit).
9. `account` — only with a bank name or an account word nearby; last, because every other number shape is
               also a well-formed account number next to a bank name.

Invisible characters (U+200B, U+200C, U+200D, U+00AD, U+2060, U+FEFF …) are handled both ways: detection runs
once with them read as spaces (they separate two values) and once with them deleted (they split one value);
the union of both is masked, so the normalizer can remove them afterwards without fusing two raw values.
Detection reads the text as `normalize` will write it — Unicode spaces (U+00A0, U+3000 …) as spaces, control
characters as invisible, HTML entities decoded — and full-width forms (０１０, ＠) as ASCII, so nothing the
normalizer reveals later (`010&nbsp;1234&nbsp;5678` → `010 1234 5678`) escapes; spans map back to the original.
"""

import html
import re
from bisect import bisect_right, insort
from dataclasses import dataclass
from typing import Literal

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

from kocorpus import signals as S
from kocorpus.config import ConfigError
from kocorpus.text.pii_patterns import LITERAL_CUE, MIN_DIGIT_RUN, RULES, digits_of, luhn_valid, rrn_valid

PII_TYPES: tuple[str, ...] = tuple(t for t, _, _ in RULES)
"""Detection (priority) order; also the keys of `pii_counts`."""

__all__ = ["PII_TYPES", "KoreanPIIMasker", "PIIConfig", "PIISpan", "find_pii", "luhn_valid", "mask_pii", "rrn_valid"]


@dataclass(kw_only=True)
class PIIConfig:
    """Which PII types are masked and by what; masking never drops a document."""

    enabled: bool = True
    rrn: bool = True
    """Mask resident/foreigner registration numbers (YYMMDD-SBBBBBC, with or without a separator)."""
    rrn_unverified: Literal["any", "cue", "never"] = "any"
    """Numbers whose check digit fails (issued since Oct 2020; a valid date and gender digit are always needed):
    `any` masks them unless a label of another identifier or a bank/card word says otherwise, `cue` only when
    written with a separator or next to a registration word (주민, 외국인등록, RRN …), `never` requires the check
    digit (misses every number issued since Oct 2020)."""
    phone: bool = True
    """Mask mobile (01x), landline (02, 031 … 064), 070/050x and +82/0082/82 numbers."""
    phone_representative: bool = True
    """Also mask 4+4 representative numbers 15xx-/16xx-/18xx-xxxx (1588-1234)."""
    email: bool = True
    """Mask e-mail addresses (not at the reserved domains .invalid, .test, .example, .localhost, .local)."""
    ip: bool = True
    """Mask IPv4 addresses (not versions `v1.2.3.4` nor section numbers `Section 4.2.1.3`)."""
    ip_public_only: bool = True
    """Mask only global unicast IPv4 (private, loopback, reserved and multicast addresses are kept)."""
    account: bool = True
    """Mask bank account numbers (10–16 digits) with a bank name or an account word (계좌, 입금, 예금주 …) within
    `account_window`, or a short bank name (우리, 국민, 신한 …) right before them."""
    account_window: int = 20
    """Characters before/after an account number searched for a bank name or account word, 0–200 (not across
    sentences)."""
    card: bool = True
    """Mask Luhn-valid card numbers, 13–19 digits (grouped 4-4-4-4 / 4-6-5 with any separator, or ungrouped)."""
    passport: bool = True
    """Mask passport numbers: M/S/R/O/D/G/T (or PM, PS …) + 8 digits, and the 2021 form M123A4567."""
    driver_license: bool = True
    """Mask driver licence numbers: region 11–28 + 2 + 6 + 2 digits grouped by dashes or spaces (or `서울 12-…`),
    12 bare digits only next to a licence word (운전면허, 면허번호, license …)."""
    brn: bool = False
    """Mask business registration numbers (3-2-5 digits with a valid check digit). Off by default: they name
    businesses, not persons, except for sole proprietors."""
    rrn_placeholder: str = "<|rrn|>"
    """Replacement text of a registration number."""
    phone_placeholder: str = "<|tel|>"
    """Replacement text of a phone number."""
    email_placeholder: str = "<|email|>"
    """Replacement text of an e-mail address."""
    ip_placeholder: str = "<|ip|>"
    """Replacement text of an IP address."""
    account_placeholder: str = "<|acc|>"
    """Replacement text of a bank account number."""
    card_placeholder: str = "<|card|>"
    """Replacement text of a card number."""
    passport_placeholder: str = "<|passport|>"
    """Replacement text of a passport number."""
    driver_license_placeholder: str = "<|license|>"
    """Replacement text of a driver licence number."""
    brn_placeholder: str = "<|brn|>"
    """Replacement text of a business registration number."""

    def __post_init__(self) -> None:
        if isinstance(self.account_window, bool) or not 0 <= self.account_window <= 200:
            raise ConfigError(f"account_window: {self.account_window} is outside [0, 200]")
        if self.rrn_unverified not in ("any", "cue", "never"):
            raise ConfigError(f"rrn_unverified: {self.rrn_unverified!r} is not one of any, cue, never")
        for t in PII_TYPES:
            if not isinstance(getattr(self, f"{t}_placeholder"), str):
                raise ConfigError(f"{t}_placeholder: expected a string")

    def placeholder(self, pii_type: str) -> str:
        """Replacement text of `pii_type` (one of `PII_TYPES`)."""
        return getattr(self, f"{pii_type}_placeholder")


@dataclass(frozen=True)
class PIISpan:
    """A detected PII value: `text[start:end]` (character offsets) of type `type`."""

    start: int
    end: int
    type: str


_ANY_DIGIT_OR_AT = re.compile(r"[\d@]")
_DIGIT_RUN = re.compile(r"\d+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u00ad\u2060\u2061\u2062\u2063\u2064\ufeff\u180e]")


def _find(text: str, cfg: PIIConfig) -> list[PIISpan]:
    starts: list[int] = []
    spans: list[PIISpan] = []
    if not _ANY_DIGIT_OR_AT.search(text):
        return spans
    longest = max(map(len, _DIGIT_RUN.findall(text)), default=0)
    for pii_type, pattern, validate in RULES:
        if not getattr(cfg, pii_type):
            continue
        if longest < MIN_DIGIT_RUN.get(pii_type, 0) or (
            pii_type in LITERAL_CUE and not LITERAL_CUE[pii_type].search(text)
        ):
            continue  # no match possible (kocorpus/text/pii_patterns.py): skip the scan
        for m in pattern.finditer(text):
            s, e = m.span()
            i = bisect_right(starts, s)
            if (i and spans[i - 1].end > s) or (i < len(spans) and spans[i].start < e):
                continue  # overlaps a span of an earlier type
            if validate(m, text, cfg):
                insort(starts, s)
                spans.insert(i, PIISpan(s, e, pii_type))
    return spans


_FOLD = {c: " " for c in [0x09, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]}
_FOLD |= {c: "\u200b" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
_FOLD |= {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII
_NEEDS_FOLD = re.compile("[&" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")  # as kocorpus.normalizers


def _normalized_view(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """`text` as the normalizer will write it (see the module docstring) and, when entities changed its length,
    the original start and end index of every view character."""
    view = text.translate(_FOLD)  # one character for one: offsets unchanged
    if "&" not in view or not _ENTITY.search(view):
        return view, None, None
    parts, starts, ends, last = [], [], [], 0
    for m in _ENTITY.finditer(view):
        decoded = html.unescape(m.group(0)).translate(_FOLD)
        if decoded == m.group(0):
            continue
        parts += [view[last : m.start()], decoded]
        starts += [*range(last, m.start()), *[m.start()] * len(decoded)]
        ends += [*range(last + 1, m.start() + 1), *[m.end()] * len(decoded)]
        last = m.end()
    parts.append(view[last:])
    starts += range(last, len(view))
    ends += range(last + 1, len(view) + 1)
    return "".join(parts), starts, ends


def find_pii(text: str, cfg: PIIConfig) -> list[PIISpan]:
    """Non-overlapping PII spans of the enabled types, sorted by start (see the module docstring for the order,
    invisible characters and the normalizer's rewrites)."""
    if not _NEEDS_FOLD.search(text):
        return _find_spans(text, cfg)
    view, starts, ends = _normalized_view(text)
    spans = _find_spans(view, cfg)
    if starts is None:
        return spans
    return [PIISpan(starts[sp.start], ends[sp.end - 1], sp.type) for sp in spans]


def _find_spans(text: str, cfg: PIIConfig) -> list[PIISpan]:
    if not _INVISIBLE.search(text):
        return _find(text, cfg)
    found = _find(_INVISIBLE.sub(" ", text), cfg)  # invisible characters separate values
    keep = [i for i, ch in enumerate(text) if not _INVISIBLE.match(ch)]
    stripped = "".join(text[i] for i in keep)  # … or split one value
    for sp in _find(stripped, cfg):
        s, e = keep[sp.start], keep[sp.end - 1] + 1
        if sum(o.start < e and s < o.end for o in found) < 2:  # not two values the character separates
            found.append(PIISpan(s, e, sp.type))
    merged: list[PIISpan] = []
    for sp in sorted(found, key=lambda sp: (sp.start, -sp.end)):
        if merged and sp.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = PIISpan(last.start, max(last.end, sp.end), last.type)
        else:
            merged.append(sp)
    return merged


def mask_pii(text: str, cfg: PIIConfig, contacts: set[str] | None = None) -> tuple[str, dict[str, int]]:
    """`text` with every PII span replaced by its type's placeholder, and the count per type found. With a
    `contacts` set, adds a short hash of each masked mobile number's digits (so the spam filter can still count
    distinct numbers after masking)."""
    spans = find_pii(text, cfg)
    if not spans:
        return text, {}
    parts: list[str] = []
    counts: dict[str, int] = {}
    pos = 0
    for sp in spans:
        parts += [text[pos : sp.start], cfg.placeholder(sp.type)]
        counts[sp.type] = counts.get(sp.type, 0) + 1
        if contacts is not None and sp.type == "phone" and (key := _mobile_key(text[sp.start : sp.end])):
            contacts.add(key)
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts), counts


def _mobile_key(value: str) -> str | None:
    """A short hash of a mobile number's digits (+82 10 … = 010 …); None for other phone numbers."""
    import hashlib

    digits = digits_of(value).removeprefix("00")
    digits = "0" + digits[2:].lstrip("0") if digits.startswith("82") else digits
    if not digits.startswith("01"):
        return None
    return "tel:" + hashlib.blake2b(digits.encode(), digest_size=6).hexdigest()


def redact(text: str, cfg: PIIConfig) -> str:
    """`text` with PII masked (for writers of text that did not pass the pii step)."""
    return mask_pii(text, cfg)[0] if text else text


_JSON_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|[nrtbf\"\\/])")


def redact_raw(text: str, cfg: PIIConfig) -> str:
    """`redact` for raw record bytes (a broken JSON line): values are also looked for in the text with its JSON
    escapes decoded (`010-1234-\\n5678`, `\\uc8fc\\ubbfc…`), and masked where they were found."""
    spans = find_pii(text, cfg) if text else []
    if text and _JSON_ESCAPE.search(text):
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        pos = 0
        for m in _JSON_ESCAPE.finditer(text):
            chars += text[pos : m.start()]
            where += [(i, i + 1) for i in range(pos, m.start())]
            esc = m.group(0)[1:]
            chars.append(
                chr(int(esc[1:], 16))
                if esc[0] == "u"
                else {"n": "\n", "r": "\n", "t": "\t", "b": " ", "f": " "}.get(esc, esc)
            )
            where.append(m.span())
            pos = m.end()
        chars += text[pos:]
        where += [(i, i + 1) for i in range(pos, len(text))]
        spans += [PIISpan(where[sp.start][0], where[sp.end - 1][1], sp.type) for sp in find_pii("".join(chars), cfg)]
    if not spans:
        return text
    parts, pos = [], 0
    for sp in sorted(spans, key=lambda sp: (sp.start, -sp.end)):
        if sp.start < pos:  # overlaps (or inside) the previous span: extend it
            if sp.end > pos:
                pos = sp.end
            continue
        parts += [text[pos : sp.start], cfg.placeholder(sp.type)]
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts)


def mask_metadata(metadata: dict, cfg: PIIConfig) -> dict[str, int]:
    """Mask PII in the string values of `metadata` in place, inside lists and dicts too (title, url, author …
    of web records); bookkeeping keys (file, source, …), signals and private keys are left alone. Returns the
    counts per type."""
    counts: dict[str, int] = {}

    def mask(value):
        if isinstance(value, str):
            value, found = mask_pii(value, cfg)
            for t, n in found.items():
                counts[t] = counts.get(t, 0) + n
        elif isinstance(value, list):
            value = [mask(v) for v in value]
        elif isinstance(value, dict):
            value = {k: mask(v) for k, v in value.items()}
        return value

    for key, value in metadata.items():
        if key not in S.BOOKKEEPING and key not in S.SIGNAL_NAMES and key[:1] != "_":
            metadata[key] = mask(value)
    return counts


class KoreanPIIMasker(BaseFormatter):
    """Rewrites `doc.text` (and string metadata such as title or url) with PII masked; records `pii_counts`
    (type → n, found types only) and `pii_total`. Never drops a document; stats: `pii_<type>` (values masked),
    `pii_docs` (documents with any PII)."""

    name = "🔒 Korean PII"

    def __init__(self, config: PIIConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__()  # exclusion_writer is accepted for the step registry's uniform call; nothing is dropped
        self.config = config or PIIConfig()

    def format(self, text: str) -> str:
        return mask_pii(text, self.config)[0]

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        doc: Document
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                counts: dict[str, int] = {}
                if self.config.enabled:
                    contacts: set[str] = set()
                    doc.text, counts = mask_pii(doc.text, self.config, contacts)
                    if contacts:
                        doc.metadata[S.PII_CONTACTS] = sorted(contacts)
                    for t, n in mask_metadata(doc.metadata, self.config).items():
                        counts[t] = counts.get(t, 0) + n
                doc.metadata["pii_counts"] = counts
                doc.metadata["pii_total"] = sum(counts.values())
                for pii_type, n in counts.items():
                    self.stat_update(f"pii_{pii_type}", value=n)
                if counts:
                    self.stat_update("pii_docs")
            yield doc
