"""Low-rank factorization: full rank reproduces the model, lower rank shrinks it, save/load round trip."""

import pytest
import torch

TINY = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "max_position_embeddings": 64, "vocab_size": 128, "tie_word_embeddings": True}  # fmt: skip


def test_full_rank_factorized_layers_equal_the_original():
    from trainer.factorize import factorize_embedding, factorize_linear

    torch.manual_seed(0)
    lin = torch.nn.Linear(24, 40, bias=True)
    x = torch.randn(5, 24)
    assert torch.allclose(factorize_linear(lin, 24)(x), lin(x), atol=1e-5)
    emb = torch.nn.Embedding(50, 16)
    ids = torch.tensor([[0, 7, 49]])
    low = factorize_embedding(emb, 16)
    assert torch.allclose(low(ids), emb(ids), atol=1e-5) and torch.allclose(low.weight, emb.weight, atol=1e-5)
    # rank r keeps the best rank-r approximation: error = the discarded singular values
    s = torch.linalg.svdvals(lin.weight.detach())
    err = (factorize_linear(lin, 8).up.weight @ factorize_linear(lin, 8).down.weight - lin.weight).norm()
    assert err.item() == pytest.approx(s[8:].norm().item(), rel=1e-4)


def test_factorized_model_full_rank_same_logits_low_rank_smaller_and_reloads(tmp_path):
    from trainer.factorize import factorize, n_params, save_factorized
    from trainer.model_init import load_base, load_factorized, random_init

    ids = torch.tensor([[1, 5, 9, 33, 2]])
    base = random_init(TINY).eval()
    ref = base(input_ids=ids).logits
    full = factorize(random_init(TINY).eval(), rank=64)  # ≥ every dimension: exact
    assert torch.allclose(full(input_ids=ids).logits, ref, atol=1e-4)
    small = factorize(random_init(TINY), rank=4, targets=("mlp", "embed"))
    assert small.config.tie_word_embeddings is False
    expected = n_params(base) + 128 * 32  # the untied head keeps a full copy
    expected += -128 * 32 + (128 * 4 + 4 * 32)  # embedding → lookup + projection
    expected += 2 * 3 * (-32 * 64 + (32 * 4 + 4 * 64))  # 2 layers × 3 MLP projections
    assert n_params(small) == expected
    save_factorized(small, tmp_path / "f")
    again = load_factorized(tmp_path / "f").eval()
    small.eval()
    assert torch.equal(again(input_ids=ids).logits, small(input_ids=ids).logits)
    assert type(load_base(str(tmp_path / "f")).model.layers[0].mlp.up_proj).__name__ == "LowRankLinear"


@pytest.mark.parametrize("kind", ["embeddings", "new_embeddings"])
def test_embedding_stages_train_a_factorized_embedding(kind):
    """`LowRankEmbedding.weight` is a computed product: the stage must train (and exempt from weight decay) its
    parameters — `embeddings`: lookup and projection; `new_embeddings`: only the new rows of the lookup (the shared
    projection stays frozen, base rows bitwise unchanged)."""
    from trainer.factorize import factorize
    from trainer.model_init import random_init
    from trainer.stages import StageConfig, param_groups, set_trainable

    model = factorize(random_init(TINY), rank=8, targets=("embed",))
    new_ids = [120, 121, 122]
    emb = model.model.embed_tokens
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    handles = set_trainable(model, StageConfig(name="e", steps=1, trainable=[kind]), new_ids)
    groups = param_groups(model, weight_decay=0.1, no_decay_embeddings=True)
    assert emb.lookup.weight in groups[1]["params"] and not groups[0]["params"]  # no decay on embeddings
    opt = torch.optim.AdamW(groups, lr=1e-2)
    for _ in range(3):
        ids = torch.tensor([[1, 120, 7, 121, 122, 3]])
        model(input_ids=ids, labels=ids).loss.backward()
        opt.step()
        opt.zero_grad()
    for h in handles:
        h.remove()
    after = dict(model.named_parameters())
    lookup, proj = "model.embed_tokens.lookup.weight", "model.embed_tokens.proj.weight"
    assert not torch.equal(after[lookup][new_ids], before[lookup][new_ids])
    assert not torch.equal(after["lm_head.weight"][new_ids], before["lm_head.weight"][new_ids])
    if kind == "embeddings":
        assert not torch.equal(after[proj], before[proj])
    else:
        assert torch.equal(after[proj], before[proj])
        assert torch.equal(after[lookup][:120], before[lookup][:120])
        assert torch.equal(after["lm_head.weight"][:120], before["lm_head.weight"][:120])
    frozen = [n for n in before if "embed_tokens" not in n and n != "lm_head.weight"]
    assert frozen and all(torch.equal(after[n], before[n]) for n in frozen)


def test_vocabulary_extension_of_a_factorized_base_is_refused(tmp_path):
    from trainer.factorize import factorize
    from trainer.model_init import extend_embeddings, random_init

    model = factorize(random_init(TINY), rank=8, targets=("embed",))
    (tmp_path / "n.json").write_text('{"tokens": [], "vocab_size": 130, "base_vocab_size": 128}')
    with pytest.raises(ValueError, match="extend the vocabulary first"):
        extend_embeddings(model, tmp_path / "n.json")
