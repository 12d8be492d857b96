"""TextNormalizer: Unicode NFC, leftover jamo, control characters, HTML entities, whitespace, repeated jamo."""

import html
import re
import unicodedata
from dataclasses import dataclass

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from kocorpus.config import ConfigError

# Control characters except \t and \n (\r is folded into \n first), plus invisible format characters that
# break tokenization: zero-width space, word joiner, soft hyphen, stray BOMs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\u00ad\ufeff]")
_CONJOINING_JAMO = re.compile(r"[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")
_UNICODE_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_NEWLINE_RUN = re.compile(r"\n{3,}")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
_JAMO_RUN = re.compile(r"([\u3131-\u318e])\1+")  # ㅋㅋㅋㅋ, ㅠㅠㅠㅠ (compatibility jamo)
# Emoji and emoticon symbols repeated (😂😂😂, ♥♥♥♥); plain punctuation runs like !!!! or ~~~~.
_SYMBOL_RUN = re.compile(r"([\u2600-\u27bf\U0001f000-\U0001faff♡♥★☆^~!?.])\1+")


@dataclass(kw_only=True)
class NormalizeConfig:
    """Text normalization; each rewrite can be switched off."""

    enabled: bool = True
    nfc: bool = True
    """Unicode NFC: composes NFD Hangul (macOS file names and text) into syllables."""
    drop_conjoining_jamo: bool = True
    """Remove conjoining jamo left over after NFC (broken syllables)."""
    drop_control: bool = True
    """Remove control characters and NUL (keeps \\n); zero-width and soft-hyphen characters too."""
    unescape_html: bool = True
    """Decode HTML entities (&amp; &nbsp; &#44608;)."""
    normalize_whitespace: bool = True
    """Unicode spaces → ' ', collapse space runs, trim line ends, at most one blank line in a row."""
    max_jamo_repeat: int = 2
    """Longest run of one compatibility jamo kept (ㅋㅋㅋㅋㅋ → ㅋㅋ); 0 disables."""
    max_symbol_repeat: int = 3
    """Longest run of one emoji or ! ? . ~ ^ kept (!!!!!! → !!!); 0 disables."""

    def __post_init__(self) -> None:
        for key in ("max_jamo_repeat", "max_symbol_repeat"):
            if getattr(self, key) < 0:
                raise ConfigError(f"{key}: must be >= 0, got {getattr(self, key)}")


def normalize_text(text: str, cfg: NormalizeConfig) -> str:
    """Apply the configured rewrites to `text` and return the result (order matters: entities before spaces)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if cfg.unescape_html and "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if cfg.nfc:
        text = unicodedata.normalize("NFC", text)
    if cfg.drop_conjoining_jamo:
        text = _CONJOINING_JAMO.sub("", text)
    if cfg.drop_control:
        text = _CONTROL.sub("", text)
    if cfg.max_jamo_repeat:
        n = cfg.max_jamo_repeat
        text = _JAMO_RUN.sub(lambda m: m.group(1) * n if len(m.group(0)) > n else m.group(0), text)
    if cfg.max_symbol_repeat:
        n = cfg.max_symbol_repeat
        text = _SYMBOL_RUN.sub(lambda m: m.group(1) * n if len(m.group(0)) > n else m.group(0), text)
    if cfg.normalize_whitespace:
        # each rewrite below runs only where it can change the text (a substring test is much cheaper than the
        # scan): a run of two spaces, a space next to a newline (otherwise every match is a lone "\n" written
        # back as itself), three newlines
        text = _UNICODE_SPACES.sub(" ", text)
        if "  " in text:
            text = _SPACE_RUN.sub(" ", text)
        if " \n" in text or "\n " in text:
            text = _SPACE_AROUND_NEWLINE.sub("\n", text)
        if "\n\n\n" in text:
            text = _NEWLINE_RUN.sub("\n\n", text)
        text = text.strip()
    return text


class TextNormalizer(BaseFilter):
    """Rewrites `doc.text`; records `norm_chars_removed`; drops documents left empty ("empty_after_normalization")."""

    name = "🧹 Normalize"

    def __init__(self, config: NormalizeConfig | None = None, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.config = config or NormalizeConfig()

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        before = len(doc.text)
        doc.text = normalize_text(doc.text, self.config)
        removed = before - len(doc.text)
        doc.metadata["norm_chars_removed"] = removed
        if removed:
            self.stat_update("normalized_docs")
            self.stat_update("norm_chars_removed", value=removed)
        if not doc.text:
            return False, "empty_after_normalization"
        return True
