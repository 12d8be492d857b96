"""The initialisations of new rows besides `mean` (trainer/embedding_init.py): Hewitt averaging, the log-prob
corrected first sub-token output rows (untied head, reloadable), and the `new_rows: batch` stage-1 gate."""

import json
import math

import pytest
import torch
from test_data_and_init import tokenizers  # noqa: F401  (a pytest fixture)

from kocorpus.tokens.base import load
from trainer.embedding_init import METHODS, bias_direction, spelling_logprobs
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
def test_every_method_is_selectable(setup, method):
    vocab, _, path = setup
    model = tiny(vocab, tie=False)
    new_ids = extend_embeddings(model, path, mode=method)
    assert model.get_input_embeddings().weight.shape[0] == max(new_ids) + 1


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
