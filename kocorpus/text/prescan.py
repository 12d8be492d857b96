"""The WHATWG HTML encoding prescan: the charset a browser takes from `<meta>` before parsing a page.

https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding — comments are
skipped, `<meta>` attributes are parsed with quoting rules, `content="…; charset=x"` counts only with
`http-equiv="content-type"`, the first *known* label wins (a bogus label does not hide a later valid one). Checked
against html5lib's encoding tests (tests/data/third_party/html5lib).
"""

from __future__ import annotations

from collections.abc import Callable

_SPACE = b"\t\n\x0c\r "
_SPACE_SLASH = _SPACE + b"/"
_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _attribute(data: bytes, pos: int) -> tuple[str, str, int] | None:
    """The attribute (lower-cased name, value) starting at `pos`, and the position after it; None at `>` / end."""
    n = len(data)
    while pos < n and data[pos] in _SPACE_SLASH:
        pos += 1
    if pos >= n or data[pos] == 0x3E:  # '>'
        return None
    name = bytearray()
    while pos < n:
        c = data[pos]
        if c == 0x3D and name:  # '='
            pos += 1
            break
        if c in _SPACE:
            while pos < n and data[pos] in _SPACE:
                pos += 1
            if pos >= n or data[pos] != 0x3D:
                return name.decode("latin-1").lower(), "", pos
            pos += 1
            break
        if c in b"/>":
            return name.decode("latin-1").lower(), "", pos
        name.append(c)
        pos += 1
    else:
        return name.decode("latin-1").lower(), "", pos
    while pos < n and data[pos] in _SPACE:
        pos += 1
    value = bytearray()
    if pos < n and data[pos] in b"\"'":
        quote = data[pos]
        end = data.find(bytes([quote]), pos + 1)
        if end < 0:  # the data ends inside the value: abort, as browsers do
            return None
        value += data[pos + 1 : end]
        return name.decode("latin-1").lower(), value.decode("latin-1").lower(), end + 1
    if pos < n and data[pos] == 0x3E:
        return name.decode("latin-1").lower(), "", pos
    while pos < n and data[pos] not in _SPACE and data[pos] != 0x3E:
        value.append(data[pos])
        pos += 1
    if pos >= n:  # the data ends inside the value: abort, as browsers do
        return None
    return name.decode("latin-1").lower(), value.decode("latin-1").lower(), pos


def charset_from_content(value: str) -> str | None:
    """The charset in a `content="text/html; charset=x"` value (WHATWG algorithm), or None."""
    pos = 0
    while True:
        i = value.find("charset", pos)
        if i < 0:
            return None
        pos = i + 7
        while pos < len(value) and value[pos] in "\t\n\x0c\r ":
            pos += 1
        if pos >= len(value) or value[pos] != "=":
            continue
        pos += 1
        while pos < len(value) and value[pos] in "\t\n\x0c\r ":
            pos += 1
        if pos >= len(value):
            return None
        if value[pos] in "\"'":
            end = value.find(value[pos], pos + 1)
            return value[pos + 1 : end] if end > 0 else None
        end = pos
        while end < len(value) and value[end] not in "\t\n\x0c\r ;":
            end += 1
        return value[pos:end] or None


def prescan(data: bytes, known: Callable[[str], bool]) -> str | None:
    """The first charset label in `data` that `known(label)` accepts, found the way browsers find it, or None."""
    n, pos = len(data), 0
    while True:
        pos = data.find(b"<", pos)
        if pos < 0 or pos >= n - 1:
            return None
        if data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 2)
            if end < 0:
                return None
            pos = end + 3
            continue
        if data[pos + 1 : pos + 5].lower() == b"meta" and pos + 5 < n and data[pos + 5] in _SPACE_SLASH:
            pos += 5
            seen: set[str] = set()
            got_pragma, need_pragma, charset = False, None, None
            while (attr := _attribute(data, pos)) is not None:
                name, value, pos = attr
                if name in seen:
                    continue
                seen.add(name)
                if name == "http-equiv" and value == "content-type":
                    got_pragma = True
                elif name == "content" and charset is None:
                    found = charset_from_content(value)
                    if found is not None:
                        charset, need_pragma = found, True
                elif name == "charset":
                    charset, need_pragma = value, False
            if need_pragma is None or (need_pragma and not got_pragma) or not charset:
                continue
            if known(charset.strip()):
                return charset.strip()
            continue
        nxt = data[pos + 1]
        if nxt in _LETTERS or (nxt == 0x2F and pos + 2 < n and data[pos + 2] in _LETTERS):
            while pos < n and data[pos] not in _SPACE and data[pos] != 0x3E:
                pos += 1
            while (attr := _attribute(data, pos)) is not None:
                pos = attr[2]
            continue
        if nxt in b"!/?":
            end = data.find(b">", pos + 1)
            if end < 0:
                return None
            pos = end + 1
            continue
        pos += 1
