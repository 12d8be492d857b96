"""Depth up-scaling: layer count, parameter count, copied weights, save/load, generation."""

import pytest
import torch

TINY = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 4, "num_attention_heads": 4,
        "num_key_value_heads": 2, "max_position_embeddings": 64, "vocab_size": 128}  # fmt: skip


def test_solar_upscale_copies_the_right_layers(tmp_path):
    from transformers import AutoModelForCausalLM

    from trainer.model_init import random_init
    from trainer.upscale import n_params, solar_ranges, upscale

    base = random_init(TINY)
    base_sd = {k: v.clone() for k, v in base.state_dict().items()}
    per_layer = sum(p.numel() for p in base.model.layers[0].parameters())
    ranges = solar_ranges(4, 1)  # [0, 3) + [1, 4) → 6 layers: 0 1 2 1 2 3
    assert ranges == [(0, 3), (1, 4)]
    model = upscale(base, ranges)
    assert model.config.num_hidden_layers == 6 and model.config.upscaled_from == [0, 1, 2, 1, 2, 3]
    assert n_params(model) == sum(v.numel() for v in base_sd.values()) + 2 * per_layer
    sd = model.state_dict()
    for new_idx, src in enumerate([0, 1, 2, 1, 2, 3]):
        for name, value in base_sd.items():
            prefix = f"model.layers.{src}."
            if name.startswith(prefix):
                assert torch.equal(sd[f"model.layers.{new_idx}." + name[len(prefix) :]], value)
    assert torch.equal(sd["model.embed_tokens.weight"], base_sd["model.embed_tokens.weight"])
    # copies are independent parameters, attention indices renumbered for the KV cache
    assert model.model.layers[1].mlp.up_proj.weight is not model.model.layers[3].mlp.up_proj.weight
    assert [layer.self_attn.layer_idx for layer in model.model.layers] == list(range(6))
    model.save_pretrained(tmp_path / "up")
    again = AutoModelForCausalLM.from_pretrained(tmp_path / "up")
    assert again.config.num_hidden_layers == 6
    ids = torch.tensor([[1, 2, 3]])
    assert again.generate(ids, max_new_tokens=4, do_sample=False).shape == (1, 7)


def test_upscale_rejects_bad_ranges():
    from trainer.model_init import random_init
    from trainer.upscale import solar_ranges, upscale

    with pytest.raises(ValueError, match="outside"):
        upscale(random_init(TINY), [(0, 5)])
    with pytest.raises(ValueError, match="drop"):
        solar_ranges(4, 4)


def test_upscale_from_the_trainer_config(tmp_path):
    import yaml

    from trainer.run import build_model
    from trainer.stages import load_config

    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml.safe_dump({"model": {"random_init": TINY, "upscale": [[0, 3], [1, 4]]}, "tokenizer": "t",
                                   "shards": "s", "stages": [{"name": "all", "steps": 1}]}))  # fmt: skip
    model, _ = build_model(load_config(str(cfg)))
    assert model.config.num_hidden_layers == 6
