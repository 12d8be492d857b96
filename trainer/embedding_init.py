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
"""

import json
from pathlib import Path

METHODS = ("mean", "first", "hewitt", "logprob", "hewitt_untied")
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


def extend_embeddings(model, new_tokens_json: Path, mode: str = "mean") -> list[int]:
    """Resize `model` to the extended vocabulary of new_tokens.json and initialise the new rows (`mode`: one of
    METHODS); returns the new token ids."""
    if mode not in METHODS:
        raise ValueError(f"embedding init {mode!r}: use one of {', '.join(METHODS)}")
    meta = json.loads(Path(new_tokens_json).read_text())
    vocab = int(meta["vocab_size"])
    base_rows = model.get_input_embeddings().weight.shape[0]
    if base_rows < meta["base_vocab_size"]:
        raise ValueError(f"model has {base_rows} embedding rows, the base tokenizer {meta['base_vocab_size']}")
    model.resize_token_embeddings(max(vocab, base_rows), mean_resizing=False)
    prefix = model.config.bos_token_id if model.config.bos_token_id is not None else 0
    init_new_rows(model, meta["tokens"], mode, prefix)
    return [t["id"] for t in meta["tokens"]]
