"""UrlBlocklistFilter (`url_filter` step): drop pages whose host is on an editable block list, before extraction.

Lists are text files (`kocorpus/data/url_blocklist/<name>.txt`: gambling, adult, loan, user; or any file path), one
entry a line, `#` comments:
- an entry with a dot is a domain and blocks that host and all its sub-domains (`toto79.com`);
- an entry without a dot is a keyword and blocks every host containing it (`casino`, `먹튀`: IDN hosts are
  matched in Unicode, `xn--…` labels decoded first);
- `!domain` allows that host and its sub-domains even when a keyword matches (official sites).
The config's `domains` / `keywords` add entries inline. Documents without a URL pass.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "url_blocklist"
BUNDLED_LISTS: tuple[str, ...] = ("gambling", "adult", "loan", "user")


def resolve_list(entry: str) -> Path:
    """Path of a list: a bundled name (`gambling`) or a file path."""
    bundled = BUNDLED_DIR / f"{entry}.txt"
    return bundled if bundled.is_file() else Path(entry)


def page_host(url: str) -> str:
    """Lower-case Unicode host of `url` (IDN `xn--` labels decoded, no port, no trailing dot); '' if none."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            pass
    return host


@dataclass
class Blocklist:
    """Compiled entries: domains → list name, keywords → list name, allowed domains."""

    domains: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, str] = field(default_factory=dict)
    allowed: set[str] = field(default_factory=set)

    def add(self, entry: str, category: str) -> None:
        entry = entry.strip().lower()
        if entry.startswith("!"):
            self.allowed.add(_domain(entry[1:]))
        elif "." in entry:
            self.domains.setdefault(_domain(entry), category)
        else:
            self.keywords.setdefault(entry, category)

    def match(self, url: str) -> tuple[str, str] | None:
        """(list name, entry) that blocks `url`, or None."""
        host = page_host(url)
        if not host:
            return None
        suffixes = [".".join(host.split(".")[i:]) for i in range(host.count(".") + 1)]
        if any(s in self.allowed for s in suffixes):
            return None
        for s in suffixes:
            if s in self.domains:
                return self.domains[s], s
        for kw, category in self.keywords.items():
            if kw in host:
                return category, kw
        return None


def _domain(entry: str) -> str:
    entry = entry.strip().lower().rstrip(".")
    if "://" in entry:
        entry = page_host(entry)
    entry = entry.removeprefix("www.")
    try:
        return entry.encode("ascii").decode("idna") if "xn--" in entry else entry
    except (UnicodeError, ValueError):
        return entry


def load_list(path: str | Path) -> list[str]:
    """Entries of one list file (comments and blank lines dropped)."""
    out = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            if " " in line:
                raise ConfigError(f"{path}: entry {raw.strip()!r} has a space (one domain or keyword a line)")
            out.append(line)
    return out


@dataclass(kw_only=True)
class UrlFilterConfig:
    """Host block lists (Korean gambling / adult / loan spam, plus your own)."""

    enabled: bool = True
    lists: list[str] = field(default_factory=lambda: list(BUNDLED_LISTS))
    """Block lists: bundled names (gambling, adult, loan, user) or paths of files in the same format."""
    domains: list[str] = field(default_factory=list)
    """Extra entries inline, same syntax as a list line (domain, keyword, or !allowed-domain)."""

    def __post_init__(self) -> None:
        for i, entry in enumerate(self.lists):
            path = resolve_list(entry)
            if not path.is_file():
                raise ConfigError(f"lists[{i}]: {entry!r} is neither a bundled list {list(BUNDLED_LISTS)} nor a file")
            try:
                load_list(path)
            except (ConfigError, UnicodeDecodeError) as e:
                raise ConfigError(f"lists[{i}]: {e}") from None
        for i, entry in enumerate(self.domains):
            if not entry.strip() or " " in entry.strip():
                raise ConfigError(f"domains[{i}]: {entry!r} must be one domain or keyword without spaces")

    def blocklist(self) -> Blocklist:
        """All lists and inline entries compiled; the first list naming an entry gives its category."""
        bl = Blocklist()
        for entry in self.lists:
            path = resolve_list(entry)
            category = path.stem if path.parent == BUNDLED_DIR else "user"
            for item in load_list(path):
                bl.add(item, category)
        for item in self.domains:
            bl.add(item, "user")
        return bl


class UrlBlocklistFilter(BaseFilter):
    """Drops documents whose `url` host is blocked (reason `url_blocklist`; metadata `url_block` =
    '<list>:<entry>'); counts per list in stats."""

    name = "🚫 URL filter"

    def __init__(self, config: UrlFilterConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or UrlFilterConfig()
        self._blocklist: Blocklist | None = None

    @property
    def blocklist(self) -> Blocklist:
        if self._blocklist is None:
            self._blocklist = self.config.blocklist()
        return self._blocklist

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        url = doc.metadata.get("url")
        if not isinstance(url, str) or not url:
            return True
        hit = self.blocklist.match(url)
        if hit is None:
            return True
        category, entry = hit
        doc.metadata["url_block"] = f"{category}:{entry}"
        self.stat_update(f"url_blocked_{category}")
        return False, "url_blocklist"
