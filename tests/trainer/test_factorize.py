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
    from trainer.factorize import factorize, load_factorized, n_params, save_factorized
    from trainer.model_init import load_base, random_init

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
