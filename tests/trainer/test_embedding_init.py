"""The initialisations of new rows besides `mean` (trainer/embedding_init.py): Hewitt averaging, the log-prob
corrected first sub-token output rows (untied head, reloadable), and the `new_rows: batch` stage-1 gate."""

import json
import math

import pytest
import torch
from test_data_and_init import shards, tokenizers  # noqa: F401  (pytest fixtures)

from kocorpus.tokens.base import load
from trainer.data import read_manifest, shard_rows, token_counts
from trainer.embedding_init import FIT_ROWS, METHODS, bias_direction, spelling_logprobs
from trainer.model_init import extend_embeddings, random_init


def tiny(vocab: int, tie: bool = True):
    return random_init({"vocab_size": vocab, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                        "num_attention_heads": 4, "num_key_value_heads": 2, "tie_word_embeddings": tie})  # fmt: skip


@pytest.fixture(scope="module")
def setup(tokenizers):  # noqa: F811
    vocab = len(load(tokenizers["base"]).get_vocab())
    meta = json.loads((tokenizers["ext"] / "new_tokens.json").read_text())
    return vocab, meta, tokenizers["ext"] / "new_tokens.json"


def test_hewitt_rows_are_the_mean_of_all_base_rows(setup):
    vocab, meta, path = setup
    model = tiny(vocab)
    before = model.get_input_embeddings().weight.detach().clone()
    new_ids = extend_embeddings(model, path, mode="hewitt")
    emb = model.get_input_embeddings().weight
    assert torch.allclose(emb[new_ids], before.mean(0).expand(len(new_ids), -1), atol=1e-6)
    assert torch.equal(emb[:vocab], before)
    assert model.get_output_embeddings().weight.data_ptr() == emb.data_ptr()  # still tied

    model = tiny(vocab)
    extend_embeddings(model, path, mode="hewitt_untied")
    emb, head = model.get_input_embeddings().weight, model.get_output_embeddings().weight
    assert head.data_ptr() != emb.data_ptr()
    t = meta["tokens"][0]
    assert torch.allclose(emb[t["id"]], before[t["base_ids"]].mean(0))
    assert torch.allclose(head[t["id"]], before.mean(0), atol=1e-6)


def test_logprob_output_rows_spell_out_the_base_prediction(setup, tmp_path):
    vocab, meta, path = setup
    model = tiny(vocab)
    base = tiny(vocab)  # the same weights (same seed)
    before = model.get_input_embeddings().weight.detach().clone()
    new_ids = extend_embeddings(model, path, mode="logprob")
    emb, head = model.get_input_embeddings().weight, model.get_output_embeddings().weight
    assert head.data_ptr() != emb.data_ptr() and model.config.tie_word_embeddings is False
    assert torch.equal(head[:vocab], before) and torch.equal(emb[:vocab], before)
    prefix = model.config.bos_token_id
    seqs = [t["base_ids"] for t in meta["tokens"]]
    all_scores, _ = spelling_logprobs(base, seqs, prefix)
    u = bias_direction(base, seqs)
    picked = [i for i, t in enumerate(meta["tokens"]) if len(t["base_ids"]) == 3][:5]
    long, scores = [meta["tokens"][i] for i in picked], all_scores[picked]
    for t, score in zip(long, scores, strict=True):
        # the score, computed independently: log P(s2 | s1) + log P(s3 | s1 s2) after the prefix
        s = t["base_ids"]
        logp = torch.log_softmax(base(input_ids=torch.tensor([[prefix, *s]])).logits[0].double(), -1)
        assert score.item() == pytest.approx(logp[1, s[1]].item() + logp[2, s[2]].item(), abs=1e-4)
        assert score < 0
        assert torch.allclose(head[t["id"]], before[s[0]] + score * u, atol=1e-5)
        assert torch.allclose(emb[t["id"]], before[s].mean(0), atol=1e-6)
    # where h·u = 1 the new token's logit is its first sub-token's plus the spelling log-probability
    h = u / u.dot(u)
    t, score = long[0], scores[0]
    assert (h @ head[t["id"]]).item() == pytest.approx((h @ before[t["base_ids"][0]]).item() + score.item(), abs=1e-3)
    # saved untied, reloaded untied with the same rows
    from transformers import AutoModelForCausalLM

    model.save_pretrained(str(tmp_path / "m"))
    again = AutoModelForCausalLM.from_pretrained(str(tmp_path / "m"))
    assert torch.equal(again.get_output_embeddings().weight, head)
    assert again.get_output_embeddings().weight.data_ptr() != again.get_input_embeddings().weight.data_ptr()
    assert len(new_ids) == len(meta["tokens"]) and not math.isnan(float(head.sum()))


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_selectable(setup, shards, method):  # noqa: F811
    vocab, _, path = setup
    model = tiny(vocab, tie=False)
    new_ids = extend_embeddings(model, path, mode=method, shards=shards)
    assert model.get_input_embeddings().weight.shape[0] == max(new_ids) + 1


def mean_new_probs(model, rows, new_ids, skip: int = 8) -> torch.Tensor:
    """The model's average predicted probability of each new token over the positions of `rows` after `skip`."""
    ids = torch.as_tensor([list(r[: min(map(len, rows))]) for r in rows])
    with torch.no_grad():
        probs = torch.softmax(model(input_ids=ids).logits[:, skip:].double(), -1)
    return probs.reshape(-1, probs.shape[-1])[:, new_ids].mean(0)


def test_mean_unigram_moves_each_new_tokens_mean_prediction_to_its_frequency(setup, shards):  # noqa: F811
    """Untied: the output rows alone move, the hidden states stay (on SmolLM2, tied: the next test)."""
    vocab, meta, path = setup
    tie = False
    manifest = read_manifest(shards)
    rows = shard_rows(manifest, FIT_ROWS)
    mean, corrected = tiny(vocab, tie), tiny(vocab, tie)
    new_ids = extend_embeddings(mean, path, mode="mean")
    assert extend_embeddings(corrected, path, mode="mean_unigram", shards=shards) == new_ids
    counts = token_counts(manifest, len(meta["tokens"]) + vocab)
    freq = torch.as_tensor((counts[new_ids] + 0.5) / (counts.sum() + 0.5 * len(counts)))
    err_mean = (mean_new_probs(mean, rows, new_ids).log() - freq.log()).abs().mean()
    err_corr = (mean_new_probs(corrected, rows, new_ids).log() - freq.log()).abs().mean()
    assert err_corr < 0.5 * err_mean  # one proportional-fitting step closes most of the gap
    # frequent new tokens now rank above rare ones in the model's average prediction; base rows are untouched
    p = mean_new_probs(corrected, rows, new_ids)
    top, rare = counts[new_ids].argsort()[-20:], counts[new_ids].argsort()[:20]
    assert p[top].mean() > 10 * p[rare].mean()
    for a, b in ((mean.get_input_embeddings(), corrected.get_input_embeddings()),
                 (mean.get_output_embeddings(), corrected.get_output_embeddings())):  # fmt: skip
        assert torch.equal(a.weight[:vocab], b.weight[:vocab])
    with pytest.raises(ValueError, match="shards"):
        extend_embeddings(tiny(vocab, tie), path, mode="mean_unigram")


def test_token_counts_count_every_shard_token_once(shards):  # noqa: F811
    import pyarrow.parquet as pq

    manifest = read_manifest(shards)
    counts = token_counts(manifest, int(manifest["vocab_size"]))
    assert counts.sum() == manifest["tokens"]
    first = pq.read_table(shards / manifest["shards"][0]["path"]).slice(0, 3).to_pylist()
    assert [list(r) for r in shard_rows(manifest, 3)] == [r["input_ids"][: r["n_tokens"]] for r in first]


def test_batch_gate_updates_only_new_rows_in_the_batch(setup):
    from trainer.stages import StageConfig, set_trainable

    vocab, _, path = setup
    model = tiny(vocab, tie=False)
    new_ids = extend_embeddings(model, path, mode="mean")
    ids = torch.tensor([[1, 2, new_ids[0], new_ids[3], 5, new_ids[3]]])
    for rows, expect in (("batch", {new_ids[0], new_ids[3]}), ("all", set(new_ids))):
        model.zero_grad()
        stage = StageConfig(name="s", steps=1, trainable=["new_embeddings"], new_rows=rows)
        handles = set_trainable(model, stage, new_ids)
        model(input_ids=ids, labels=ids).loss.backward()
        for w in (model.get_input_embeddings().weight, model.get_output_embeddings().weight):
            touched = set(torch.nonzero(w.grad.abs().sum(1)).flatten().tolist())
            assert touched <= expect and (rows == "all" or touched & expect)
        if rows == "all":  # the softmax pushes every new output row
            assert (
                len(set(torch.nonzero(model.get_output_embeddings().weight.grad.abs().sum(1)).flatten().tolist())) > 2
            )
        for h in handles:
            h.remove()


def test_mean_unigram_recovers_most_of_the_korean_bits_lost_at_extension_on_smollm2(sample_run, tmp_path):
    """The real model (tied head): SmolLM2-135M + the Korean tokens of a 3,000-token tokenizer of the sample. `mean` starts well above the
    base on Korean bits/char; `mean_unigram` closes most of that gap; English stays where it was."""
    import copy

    from conftest import DATA

    from kocorpus.cli import main
    from kocorpus.tokens.base import load_hf
    from trainer.eval.ppl import encode_set, evaluate, load_texts
    from trainer.model_init import load_base

    kept = str(sample_run / "kept")
    assert main(["tokenizer", "train", "--input", kept, "--vocab-size", "3000", "-o", str(tmp_path / "ko")]) == 0
    assert (
        main(["tokenizer", "extend", "--base", "smollm2", "--add", str(tmp_path / "ko"), "-o", str(tmp_path / "ext")])
        == 0
    )
    assert main(["tokenize", "--input", kept, "--tokenizer", str(tmp_path / "ext"), "--seq-len", "256",
                 "--output", str(tmp_path / "shards")]) == 0  # fmt: skip
    texts = {n: load_texts(DATA / f"{n}_small.jsonl", 8, 300) for n in ("ko", "en")}

    def bits(model, tok) -> dict[str, float]:
        sets = [encode_set(n, t, tok, 256) for n, t in texts.items()]
        return {n: r["bits_per_char"] for n, r in evaluate(model, sets).items()}

    base = load_base("smollm2")
    before = bits(base, load_hf("smollm2"))
    ext_tok, result = load_hf(tmp_path / "ext"), {}
    for method in ("mean", "mean_unigram"):
        model = copy.deepcopy(base)
        extend_embeddings(model, tmp_path / "ext" / "new_tokens.json", method, shards=tmp_path / "shards")
        result[method] = bits(model, ext_tok)
    gap_mean, gap_unigram = (result[m]["ko"] - before["ko"] for m in ("mean", "mean_unigram"))
    assert gap_mean > 0.2  # the extension costs Korean bits/char at initialisation ...
    assert gap_unigram < 0.5 * gap_mean  # ... and the frequency correction takes most of it back
    for method in result:
        assert result[method]["en"] == pytest.approx(before["en"], rel=0.01)
