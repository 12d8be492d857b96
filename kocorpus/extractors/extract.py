"""MainTextExtractor (`extract` step): decoded HTML → the page's main text, one paragraph per line.

Per page, in order:
1. WET / plain-text records (metadata `format` == "text", or no format and no HTML tags) pass untouched.
2. A page decoded with too many U+FFFD (metadata `replacement_chars` ÷ characters) is removed as
   `undecodable_<encoding>` (the reader decoded it; nothing here re-decodes).
3. Korean site rules (`kocorpus/data/site_rules.yaml`): per domain, CSS selectors for the body and for parts to
   strip (comments, related lists, like buttons, bylines); the first rule whose body matches gives the text.
   A frame shell (Naver blog / cafe outer page: an iframe and no body) is removed as `iframe_shell` with the
   absolute `frame_url` recorded, so it can be re-crawled.
4. Otherwise the generic extractor (`resiliparse` | `trafilatura` | `justext`) on the page with the rules
   file's `strip_default` elements removed.
5. Empty result → `no_main_text`; a short "page not found" page served with status 200 → `not_found_page`;
   main text with too many U+FFFD → `undecodable_<encoding>`.
A document whose extraction raises is removed as `extract_error_<ExceptionType>` (message in metadata
`extract_error`); one that runs past `timeout_s` as `extract_timeout`; a crashed extraction process as
`extract_crashed`. Nothing raises out of the step.
"""

import re
import signal
import threading
from dataclasses import dataclass
from typing import Literal, NamedTuple

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError, validate_range
from kocorpus.extractors.depth import plain_text, too_deep
from kocorpus.extractors.generic import GENERIC
from kocorpus.extractors.site_rules import (
    SiteRules,
    apply_rule,
    find_frame,
    load_site_rules,
    strip_elements,
)

_LOOKS_HTML = re.compile(r"<(?:!doctype|html|head|body|div|p|br|meta|title|article|table|span)\b", re.IGNORECASE)
_NOT_FOUND = re.compile(
    r"(?:페이지를\s*찾을\s*수\s*없|존재하지\s*않는\s*(?:페이지|게시물|게시글|글)|요청하신\s*페이지|삭제되었거나|"
    r"페이지가\s*(?:없습니다|존재하지)|(?i:404\s*(?:not\s*found|error|-|\||에러|오류)|page\s*not\s*found|not\s*found))"
)
NOT_FOUND_MAX_CHARS = 300
"""A page whose main text is at most this long (characters) and reads "page not found" is a soft 404."""
_GENERIC_FRAMES = "frameset frame[src], iframe[src]"
SHELL_MAX_CHARS = 30
"""Without a site rule, a page whose generic text is at most this long and that holds a frame is a shell."""


class Outcome(NamedTuple):
    """Result of extracting one page: `text` (main text, '' when removed), `reason` (None when kept), `how`
    (`rule:<name>` or the generic extractor's name), `frame_url` (iframe shells)."""

    text: str
    reason: str | None
    how: str
    frame_url: str | None = None


class _Alarm(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that extractors' `except Exception` cannot swallow it."""


class ExtractionError(RuntimeError):
    """An extractor raised; carries '<ExceptionType>: message' (picklable across the sandbox pipe)."""


@dataclass(kw_only=True)
class ExtractConfig:
    """Main-text extraction from decoded HTML (site rules first, then a generic extractor)."""

    enabled: bool = True
    extractor: Literal["resiliparse", "trafilatura", "justext"] = "resiliparse"
    """Generic extractor for pages no site rule covers (see README "Main-text extraction" for the measurements)."""
    site_rules: bool = True
    """Try the Korean site rules before the generic extractor."""
    site_rules_file: str | None = None
    """YAML site rules (format: header of kocorpus/data/site_rules.yaml); default: that bundled file."""
    favor_precision: bool = True
    """trafilatura's favor_precision (FineWeb's setting); ignored by the other extractors."""
    timeout_s: float | None = 10.0
    """Per-document time limit, seconds (null = none)."""
    time_limit: Literal["signal", "process"] = "signal"
    """How `timeout_s` is enforced. signal: a SIGALRM timer in the task's own process (costs nothing; interrupts
    Python code, i.e. trafilatura / jusText / the rules, and lexbor between calls; tasks not on a main thread
    fall back to process). process: each page goes to a child process (datatrove's ExtractorSandbox), which also
    survives a hang or crash inside C code, at a pipe round-trip per page (~0.5× more time on 100 KB pages)."""
    max_replacement_share: float = 0.01
    """Largest share of U+FFFD among the characters (of the decoded page, and of its main text), 0–1."""
    max_html_chars: int = 5_000_000
    """Pages with more characters are removed (`html_too_large`) without parsing."""
    drop_not_found: bool = True
    """Remove soft-404 pages (short main text saying the page does not exist) as `not_found_page`."""

    def __post_init__(self) -> None:
        if self.timeout_s is not None and self.timeout_s <= 0:
            raise ConfigError(f"timeout_s: must be > 0 or null, got {self.timeout_s}")
        validate_range("max_replacement_share", self.max_replacement_share, 0.0, 1.0)
        if self.max_html_chars < 1:
            raise ConfigError(f"max_html_chars: must be >= 1, got {self.max_html_chars}")
        try:
            self.rules()
        except ConfigError as e:
            raise ConfigError(f"site_rules_file: {e}") from None

    def rules(self) -> SiteRules:
        return load_site_rules(self.site_rules_file)


class PageExtractor:
    """The per-page work of the step, independent of datatrove (used by the block, benchmarks and tests)."""

    def __init__(self, config: ExtractConfig | None = None):
        self.config = config or ExtractConfig()
        self.rules = self.config.rules() if self.config.site_rules else SiteRules()
        self.generic = GENERIC[self.config.extractor]

    def extract(self, html: str, url: str = "") -> Outcome:
        """Main text of one decoded HTML page (exceptions propagate)."""
        from resiliparse.parse.html import HTMLTree

        tree = HTMLTree.parse(html)
        if too_deep(tree):  # main-content detection would hang on it (kocorpus/extractors/depth.py)
            text = plain_text(tree)
            return Outcome(text, None if text else "no_main_text", "plain_deep_tree")
        if tree.document is None or tree.body is None or tree.body.first_child is None:  # also the sandbox warm-up
            if tree.document is None or not tree.document.query_selector("frame[src]"):
                return Outcome("", "no_main_text", self.config.extractor)
        rules = self.rules.for_url(url) if url else [r for r in self.rules.rules if "*" in r.domains]
        frame_rule, frame_url = next(((r.name, f) for r in rules if (f := find_frame(r, tree, url))), (None, None))
        generic_frame = None
        if frame_url is None:
            frame = tree.document.query_selector(_GENERIC_FRAMES)
            if frame is not None and (frame.getattr("src") or "").strip():
                from urllib.parse import urljoin

                generic_frame = urljoin(url, frame.getattr("src").strip())
        strip_elements(tree.body or tree.document, self.rules.strip_default)
        text, how = "", self.config.extractor
        for rule in rules:
            found = apply_rule(rule, tree)
            if found is not None:
                text, how = found.text, f"rule:{rule.name}"
                break
        else:
            if frame_url:
                return Outcome("", "iframe_shell", f"rule:{frame_rule}", frame_url)
            text = self.generic(tree, url, self.config.favor_precision)
            if len(text) <= SHELL_MAX_CHARS and generic_frame:
                return Outcome("", "iframe_shell", how, generic_frame)
        if not text:
            return Outcome("", "no_main_text", how)
        if self.config.drop_not_found and len(text) <= NOT_FOUND_MAX_CHARS:
            title = tree.title or ""
            if _NOT_FOUND.search(title) or _NOT_FOUND.search(text):
                return Outcome("", "not_found_page", how)
        return Outcome(text, None, how)

    def safe_extract(self, html: str, url: str = "") -> "Outcome | ExtractionError":
        """`extract` that returns (not raises) an ExtractionError, for the sandbox child process."""
        try:
            return self.extract(html, url)
        except Exception as e:  # any extractor / parser failure becomes a removal reason
            return ExtractionError(f"{type(e).__name__}: {str(e)[:300]}")


def looks_like_html(text: str) -> bool:
    """True when the first 4 KiB hold an HTML tag (records without a `format` are sniffed with this)."""
    return _LOOKS_HTML.search(text[:4096]) is not None


class MainTextExtractor(BaseFilter):
    """Replaces the decoded HTML in `doc.text` by the main text; records metadata `extractor` (`rule:<name>`
    or the generic extractor), `html_chars` (characters of the page), `frame_url` (iframe shells) and
    `extract_error` (failures). Reasons: see the module docstring."""

    name = "📰 Extract"

    def __init__(self, config: ExtractConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or ExtractConfig()
        self._page: PageExtractor | None = None
        self._sandbox = None

    @property
    def page(self) -> PageExtractor:
        if self._page is None:
            self._page = PageExtractor(self.config)
        return self._page

    def run(self, data, rank: int = 0, world_size: int = 1):
        in_main = threading.current_thread() is threading.main_thread()
        if self.config.timeout_s is None or (self.config.time_limit == "signal" and in_main):
            yield from super().run(data, rank, world_size)
            return
        from datatrove.pipeline.extractors.base import ExtractorSandbox

        with ExtractorSandbox(timeout=self.config.timeout_s, warmup_text=("<html></html>", "")) as sandbox:
            self._sandbox = sandbox
            try:
                yield from super().run(data, rank, world_size)
            finally:
                self._sandbox = None

    def _outcome(self, html: str, url: str) -> Outcome:
        timeout = self.config.timeout_s
        if self._sandbox is None and timeout is not None and threading.current_thread() is threading.main_thread():
            return self._with_alarm(html, url, timeout)
        if self._sandbox is None:
            result = self.page.safe_extract(html, url)
            if isinstance(result, ExtractionError):
                raise result
            return result
        return self._sandbox.process_document((html, url), self.page.safe_extract)

    def _with_alarm(self, html: str, url: str, timeout: float) -> Outcome:
        """`extract` under a SIGALRM timer of `timeout` seconds (TimeoutError when it fires)."""

        def on_alarm(signum, frame):
            raise _Alarm

        previous = signal.signal(signal.SIGALRM, on_alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                result = self.page.safe_extract(html, url)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _Alarm:
            raise TimeoutError from None
        finally:
            signal.signal(signal.SIGALRM, previous)
        if isinstance(result, ExtractionError):
            raise result
        return result

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        meta = doc.metadata
        fmt = meta.get("format")
        if fmt == "text" or (fmt is None and not looks_like_html(doc.text)):
            self.stat_update("passthrough_text")
            return True
        html = doc.text
        meta["html_chars"] = len(html)
        if not html.strip():
            return False, "no_main_text"
        if len(html) > self.config.max_html_chars:
            return False, "html_too_large"
        encoding = str(meta.get("encoding") or "unknown").lower()
        bad = meta.get("replacement_chars")
        bad = html.count("\ufffd") if not isinstance(bad, int) else bad
        if bad > self.config.max_replacement_share * len(html):
            return False, f"undecodable_{encoding}"
        try:
            outcome = self._outcome(html, str(meta.get("url") or ""))
        except TimeoutError:
            meta["extract_error"] = f"timeout after {self.config.timeout_s} s"
            return False, "extract_timeout"
        except EOFError as e:
            meta["extract_error"] = str(e)[:300]
            return False, "extract_crashed"
        except ExtractionError as e:
            meta["extract_error"] = str(e)
            return False, f"extract_error_{str(e).split(':', 1)[0]}"
        meta["extractor"] = outcome.how
        if outcome.frame_url:
            meta["frame_url"] = outcome.frame_url
        if outcome.reason:
            return False, outcome.reason
        if outcome.text.count("\ufffd") > self.config.max_replacement_share * len(outcome.text):
            return False, f"undecodable_{encoding}"
        doc.text = outcome.text
        self.stat_update(f"extracted_by_{outcome.how.replace(':', '_')}")  # snake_case stat keys
        return True
