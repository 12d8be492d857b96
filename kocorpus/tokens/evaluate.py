"""Tokenizer fertility: characters/token, tokens/eojeol, bytes/token and byte-fallback rate on a text set.

Byte-fallback rate = share of tokens that are not whole characters: SentencePiece `<0xNN>` tokens, or byte-level
tokens whose bytes are not valid UTF-8 on their own (pieces of a character). Special tokens are not added.
"""

import re
from dataclasses import dataclass

from kocorpus.tokens.extend import _bytes_of

BYTE_TOKEN = re.compile(r"^<0x[0-9A-Fa-f]{2}>$")


@dataclass
class Fertility:
    chars: int
    bytes: int
    eojeol: int
    tokens: int
    fallback: int

    @property
    def chars_per_token(self) -> float:
        return self.chars / self.tokens if self.tokens else 0.0

    @property
    def tokens_per_eojeol(self) -> float:
        return self.tokens / self.eojeol if self.eojeol else 0.0

    @property
    def bytes_per_token(self) -> float:
        return self.bytes / self.tokens if self.tokens else 0.0

    @property
    def fallback_rate(self) -> float:
        return self.fallback / self.tokens if self.tokens else 0.0


def _is_fallback(token: str, bytelevel: bool) -> bool:
    if BYTE_TOKEN.match(token):
        return True
    if not bytelevel:
        return False
    try:
        _bytes_of(token).decode("utf-8")
    except (UnicodeDecodeError, KeyError):
        return True
    return False


def fertility(tokenizer, texts: list[str], batch: int = 512) -> Fertility:
    """Measure `tokenizer` (tokenizers.Tokenizer) on `texts`."""
    from kocorpus.tokens.base import kind

    bytelevel = kind(tokenizer) == "bytelevel"
    f = Fertility(0, 0, 0, 0, 0)
    for i in range(0, len(texts), batch):
        chunk = texts[i : i + batch]
        for text, enc in zip(chunk, tokenizer.encode_batch(chunk, add_special_tokens=False), strict=True):
            f.chars += len(text)
            f.bytes += len(text.encode("utf-8"))
            f.eojeol += len(text.split())
            f.tokens += len(enc.ids)
            f.fallback += sum(_is_fallback(t, bytelevel) for t in enc.tokens)
    return f


def fertility_table(named: dict[str, object], sets: dict[str, list[str]]):
    """A rich Table: one row per tokenizer, per text set chars/token, tokens/eojeol, bytes/token, fallback %."""
    from rich.table import Table

    table = Table(title="tokenizer fertility", title_justify="left")
    table.add_column("tokenizer")
    table.add_column("vocab", justify="right")
    for name in sets:
        for col in ("chars/tok", "tok/eojeol", "bytes/tok", "fallback %"):
            table.add_column(f"{name} {col}", justify="right")
    results = {}
    for tname, tok in named.items():
        row = [tname, f"{tok.get_vocab_size(with_added_tokens=True):,}"]
        for sname, texts in sets.items():
            f = fertility(tok, texts)
            results[(tname, sname)] = f
            row += [f"{f.chars_per_token:.3f}", f"{f.tokens_per_eojeol:.2f}", f"{f.bytes_per_token:.2f}",
                    f"{100 * f.fallback_rate:.2f}"]  # fmt: skip
        table.add_row(*row)
    return table, results
