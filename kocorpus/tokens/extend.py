"""Vocabulary expansion (RedWhale, EEVE): add the Korean tokens a base BPE tokenizer lacks, keeping every base id.

The Korean tokenizer (`kocorpus tokenizer train`, byte-level BPE) supplies candidates in its merge order (most
frequent first). For each Korean merge (a, b) → ab whose result holds Korean bytes: the merge is appended after the base
merges (lower priority than all of them) when a and b exist, and ab gets the next free id when new. Nothing
ASCII is ever added, so English text encodes exactly as before (tested). Byte-level bases (GPT-2,
SmolLM2) take the byte-level tokens as they are; SentencePiece-style bases (Llama, Mistral: Metaspace "▁" and
byte fallback) take only tokens that are whole UTF-8 strings containing Hangul, with spaces written "▁", plus
the Hangul characters they lack (which they would otherwise spell as byte-fallback tokens).

`new_tokens.json` maps each new token to its id and the base-tokenizer sub-token ids of the same text (what the
trainer averages to initialise the new embedding row).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from kocorpus.tokens.base import kind


@dataclass
class Extension:
    tokenizer: object
    """The extended `tokenizers.Tokenizer`."""
    new_tokens: list[dict] = field(default_factory=list)
    """[{"token", "id", "text", "base_ids"}] in id order."""
    merges_added: int = 0


def _bytes_of(token: str) -> bytes:
    """Bytes a byte-level BPE token stands for."""
    return bytes(_BYTE_INDEX[c] for c in token)


def _byte_alphabet() -> list[str]:
    """GPT-2's byte → printable character table, in byte order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    order = sorted(zip(bs, cs, strict=True))
    return [chr(c) for _, c in order]


_BYTE_INDEX = {c: i for i, c in enumerate(_byte_alphabet())}


def _merge_pairs(merges: list) -> list[tuple[str, str]]:
    return [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in merges]


def extend(base, korean, max_new: int | None = None, allowed: set[str] | None = None) -> Extension:
    """Extend `base` (tokenizers.Tokenizer, byte-level or SentencePiece-style BPE) with `korean`'s tokens.
    `allowed`: if given, only these Korean token strings may become new tokens (e.g. those seen ≥ min-freq)."""
    from tokenizers import Tokenizer

    base_kind = kind(base)
    spec = json.loads(base.to_str())
    model = spec["model"]
    if model.get("type") != "BPE":
        raise ValueError(f"base tokenizer model is {model.get('type')}, not BPE")
    vocab: dict[str, int] = model["vocab"]
    merges = _merge_pairs(model["merges"])
    have = set(merges)
    next_id = max([*vocab.values(), *(t["id"] for t in spec.get("added_tokens", []))]) + 1
    kspec = json.loads(korean.to_str())
    kmerges = _merge_pairs(kspec["model"]["merges"])
    new: list[tuple[str, int]] = []
    added = 0

    def convert(tok: str) -> str | None:  # Korean byte-level token → the base's representation
        if base_kind == "bytelevel":
            return tok
        try:
            return _bytes_of(tok).decode("utf-8").replace(" ", "▁")
        except UnicodeDecodeError:
            return None

    def add_token(tok: str) -> bool:
        nonlocal next_id
        if tok in vocab:
            return True
        if max_new is not None and len(new) >= max_new:
            return False
        vocab[tok] = next_id
        new.append((tok, next_id))
        next_id += 1
        return True

    if base_kind == "sentencepiece":
        # whole-character tokens only: Hangul characters first (the base spells them with byte fallback), then
        # every Korean token that is valid UTF-8, in the Korean vocabulary's id order (merge order), each built
        # by one merge of two tokens already present (the longest present prefix)
        kvocab = sorted(kspec["model"]["vocab"].items(), key=lambda kv: kv[1])
        texts = [(raw, convert(raw)) for raw, _ in kvocab if allowed is None or raw in allowed]
        for c in sorted({c for _, t in texts if t for c in t if _is_hangul(c)}):
            add_token(c)
        for _, text in texts:
            if not text or len(text) < 2 or not any(map(_is_hangul, text)) or text in vocab:
                continue
            split = next((i for i in range(len(text) - 1, 0, -1) if text[:i] in vocab and text[i:] in vocab), None)
            if split is None:
                continue
            if not add_token(text):
                break
            merges.append((text[:split], text[split:]))
            added += 1
        kmerges = []
    for a_raw, b_raw in kmerges:
        a, b, ab = convert(a_raw), convert(b_raw), convert(a_raw + b_raw)
        if a is None or b is None or ab is None or not _korean_bytes(_bytes_of(a_raw + b_raw)) or (a, b) in have:
            continue
        if a not in vocab or b not in vocab:
            continue
        if ab not in vocab:
            if allowed is not None and a_raw + b_raw not in allowed:
                continue
            if not add_token(ab):
                break
        merges.append((a, b))
        have.add((a, b))
        added += 1
    model["merges"] = [list(m) for m in merges]
    tokenizer = Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))
    records = []
    for tok, tid in new:
        base_ids = [t.id for t in base.model.tokenize(tok)]
        text = _bytes_of(tok).decode("utf-8", errors="replace") if base_kind == "bytelevel" else tok.replace("▁", " ")
        records.append({"token": tok, "id": tid, "text": text, "base_ids": base_ids})
    return Extension(tokenizer=tokenizer, new_tokens=records, merges_added=added)


def _korean_bytes(b: bytes) -> bool:
    """Byte-level candidates: bytes that hold a Hangul lead byte (U+AC00–U+D7A3 and the jamo start with
    0xE1/0xE3/0xEA–0xED) or only UTF-8 continuation bytes (the tail of a Hangul syllable)."""
    return any(x in (0xE1, 0xE3) or 0xEA <= x <= 0xED for x in b) or (bool(b) and all(0x80 <= x <= 0xBF for x in b))


def _is_hangul(c: str) -> bool:
    return "\uac00" <= c <= "\ud7a3" or "\u3131" <= c <= "\u318e"


def token_frequencies(korean, texts) -> dict[str, int]:
    """How often each Korean-tokenizer token occurs when it encodes `texts`."""
    from collections import Counter

    counts: Counter = Counter()
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == 256:
            counts.update(t for enc in korean.encode_batch(batch) for t in enc.tokens)
            batch = []
    if batch:
        counts.update(t for enc in korean.encode_batch(batch) for t in enc.tokens)
    return dict(counts)


def extend_cli(base_spec: str, korean_dir: Path, out: Path, max_new: int | None, min_freq: int,
               texts: list[str] | None = None) -> Extension:  # fmt: skip
    """`kocorpus tokenizer extend`: write the extended HF directory and new_tokens.json to `out`."""
    from transformers import PreTrainedTokenizerFast

    from kocorpus.text.files import iter_texts
    from kocorpus.tokens.base import load_hf

    base_hf = load_hf(base_spec)
    korean = load_hf(korean_dir).backend_tokenizer
    allowed = None
    if min_freq > 1:
        if not texts:
            raise ValueError("--min-freq needs --texts (the Korean text to count token frequencies on)")
        freq = token_frequencies(korean, iter_texts(texts))
        allowed = {t for t, n in freq.items() if n >= min_freq}
    ext = extend(base_hf.backend_tokenizer, korean, max_new=max_new, allowed=allowed)
    specials = {k: getattr(base_hf, k) for k in ("bos_token", "eos_token", "unk_token", "pad_token")}
    hf = PreTrainedTokenizerFast(tokenizer_object=ext.tokenizer, **{k: v for k, v in specials.items() if v})
    out = Path(out)
    hf.save_pretrained(str(out))
    meta = {
        "base": str(base_spec),
        "base_kind": kind(base_hf.backend_tokenizer),
        "base_vocab_size": base_hf.backend_tokenizer.get_vocab_size(with_added_tokens=True),
        "vocab_size": ext.tokenizer.get_vocab_size(with_added_tokens=True),
        "merges_added": ext.merges_added,
        "tokens": ext.new_tokens,
    }
    (out / "new_tokens.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ext
