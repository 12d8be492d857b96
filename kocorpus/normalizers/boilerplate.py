"""BoilerplateStripper: removes Korean news / web footers, bylines, promo and navigation lines from the text.

Rules are data: named regular expressions in a YAML file (`kocorpus/data/boilerplate/rules.yaml`, format in
its header) of three kinds — `line` (drop a short line that contains the pattern: 저작권자 ⓒ …, 사업자등록번호,
이용약관 | 개인정보처리방침, 홍길동 기자 hong@news.co.kr), `prefix` (strip only the lead of a line:
"(서울=연합뉴스) 홍길동 기자 =", "[OO일보]") and `tail` (strip from the match to the end of the line: a
copyright notice after the last sentence). The built-in `navigation` rule drops short lines made only of menu
words (`kocorpus/data/boilerplate/menu_words.txt`) and separators: 홈 > 뉴스 > 정치, 로그인 회원가입 마이페이지.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError, validate_range
from kocorpus.text.regex_cues import required_cues

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "boilerplate"
NAVIGATION = "navigation"
RuleKind = Literal["line", "prefix", "tail"]

_HAS_CONTENT = re.compile(r"[0-9A-Za-z\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff]")
_NAV_SPLIT = re.compile(r"[\s>|·/›»ㅣ•∙,:\-–—<«‹\[\]()]+")
_NAV_SEPARATOR = re.compile(r"[>|·/›»ㅣ•∙]")
_BREADCRUMB = re.compile(r"^\s*(?:\S{1,12}\s+)?(?:홈|home|메인|뉴스\s*홈)\s*[>›»]", re.IGNORECASE)
_BREADCRUMB_STEP = re.compile(r"[>›»]")
_DANGLING_OPEN = re.compile(r"[\s<\[(【〈]*$")  # "… 했다. <" left before a removed tail
_BLANK_RUN = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rule:
    """A named pattern; `kind` line/prefix/tail (see module docstring); `max_chars`: longest line a `line`
    rule removes (None: the config's `max_line_chars`)."""

    name: str
    kind: RuleKind
    pattern: str
    max_chars: int | None = None


def load_rules(path: str | Path) -> list[Rule]:
    """Read and check a YAML rules file; errors name the file and the rule."""
    from kocorpus.config import parse_yaml

    path = Path(path)
    data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of rules")
    rules, seen = [], set()
    for i, item in enumerate(data):
        where = f"{path}: rule {i}"
        if not isinstance(item, dict) or set(item) - {"name", "kind", "pattern", "max_chars"}:
            raise ConfigError(f"{where}: expected a mapping with name, kind, pattern[, max_chars]")
        name, kind, pattern = item.get("name"), item.get("kind"), item.get("pattern")
        if not isinstance(name, str) or not name or name in seen or name == NAVIGATION:
            raise ConfigError(f"{where}: name must be a new non-empty string other than {NAVIGATION!r}")
        if kind not in ("line", "prefix", "tail"):
            raise ConfigError(f"{where} ({name}): kind must be line, prefix or tail, got {kind!r}")
        try:
            re.compile(pattern)
        except (re.error, TypeError) as e:
            raise ConfigError(f"{where} ({name}): bad pattern: {e}") from None
        max_chars = item.get("max_chars")
        if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
            raise ConfigError(f"{where} ({name}): max_chars must be a positive integer")
        seen.add(name)
        rules.append(Rule(name, kind, pattern, max_chars))
    return rules


def load_menu_words(path: str | Path) -> frozenset[str]:
    """Menu words, one a line (`#` comments), lowercased and without spaces."""
    words = (line.split("#", 1)[0] for line in Path(path).read_text(encoding="utf-8").splitlines())
    return frozenset(re.sub(r"\s+", "", w).lower() for w in words if w.strip())


@dataclass(kw_only=True)
class BoilerplateConfig:
    """Strip news / web boilerplate lines and leads (rules in a YAML data file)."""

    enabled: bool = True
    rules_file: str | None = None
    """YAML rules file (format: header of kocorpus/data/boilerplate/rules.yaml); default: that bundled file."""
    disable: list[str] = field(default_factory=list)
    """Names of rules to skip (a rule of the rules file, or `navigation`)."""
    max_line_chars: int = 200
    """Longest line, in characters, that a `line` rule without its own max_chars removes."""
    navigation: bool = True
    """Drop short lines made only of menu words and separators (홈 > 뉴스 > 정치, 이전글 다음글 목록)."""
    menu_words_file: str | None = None
    """Menu words for `navigation`, one a line; default: kocorpus/data/boilerplate/menu_words.txt."""
    nav_max_chars: int = 80
    """Longest line, in characters, that `navigation` removes."""
    nav_min_share: float = 0.8
    """Share of a line's tokens (split at spaces and separators) that must be menu words or page numbers, 0–1."""

    def __post_init__(self) -> None:
        for key in ("rules_file", "menu_words_file"):
            value = getattr(self, key)
            if value is not None and not Path(value).is_file():
                raise ConfigError(f"{key}: no such file {value!r}")
        try:
            names = {r.name for r in self.rules()} | {NAVIGATION}
        except ConfigError as e:
            raise ConfigError(f"rules_file: {e}") from None
        for i, name in enumerate(self.disable):
            if name not in names:
                raise ConfigError(f"disable[{i}]: unknown rule {name!r} (known: {', '.join(sorted(names))})")
        for key in ("max_line_chars", "nav_max_chars"):
            if getattr(self, key) < 1:
                raise ConfigError(f"{key}: must be >= 1, got {getattr(self, key)}")
        validate_range("nav_min_share", self.nav_min_share, 0.0, 1.0)

    def rules(self) -> list[Rule]:
        """The rules of `rules_file` (all of them, including disabled ones)."""
        return load_rules(self.rules_file or BUNDLED_DIR / "rules.yaml")

    def menu_words(self) -> frozenset[str]:
        return load_menu_words(self.menu_words_file or BUNDLED_DIR / "menu_words.txt")


class Stripper:
    """Compiled rules; `strip(text)` returns (new text, lines removed or trimmed, Counter of rule names)."""

    def __init__(self, config: BoilerplateConfig):
        disabled = set(config.disable)
        self.rules = [
            (r.name, r.kind, re.compile(r.pattern), r.max_chars or config.max_line_chars)
            for r in config.rules()
            if r.name not in disabled
        ]
        self.edit_rules = [r for r in self.rules if r[1] != "line"]
        self.line_rules = [r for r in self.rules if r[1] == "line"]
        # strings one of which each clause of a rule needs in the text (kocorpus/text/regex_cues.py): a
        # document missing a clause's strings cannot fire the rule on any line (every line, and what the
        # edit rules leave of it, is a substring of the text), so `strip` leaves the rule out for it
        self._cues = {name: required_cues(rx.pattern, rx.flags) for name, _, rx, _ in self.rules}
        self._automaton = None
        self.navigation = config.navigation and NAVIGATION not in disabled
        self.menu = config.menu_words() if self.navigation else frozenset()
        self.nav_max_chars = config.nav_max_chars
        self.nav_min_share = config.nav_min_share

    def is_navigation(self, line: str) -> bool:
        """True for a short line of menu words and separators (홈 > 뉴스 > 정치, 로그인 회원가입 마이페이지)."""
        s = line.strip()
        if not s or len(s) > self.nav_max_chars:
            return False
        tokens = [t for t in _NAV_SPLIT.split(s.lower()) if t]
        if len(tokens) < 2:
            return False
        menu = sum(t in self.menu for t in tokens)
        if menu >= 1 and _BREADCRUMB.match(s):  # 홈 > 뉴스 > 국회·정당: each step one or two short words
            steps = [step.split() for step in _BREADCRUMB_STEP.split(s)]
            if all(0 < len(words) <= 2 and sum(map(len, words)) <= 12 for words in steps[1:]):
                return True
        if menu < 2 or (len(tokens) < 3 and not _NAV_SEPARATOR.search(s)):
            return False
        return (menu + sum(t.isdigit() for t in tokens)) / len(tokens) >= self.nav_min_share

    def active_rules(self, text: str) -> tuple[list, list]:
        """(edit rules, line rules) that can fire somewhere in `text`: those whose every cue clause has a
        string in it (one Aho–Corasick pass for all rules' cue strings)."""
        if self._automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for cues in self._cues.values():
                for clause in cues:
                    for cue in clause:
                        automaton.add_word(cue, cue)
            if len(automaton):
                automaton.make_automaton()
            self._automaton = automaton
        present = {cue for _, cue in self._automaton.iter(text)} if len(self._automaton) else set()

        def can_fire(rule: tuple) -> bool:
            return all(not present.isdisjoint(clause) for clause in self._cues[rule[0]])

        return [r for r in self.edit_rules if can_fire(r)], [r for r in self.line_rules if can_fire(r)]

    def clean_line(
        self, line: str, edit_rules: list | None = None, line_rules: list | None = None
    ) -> tuple[str | None, list[str]]:
        """(line after the rules or None when removed, names of the rules that fired); `edit_rules` /
        `line_rules`: the rules to try (default: all; `active_rules` of the line's document)."""
        fired: list[str] = []
        s = line
        for name, kind, rx, _ in self.edit_rules if edit_rules is None else edit_rules:
            if kind == "prefix":
                m = rx.match(s)
                if m and m.end():
                    s = s[m.end() :]
                    fired.append(name)
            else:
                m = rx.search(s)
                if m:
                    s = _DANGLING_OPEN.sub("", s[: m.start()])
                    fired.append(name)
        if fired and not _HAS_CONTENT.search(s):
            return None, fired
        stripped = s.strip()
        if not stripped:
            return s, fired
        for name, _, rx, max_chars in self.line_rules if line_rules is None else line_rules:
            if len(stripped) <= max_chars and rx.search(stripped):
                return None, [*fired, name]
        if self.navigation and self.is_navigation(stripped):
            return None, [*fired, NAVIGATION]
        return s, fired

    def strip(self, text: str) -> tuple[str, int, Counter]:
        """Remove boilerplate from `text`; blank-line runs left behind are collapsed to one blank line."""
        fired: Counter = Counter()
        out: list[str] = []
        changed = 0
        edit_rules, line_rules = self.active_rules(text)
        for line in text.split("\n"):
            new, names = self.clean_line(line, edit_rules, line_rules)
            if names:
                changed += 1
                fired.update(names)
            if new is not None:
                out.append(new)
        if not changed:
            return text, 0, fired
        return _BLANK_RUN.sub("\n\n", "\n".join(out)).strip(), changed, fired


class BoilerplateStripper(BaseFilter):
    """Rewrites `doc.text`; records `boilerplate_chars` (characters removed) and `boilerplate_lines` (lines
    removed or trimmed) on every document; drops documents left empty (reason `empty_after_boilerplate`), which
    keep their original text in removed/."""

    name = "🧾 Boilerplate"

    def __init__(self, config: BoilerplateConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or BoilerplateConfig()
        self._stripper: Stripper | None = None

    @property
    def stripper(self) -> Stripper:
        if self._stripper is None:
            self._stripper = Stripper(self.config)
        return self._stripper

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        original = doc.text
        before = len(original)
        text, lines, fired = self.stripper.strip(original)
        doc.text = text
        doc.metadata["boilerplate_chars"] = before - len(text)
        doc.metadata["boilerplate_lines"] = lines
        if lines:
            self.stat_update("boilerplate_docs")
            self.stat_update("boilerplate_chars", value=before - len(text))
            for name, n in fired.items():
                self.stat_update(f"boilerplate_rule_{name}", value=n)
        if not text:
            doc.text = original  # removed/ shows the document as it arrived, not an empty string
            return False, "empty_after_boilerplate"
        return True
