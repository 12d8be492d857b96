"""Korean site rules: per-domain CSS selectors for the main text and for parts to strip, tried before the generic
extractor. Rules are data (`kocorpus/data/site_rules.yaml`, format in its header); this module loads and checks
them and applies them to a resiliparse DOM tree.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from kocorpus.config import ConfigError

BUNDLED_RULES = Path(__file__).resolve().parent.parent / "data" / "site_rules.yaml"
PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})
"""Elements that `strip_default` selectors never remove (a `<body class="has-comments">` stays)."""
_RULE_KEYS = {"name", "domains", "url", "body", "unique", "strip", "frame", "min_chars"}


@dataclass(frozen=True)
class SiteRule:
    """One entry of `rules:` (keys documented in the YAML file's header)."""

    name: str
    domains: tuple[str, ...]
    body: tuple[str, ...]
    strip: tuple[str, ...] = ()
    frame: tuple[str, ...] = ()
    url: str | None = None
    unique: bool = False
    min_chars: int = 1

    def matches(self, host: str, url: str) -> bool:
        """True if the page's host (lower-case, no port) and URL fall under this rule."""
        if not any(d == "*" or host == d or host.endswith("." + d) for d in self.domains):
            return False
        return self.url is None or re.search(self.url, url) is not None


@dataclass(frozen=True)
class SiteRules:
    """The whole rules file: `strip_default` selectors and the ordered rules."""

    strip_default: tuple[str, ...] = ()
    rules: tuple[SiteRule, ...] = field(default_factory=tuple)

    def for_url(self, url: str) -> list[SiteRule]:
        """Rules that apply to `url`, in file order (the `*` rules last among equals is up to the file)."""
        return [r for r in self.rules if r.matches(host_of(url), url)]


def host_of(url: str) -> str:
    """Lower-case host of a URL without port and `www.` ('' when the URL has none)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _selectors(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of CSS selectors")
    return tuple(value)


def check_selectors(selectors: tuple[str, ...], where: str) -> None:
    """Parse every selector once with lexbor; a bad one fails with the rule and selector named."""
    from resiliparse.parse.html import HTMLTree

    probe = HTMLTree.parse("<html><body><p>x</p></body></html>").body
    for sel in selectors:
        try:
            probe.query_selector_all(sel)
        except Exception as e:  # CSSParserException
            raise ConfigError(f"{where}: bad CSS selector {sel!r}: {e}") from None


def load_site_rules(path: str | Path | None = None) -> SiteRules:
    """Read and check a site-rules YAML file (default: the bundled one); errors name the file, rule and key."""
    import yaml

    path = Path(path or BUNDLED_RULES)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path}: cannot read site rules: {e}") from None
    if not isinstance(data, dict) or set(data) - {"strip_default", "rules"}:
        raise ConfigError(f"{path}: expected a mapping with keys strip_default, rules")
    strip_default = _selectors(data.get("strip_default"), f"{path}: strip_default")
    check_selectors(strip_default, f"{path}: strip_default")
    raw = data.get("rules") or []
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: rules: expected a list")
    rules, seen = [], set()
    for i, item in enumerate(raw):
        where = f"{path}: rules[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a mapping")
        unknown = sorted(set(item) - _RULE_KEYS)
        if unknown:
            raise ConfigError(f"{where}.{unknown[0]}: unknown key (known keys: {', '.join(sorted(_RULE_KEYS))})")
        name = item.get("name")
        if not isinstance(name, str) or not name or name in seen:
            raise ConfigError(f"{where}.name: must be a new non-empty string")
        where = f"{path}: rule {name!r}"
        domains = item.get("domains")
        if not isinstance(domains, list) or not domains or not all(isinstance(d, str) and d for d in domains):
            raise ConfigError(f"{where}.domains: expected a non-empty list of host names (or '*')")
        url = item.get("url")
        if url is not None:
            try:
                re.compile(url)
            except (re.error, TypeError) as e:
                raise ConfigError(f"{where}.url: bad regular expression: {e}") from None
        body = _selectors(item.get("body"), f"{where}.body")
        if not body:
            raise ConfigError(f"{where}.body: at least one CSS selector is required")
        strip = _selectors(item.get("strip"), f"{where}.strip")
        frame = _selectors(item.get("frame"), f"{where}.frame")
        for key, sels in (("body", body), ("strip", strip), ("frame", frame)):
            check_selectors(sels, f"{where}.{key}")
        unique = item.get("unique", False)
        if not isinstance(unique, bool):
            raise ConfigError(f"{where}.unique: expected true/false")
        min_chars = item.get("min_chars", 1)
        if isinstance(min_chars, bool) or not isinstance(min_chars, int) or min_chars < 1:
            raise ConfigError(f"{where}.min_chars: expected a positive integer")
        seen.add(name)
        rules.append(
            SiteRule(
                name=name,
                domains=tuple(d.lower() for d in domains),
                body=body,
                strip=strip,
                frame=frame,
                url=url,
                unique=unique,
                min_chars=min_chars,
            )
        )
    return SiteRules(strip_default=strip_default, rules=tuple(rules))


MAX_STRIP_SHARE = 0.5
"""`strip_default` never removes an element holding more than this share of the page's text characters."""


def strip_elements(root, selectors: tuple[str, ...], protect: bool = True) -> int:
    """Remove every element under `root` matching one of `selectors` (one combined query); returns the count.
    With `protect`, html/body/main/article elements and elements holding more than MAX_STRIP_SHARE of the
    text under `root` are kept (a wrapper such as `<div class="post category-news">` or an ASP.NET `<form>`)."""
    from resiliparse.parse.html import NodeType

    element = NodeType.ELEMENT
    if not selectors:
        return 0
    removed = 0
    limit = None
    for node in root.query_selector_all(", ".join(selectors)):
        if protect and node.tag in PROTECTED_TAGS:
            continue
        if protect and root.type == element and node.child_element_count:  # a wrapper: check its size
            if limit is None:
                limit = MAX_STRIP_SHARE * len(root.text or "")
            if len(node.text or "") > limit:
                continue
        node.remove()  # detach (not decompose): a later match may be a descendant of this one
        removed += 1
    return removed


def node_text(node) -> str:
    """Visible text of one element, paragraphs and <br> lines as lines (no blank lines, no list bullets)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    text = extract_plain_text(
        HTMLTree.parse(node.html), preserve_formatting=True, main_content=False, list_bullets=False, alt_texts=False
    )
    return tidy_lines(text)


_SPACES = re.compile(r"[ \t\u00a0\u200b\u3000]+")


def tidy_lines(text: str) -> str:
    """Strip each line, collapse runs of spaces, drop empty lines: one paragraph per line, joined by "\\n"."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class RuleResult:
    """What a site rule found: `text` (main text, '' if none), `rule` (its name), `frame_url` (shell pages)."""

    text: str
    rule: str
    frame_url: str | None = None


def find_frame(rule: SiteRule, tree, url: str) -> str | None:
    """Absolute URL of the first frame/iframe matching the rule's `frame` selectors (before stripping)."""
    for sel in rule.frame:
        frame = tree.document.query_selector(sel)
        if frame is not None and (frame.getattr("src") or "").strip():
            return urljoin(url, frame.getattr("src").strip())
    return None


def apply_rule(rule: SiteRule, tree) -> RuleResult | None:
    """Apply one rule's body selectors to a parsed page (already cleaned of `strip_default`); None when no
    selector finds `min_chars` of text. Every match of the first matching selector counts, in page order (a
    Naver PostList or a Tistory front page shows several posts), except matches inside an earlier match."""
    body_root = tree.body or tree.document
    for sel in rule.body:
        nodes = list(body_root.query_selector_all(sel))
        if not nodes or (rule.unique and len(nodes) != 1):
            continue
        taken: list = []
        for node in nodes:
            if not any(t.contains(node) for t in taken):
                taken.append(node)
        parts = []
        for node in taken:
            strip_elements(node, rule.strip, protect=False)
            parts.append(node_text(node))
        text = "\n".join(p for p in parts if p)
        if len(text) >= rule.min_chars:
            return RuleResult(text, rule.name)
    return None
