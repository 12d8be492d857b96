"""Initialising the rows of new tokens after a vocabulary extension (input embeddings and output head).

Each new token t of new_tokens.json lists its base sub-tokens s1..sk (its bytes under the base tokenizer). Methods
(`model.embedding_init`):

- `mean` — input and output rows = mean of the sub-tokens' rows (RedWhale, EEVE). With a tied head the new
  token's logit is the mean of its sub-tokens' logits: thousands of Korean tokens share byte sub-tokens and get
  similar, too-high logits, so the extended model starts ~1 bit/char worse on Korean than its base.
- `first` — the first sub-token's rows.
- `hewitt` — Hewitt (2021): every new row = the mean of all base rows: a new token's logit is the average
  logit, so the base model's distribution is barely disturbed (its KL to the base is bounded), but new tokens
  start improbable.
- `logprob` — unties the head. Input row = mean of the sub-token input rows; output row = the first sub-token's
  output row plus a log-probability correction: logit(t) ≈ logit(s1) + log P_base(s2..sk | s1), so the extended
  model's first prediction of t is the base model's probability of spelling t out (the correction is computed by
  the base model on each token's own sub-tokens with a two-token context, and added along a direction u with
  h·u ≈ 1 on the final hidden states h of running text (ridge least squares), since a Llama head has no bias).
  Measured (benchmarks/adaptation.py --init-only): far worse than `mean` (Korean 23.1 vs 7.5 bits/char at step
  0, base 6.4): the extended model's hidden states on mean-initialised new-token inputs do not satisfy h·u ≈ 1.
- `hewitt_untied` — unties the head; input row = mean of the sub-token input rows, output row as `hewitt`.
- `mean_unigram` (default) — `mean`, then each new token's output row is shifted by its log-frequency correction
  b_t = log f_t − log p̄_t along a direction u with h·u ≈ 1: f_t = the token's frequency in the training shards,
  p̄_t = the extended model's average predicted probability of t over the final hidden states h of the first
  `FIT_ROWS` shard rows, u = the ridge fit of h·u ≈ 1 on those same states (the extended model's own, on the
  extended tokenization — on SmolLM2 h·u has a small standard deviation there, unlike on `logprob`'s base-model
  states). Three rounds of iterative proportional fitting on the same states: the extended model's average
  prediction of each new token approaches its corpus frequency, so the ~7.4k new Korean tokens stop sharing one
  near-uniform level. Given the extended tokenizer, the base tokens that spell Hangul or are bare UTF-8 byte
  pieces are refit the same way. With a tied head the input rows move by the same b_t·u. Needs the shards
  (`extend_embeddings(…, shards=)`); costs one forward pass over FIT_ROWS rows.
"""

import json
import re
from pathlib import Path

METHODS = ("mean_unigram", "mean", "first", "hewitt", "logprob", "hewitt_untied")
FIT_ROWS = 8
"""Shard rows whose final hidden states fit u and p̄ (`mean_unigram`)."""
COUNT_ROWS = 20_000
"""At most this many shard rows are counted for the token frequencies f (`mean_unigram`)."""
UNTIED = ("logprob", "hewitt_untied")


def untie(model) -> None:
    """Give the output head its own copy of the (tied) input embeddings; saved and reloaded as untied."""
    import torch

    head = model.get_output_embeddings()
    model.config.tie_word_embeddings = False
    if getattr(model.config, "get_text_config", None):
        model.config.get_text_config().tie_word_embeddings = False
    model.all_tied_weights_keys = {}
    head.weight = torch.nn.Parameter(model.get_input_embeddings().weight.detach().clone())


def is_tied(model) -> bool:
    out = model.get_output_embeddings()
    return out is not None and out.weight.data_ptr() == model.get_input_embeddings().weight.data_ptr()


def spelling_logprobs(
    model, seqs: list[list[int]], prefix: int, n_base: int | None = None, context: int = 2, batch_size: int = 128
):
    """For each sub-token sequence s1..sk: (the sum over i ≥ 2 of log P(s_i | prefix, s_{i-context}..s_{i-1}) in
    nats — the base model's log-probability of spelling the rest of the token out after s1, with a short context
    so that the few distinct contexts are scored once — and the mean final hidden state of those positions).
    `n_base`: normalise over the first n_base (base) rows of the head only."""
    import torch

    need: dict[tuple, set[int]] = {}
    for s in seqs:
        for i in range(1, len(s)):
            need.setdefault(tuple(s[max(0, i - context) : i]), set()).add(s[i])
    ctxs = sorted(need, key=len)
    table: dict[tuple, dict[int, float]] = {}
    h_sum, h_n = None, 0
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for b in range(0, len(ctxs), batch_size):
            chunk = ctxs[b : b + batch_size]
            width = 1 + max(len(c) for c in chunk)
            ids = torch.full((len(chunk), width), prefix, dtype=torch.long)
            mask = torch.zeros_like(ids)
            for r, c in enumerate(chunk):
                ids[r, 1 : 1 + len(c)] = torch.as_tensor(c)
                mask[r, : 1 + len(c)] = 1
            out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            last = torch.as_tensor([len(c) for c in chunk])
            rows = torch.arange(len(chunk))
            logp = torch.log_softmax(out.logits[rows, last, :n_base].float(), -1)
            h = out.hidden_states[-1][rows, last]
            h_sum = h.sum(0) if h_sum is None else h_sum + h.sum(0)
            h_n += len(chunk)
            for r, c in enumerate(chunk):
                table[c] = {t: float(logp[r, t]) for t in need[c]}
    model.train(was_training)
    scores = [sum(table[tuple(s[max(0, i - context) : i])][s[i]] for i in range(1, len(s))) for s in seqs]
    return torch.tensor(scores), h_sum / max(1, h_n)


def bias_direction(model, seqs: list[list[int]], rows: int = 8, length: int = 128, skip: int = 8):
    """A direction u with h·u ≈ 1 for the base model's final hidden states h in running text (ridge least
    squares), so that adding c·u to an output row adds ≈ c to its logit. The text: the sub-token sequences of
    the new tokens one after another (Korean words), `rows` rows of `length` tokens; the first `skip` positions
    of a row (attention-sink states) are left out."""
    import torch

    flat = [i for s in seqs for i in s][: rows * length]
    n = len(flat) // length
    if n == 0:
        flat, n, length = flat, 1, len(flat)
    ids = torch.as_tensor(flat[: n * length]).view(n, length)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        h = model(input_ids=ids, output_hidden_states=True).hidden_states[-1][:, min(skip, length - 1) :]
    model.train(was_training)
    h = h.reshape(-1, h.shape[-1]).double()
    gram = h.T @ h
    gram += 1e-3 * gram.trace() / gram.shape[0] * torch.eye(gram.shape[0], dtype=gram.dtype)
    return torch.linalg.solve(gram, h.T @ torch.ones(h.shape[0], dtype=h.dtype)).float()


HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\ufffd]")
"""Hangul syllables and jamo, and U+FFFD: what a lone UTF-8 byte piece decodes to."""


def korean_piece_ids(tokenizer, n_base: int) -> list[int]:
    """Base token ids that spell Hangul or are bare UTF-8 byte pieces (how a byte-level base writes Korean). Not
    other non-ASCII tokens: ’ — “ … are common in English."""
    texts = tokenizer.batch_decode([[i] for i in range(n_base)])
    return [i for i, t in enumerate(texts) if HANGUL.search(t)]


def unigram_correction(model, fit_ids: list[int], rows: list, counts, skip: int = 8, smoothing: float = 0.5,
                       rounds: int = 3) -> dict:  # fmt: skip
    """Shift the output rows of `fit_ids` by b_t·u so that the model's mean predicted probability of each of those
    tokens over the final hidden states of `rows` (token-id arrays; their first `skip` positions, attention-sink
    states, left out) equals its frequency in `counts` (token counts over the training text, + `smoothing`);
    `rounds` of proportional fitting on the same states. Returns {"hu_std": std of h·u, "mean_abs_b": mean |b_t|
    of the first round in nats}."""
    import torch

    width = min(len(r) for r in rows)
    ids = torch.as_tensor([list(r[:width]) for r in rows], dtype=torch.long)
    was_training = model.training
    model.eval()
    head = model.get_output_embeddings().weight
    with torch.no_grad():
        h = model(input_ids=ids, output_hidden_states=True, use_cache=False).hidden_states[-1]
        h = h[:, min(skip, width - 1) :].reshape(-1, h.shape[-1]).double()
        gram = h.T @ h
        gram += 1e-3 * gram.trace() / gram.shape[0] * torch.eye(gram.shape[0], dtype=gram.dtype)
        u = torch.linalg.solve(gram, h.T @ torch.ones(h.shape[0], dtype=h.dtype))
        fit = torch.as_tensor(fit_ids, dtype=torch.long)
        counts = torch.as_tensor(counts, dtype=torch.float64)
        freq = (counts[fit] + smoothing) / (counts.sum() + smoothing * len(counts))
        first = None
        for _ in range(rounds):
            mean_p = torch.zeros(len(fit_ids), dtype=torch.float64)
            for b in range(0, h.shape[0], 512):  # 512 positions × vocab logits at a time
                logits = h[b : b + 512].to(head.dtype) @ head.T
                mean_p += torch.softmax(logits.float(), -1)[:, fit].double().sum(0)
            mean_p /= h.shape[0]
            shift = (freq.log() - mean_p.clamp_min(1e-30).log()).clamp(-12.0, 12.0)
            head[fit] += (shift[:, None] * u[None]).to(head.dtype)
            first = shift if first is None else first
    model.train(was_training)
    return {"hu_std": float((h @ u).std()), "mean_abs_b": float(first.abs().mean())}


def init_new_rows(model, tokens: list[dict], method: str, prefix: int = 0) -> None:
    """Set the rows of `tokens` (entries of new_tokens.json, the model already resized) by `method`."""
    import torch

    if method not in METHODS:
        raise ValueError(f"embedding init {method!r}: use one of {', '.join(METHODS)}")
    n_base = min(t["id"] for t in tokens) if tokens else 0
    if method in UNTIED and is_tied(model):
        untie(model)
    inp = model.get_input_embeddings().weight
    head = model.get_output_embeddings()
    out = head.weight if head is not None and not is_tied(model) else None
    ids = torch.as_tensor([t["id"] for t in tokens], dtype=torch.long)
    scores = hidden_mean = None
    if method == "mean_unigram":
        method = "mean"  # + unigram_correction once the shards are known (extend_embeddings)
    if method == "logprob":
        scores, hidden_mean = spelling_logprobs(model, [t["base_ids"] for t in tokens], prefix, n_base)
    with torch.no_grad():
        if method == "hewitt":
            inp[ids] = inp[:n_base].mean(0)
            if out is not None:
                out[ids] = out[:n_base].mean(0)
            return
        for t in tokens:
            sub = torch.as_tensor(t["base_ids"] if method != "first" else t["base_ids"][:1])
            inp[t["id"]] = inp[sub].mean(0)
            if out is not None and method in ("mean", "first"):
                out[t["id"]] = out[sub].mean(0)
        if method == "hewitt_untied":
            out[ids] = out[:n_base].mean(0)
        elif method == "logprob":
            u = bias_direction(model, [t["base_ids"] for t in tokens])  # h·u ≈ 1 in running text
            first = torch.as_tensor([t["base_ids"][0] for t in tokens])
            out[ids] = out[first] + scores[:, None].to(out.dtype) * u[None].to(out.dtype)


def extend_embeddings(model, new_tokens_json: Path, mode: str = "mean", shards: str | Path | None = None,
                      tokenizer=None) -> list[int]:  # fmt: skip
    """Resize `model` to the extended vocabulary of new_tokens.json and initialise the new rows (`mode`: one of
    METHODS; `mean_unigram` reads the token shards `shards`, made with the extended tokenizer, and — given the
    extended `tokenizer` (a path or a loaded one) — refits the base's Korean byte pieces too); returns the new token
    ids."""
    if mode not in METHODS:
        raise ValueError(f"embedding init {mode!r}: use one of {', '.join(METHODS)}")
    if mode == "mean_unigram" and shards is None:
        raise ValueError("embedding init mean_unigram: needs the training shards (token frequencies)")
    meta = json.loads(Path(new_tokens_json).read_text())
    vocab = int(meta["vocab_size"])
    base_rows = model.get_input_embeddings().weight.shape[0]
    if base_rows < meta["base_vocab_size"]:
        raise ValueError(f"model has {base_rows} embedding rows, the base tokenizer {meta['base_vocab_size']}")
    model.resize_token_embeddings(max(vocab, base_rows), mean_resizing=False)
    prefix = model.config.bos_token_id if model.config.bos_token_id is not None else 0
    init_new_rows(model, meta["tokens"], mode, prefix)
    new_ids = [t["id"] for t in meta["tokens"]]
    if mode == "mean_unigram" and new_ids:
        from trainer.data import read_manifest, shard_rows, token_counts

        manifest = read_manifest(shards)
        fit = list(new_ids)
        if tokenizer is not None:  # the byte pieces the base spelled Korean with: now mostly inside new tokens
            from kocorpus.tokens.base import load_hf

            tok = load_hf(tokenizer) if isinstance(tokenizer, str | Path) else tokenizer
            fit = korean_piece_ids(tok, int(meta["base_vocab_size"])) + fit
        unigram_correction(model, fit, shard_rows(manifest, FIT_ROWS),
                           token_counts(manifest, model.get_input_embeddings().weight.shape[0], COUNT_ROWS))  # fmt: skip
    return new_ids
