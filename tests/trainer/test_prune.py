"""Structured pruning: the size target is met, GQA stays valid, importance decides, keep-all is the identity."""

import pytest
import torch

TINY = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 8,
        "num_key_value_heads": 2, "max_position_embeddings": 64, "vocab_size": 200}  # fmt: skip


def batches():
    g = torch.Generator().manual_seed(0)
    return [torch.randint(0, 200, (4, 32), generator=g) for _ in range(2)]


def test_prune_meets_the_target_and_the_model_loads_and_runs(tmp_path):
    from transformers import AutoModelForCausalLM

    from trainer.model_init import random_init
    from trainer.prune import prune

    model = random_init(TINY)
    start = sum(p.numel() for p in model.parameters())
    small = prune(model, batches(), target_params=int(start * 0.6), steps=2)
    n = sum(p.numel() for p in small.parameters())
    assert int(start * 0.5) < n <= int(start * 0.6)
    c = small.config
    assert c.num_attention_heads % c.num_key_value_heads == 0 and c.num_key_value_heads == 2
    assert c.hidden_size < 64 and c.intermediate_size < 128 and c.head_dim == 8
    small.save_pretrained(tmp_path / "p")
    again = AutoModelForCausalLM.from_pretrained(tmp_path / "p")
    out = again(input_ids=torch.tensor([[1, 2, 3, 4]])).logits
    assert out.shape == (1, 4, 200) and torch.isfinite(out).all()


def test_keep_all_is_the_identity_and_dead_channels_go_first():
    from trainer.model_init import random_init
    from trainer.prune import apply, importance, plan, prune

    model = random_init(TINY).eval()
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    start = sum(p.numel() for p in model.parameters())
    same = prune(model, batches(), target_params=start).eval()
    assert torch.allclose(same(input_ids=ids).logits, model(input_ids=ids).logits, atol=1e-5)
    with torch.no_grad():  # MLP channel 3 of layer 0 produces nothing: least important
        model.model.layers[0].mlp.up_proj.weight[3] = 0
    imp = importance(model, batches())
    assert imp["mlp"][0][3] == 0 and imp["mlp"][0].argmin() == 3
    sizes = plan(model.config, 0.5, ("mlp",))
    small = apply(model, imp, sizes)
    kept = small.model.layers[0].mlp.up_proj.weight
    assert kept.shape == (64, 64) and not (kept == 0).all(dim=1).any()  # the dead row was dropped
    with pytest.raises(ValueError, match="axes"):
        prune(model, batches(), start, axes=("layers",))
