"""Held-out evaluation as loss and bits per character — comparable across tokenizers (the forgetting measure).

Token-level loss is not comparable between a base model and its vocabulary-extended version (the extended
tokenizer makes fewer, harder tokens). Bits per character is: the summed negative log-likelihood of a text (in
bits) divided by its number of characters. Each text (cut to `max_chars` characters) is tokenized with the
model's own tokenizer, prefixed by its BOS (or EOS) token so that every text token is predicted, and cut into
windows of `seq_len` tokens that overlap by one token: every token after the prefix is predicted exactly once.
Bits per UTF-8 byte is reported too. Reads text, not token shards: characters are needed.
"""

import math
from dataclasses import dataclass
from pathlib import Path


@dataclass
class EvalSet:
    """Windows of token ids of one held-out text set, with its character and byte counts."""

    name: str
    windows: list[list[int]]
    n_docs: int
    n_chars: int
    n_bytes: int


def load_texts(path: str | Path, max_docs: int | None = None, max_chars: int | None = None) -> list[str]:
    """Up to `max_docs` texts (each cut to `max_chars` characters) of a JSONL/Parquet/text file or directory."""
    from kocorpus.tokens.train import iter_texts

    texts = []
    for text in iter_texts([path]):
        texts.append(text[:max_chars] if max_chars else text)
        if max_docs and len(texts) >= max_docs:
            break
    if not texts:
        raise ValueError(f"{path}: no texts to evaluate on")
    return texts


def encode_set(name: str, texts: list[str], tokenizer, seq_len: int) -> EvalSet:
    """Tokenize `texts` (BOS/EOS prefix, no other special tokens) into windows of at most `seq_len` tokens."""
    prefix = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
    windows = []
    for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        ids = ([prefix] if prefix is not None else []) + list(ids)
        for start in range(0, max(1, len(ids) - 1), seq_len - 1):
            windows.append(ids[start : start + seq_len])
    return EvalSet(name, windows, len(texts), sum(map(len, texts)), sum(len(t.encode("utf-8")) for t in texts))


def nll_sums(model, windows: list[list[int]], batch_size: int, device, pad_id: int = 0) -> tuple[float, int]:
    """(summed negative log-likelihood in nats, number of predicted tokens) of `windows` under `model`."""
    import torch
    import torch.nn.functional as F

    total, count = 0.0, 0
    with torch.no_grad():
        for b in range(0, len(windows), batch_size):
            chunk = windows[b : b + batch_size]
            width = max(len(w) for w in chunk)
            ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for i, w in enumerate(chunk):
                ids[i, : len(w)] = torch.as_tensor(w)
                mask[i, : len(w)] = 1
            ids, mask = ids.to(device), mask.to(device)
            logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
            target = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
            total += F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100, reduction="sum").item()
            count += int((target != -100).sum())
    return total, count


def metrics(nll: float, tokens: int, n_chars: int, n_bytes: int) -> dict:
    """loss (nats/token), bits per character and per byte, from summed NLL in nats."""
    return {
        "loss": nll / max(1, tokens),
        "bits_per_char": nll / math.log(2) / max(1, n_chars),
        "bits_per_byte": nll / math.log(2) / max(1, n_bytes),
        "tokens": tokens,
        "chars_per_token": n_chars / max(1, tokens),
    }


def evaluate(model, sets: list[EvalSet], batch_size: int = 4, accelerator=None) -> dict[str, dict]:
    """{set name: metrics}. With an accelerator the windows are split over the ranks (every rank runs the same
    number of batches, padded with empty windows) and the sums are reduced."""
    import torch

    was_training = model.training
    model.eval()
    rank, world = (accelerator.process_index, accelerator.num_processes) if accelerator else (0, 1)
    device = accelerator.device if accelerator else next(model.parameters()).device
    results = {}
    for s in sets:
        per_rank = math.ceil(len(s.windows) / world)
        mine = s.windows[rank::world]
        mine = mine + [[0]] * (per_rank - len(mine))  # a 1-token window predicts nothing
        nll, count = nll_sums(model, mine, batch_size, device)
        if accelerator and world > 1:
            t = accelerator.reduce(torch.tensor([nll, float(count)], dtype=torch.float64, device=device), "sum")
            nll, count = float(t[0]), int(t[1])
        results[s.name] = metrics(nll, count, s.n_chars, s.n_bytes)
    model.train(was_training)
    return results


def table(rows: dict[str, dict[str, dict]], key: str = "bits_per_char") -> str:
    """A plain-text table: one row per model, one column per eval set, values `key`."""
    names = sorted({s for r in rows.values() for s in r})
    width = max(len(m) for m in rows) + 2
    lines = [f"{'model':<{width}}" + "".join(f"{n + ' ' + key:>24}" for n in names)]
    for model, r in rows.items():
        lines.append(f"{model:<{width}}" + "".join(f"{r[n][key]:>24.4f}" if n in r else f"{'-':>24}" for n in names))
    return "\n".join(lines)
