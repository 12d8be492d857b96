"""Literal strings that every match of a regular expression contains, read from the parsed pattern (`re._parser`).

`required_cues(pattern)` gives clauses — sets of strings — such that any match of `pattern` (by `search`,
`match` or `fullmatch`, on any string) contains at least one string of every clause; a text that lacks every
string of some clause cannot hold a match in any of its substrings, so a per-line rule can be skipped for a
whole document after a few `in` tests (`may_match`).

The reading is conservative. A literal counts only where it is certainly matched as written (under IGNORECASE
a cased character gives nothing: its case partners K, ſ, İ … would match too); a character class gives its
characters when it lists at most `MAX_CUES` of them (negated classes and categories such as `\\w` give
nothing); consecutive literals join into one string; a sequence keeps the clauses of its parts (at most
`MAX_CLAUSES`, the most selective); an alternation gives one clause, the union of each branch's most selective
clause (nothing if a branch has none); a repeat gives its body's clauses when it repeats at least once, a
positive lookahead/lookbehind its body's (what it looks at lies inside the searched string); every other node
(anchors, negative lookarounds, `.`, backreferences, conditionals) gives nothing.
"""

from __future__ import annotations

import _sre
from re import _constants as C
from re import _parser

MAX_CUES = 12
"""Most strings in one clause (a text is scanned once per string)."""
MAX_CLAUSES = 3
"""Most clauses kept for one pattern."""

Clause = frozenset[str]


def _rank(clause: Clause) -> tuple[int, int]:
    """Sort key, most selective first: longer shortest string, then fewer strings."""
    return (-min(map(len, clause)), len(clause))


def _minimal(clause: Clause) -> Clause:
    """`clause` without strings that contain another of its strings (absent whenever that one is)."""
    return frozenset(s for s in clause if not any(o != s and o in s for o in clause))


def _best(clauses: list[Clause]) -> list[Clause]:
    return sorted(set(map(_minimal, clauses)), key=lambda c: (_rank(c), sorted(c)))[:MAX_CLAUSES]


def _char(code: int, flags: int) -> str | None:
    """The character a LITERAL matches, None when it matches others too (case-insensitive and cased)."""
    if flags & C.SRE_FLAG_IGNORECASE and _sre.unicode_iscased(code):
        return None
    return chr(code)


def _in(items: list, flags: int) -> Clause | None:
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            ch = _char(av, flags)
            if ch is None:
                return None
            chars.add(ch)
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo >= MAX_CUES or any(_char(c, flags) is None for c in range(lo, hi + 1)):
                return None
            chars.update(map(chr, range(lo, hi + 1)))
        else:  # NEGATE, CATEGORY (\d \w \s …)
            return None
    return frozenset(chars) if 0 < len(chars) <= MAX_CUES else None


def _sequence(items, flags: int) -> list[Clause]:
    clauses: list[Clause] = []
    run = ""  # consecutive literals: one string every match contains
    for op, av in items:
        ch = _char(av, flags) if op is C.LITERAL else None
        if ch is not None:
            run += ch
            continue
        if run:
            clauses.append(frozenset([run]))
            run = ""
        clauses += _node(op, av, flags)
    if run:
        clauses.append(frozenset([run]))
    return _best(clauses)


def _node(op, av, flags: int) -> list[Clause]:
    if op is C.IN:
        clause = _in(av, flags)
        return [clause] if clause else []
    if op is C.SUBPATTERN:
        _, add, remove, body = av
        return _sequence(body, (flags | add) & ~remove)
    if op is C.ATOMIC_GROUP:
        return _sequence(av, flags)
    if op is C.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            clauses = _sequence(branch, flags)
            if not clauses:
                return []
            union |= clauses[0]
        return [frozenset(union)] if len(union) <= MAX_CUES else []
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _, body = av
        return _sequence(body, flags) if low >= 1 else []
    if op is C.ASSERT:  # positive lookahead / lookbehind (ASSERT_NOT, negative: nothing)
        return _sequence(av[1], flags)
    return []  # LITERAL under IGNORECASE, AT, ANY, NOT_LITERAL, GROUPREF, ASSERT_NOT …


def required_cues(pattern: str, flags: int = 0) -> tuple[Clause, ...]:
    """Clauses of strings (see the module docstring) every match of `pattern` (compiled with `flags`)
    satisfies; () when none can be read off."""
    parsed = _parser.parse(pattern, flags)
    return tuple(_sequence(parsed, parsed.state.flags))


def may_match(text: str, cues: tuple[Clause, ...]) -> bool:
    """False only when some clause of `cues` has no string in `text` (then the pattern cannot match in it)."""
    return all(any(s in text for s in clause) for clause in cues)
