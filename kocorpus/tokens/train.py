"""Train a Korean BPE tokenizer with HF `tokenizers` (byte-level: every byte is a token, so nothing is unknown).

`pretokenize="bytelevel"` (default, shipped): GPT-2/SmolLM2's byte-level pre-tokenizer; the result is a plain
tokenizer.json that `AutoTokenizer.from_pretrained` loads. `pretokenize="kiwi"`: additionally splits words at
Kiwi morpheme boundaries before BPE (the measured alternative of benchmarks/tokenizer_eval.py); a Kiwi split
cannot be serialized into tokenizer.json, so such a tokenizer needs `kiwi_split` applied to text before encoding.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path

from kocorpus.text.files import iter_texts

__all__ = ["iter_texts", "kiwi_split", "new_bytelevel_tokenizer", "save_hf", "train_bpe", "train_korean"]

SPECIAL_TOKENS = ["<|endoftext|>", "<|pad|>"]


def kiwi_split(texts: Iterable[str], num_workers: int = 1) -> Iterator[str]:
    """Text with a space inserted at every Kiwi morpheme boundary inside a word (for the 'kiwi' variant)."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=num_workers)
    for text, tokens in (
        zip(texts, kiwi.tokenize(texts), strict=True) if isinstance(texts, list) else _lazy(kiwi, texts)
    ):
        cuts = sorted({t.start for t in tokens} | {t.end for t in tokens})
        out, last = [], 0
        for c in cuts:
            if 0 < c < len(text) and not text[c - 1].isspace() and not text[c].isspace():
                out.append(text[last:c])
                out.append(" ")
                last = c
        out.append(text[last:])
        yield "".join(out)


def _lazy(kiwi, texts):
    for text in texts:
        yield text, kiwi.tokenize(text)


def new_bytelevel_tokenizer():
    """An empty byte-level BPE tokenizer with GPT-2's pre-tokenizer and decoder (SmolLM2's layout)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    return tok


def train_bpe(texts: Iterable[str], vocab_size: int, min_frequency: int = 2, tokenizer=None, show_progress=False):
    """Train `tokenizer` (default: a new byte-level BPE) on `texts`; returns it."""
    from tokenizers import pre_tokenizers, trainers

    tok = tokenizer or new_bytelevel_tokenizer()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=SPECIAL_TOKENS if tokenizer is None else [],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=show_progress,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return tok


def save_hf(tokenizer, out: Path, eos: str = "<|endoftext|>", pad: str = "<|pad|>") -> Path:
    """Write a HF tokenizer directory (tokenizer.json + config) that AutoTokenizer loads."""
    from transformers import PreTrainedTokenizerFast

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    hf = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=eos, pad_token=pad, bos_token=eos)
    hf.save_pretrained(str(out))
    return out


def train_korean(inputs: list[str | Path], vocab_size: int, out: Path, limit_chars: int | None = None,
                 pretokenize: str = "bytelevel", min_frequency: int = 2) -> Path:  # fmt: skip
    """`kocorpus tokenizer train`: byte-level BPE on the texts of `inputs` → HF directory `out`."""
    texts = iter_texts(inputs, limit_chars=limit_chars)
    if pretokenize == "kiwi":
        texts = kiwi_split(list(texts))
    elif pretokenize != "bytelevel":
        raise ValueError(f"pretokenize: {pretokenize!r} is not bytelevel or kiwi")
    tok = train_bpe(texts, vocab_size, min_frequency=min_frequency)
    return save_hf(tok, out)
