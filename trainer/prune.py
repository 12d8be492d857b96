"""Structured pruning (Minitron / Kanana style) of a Llama-type model from activation importance.

Importance from a forward pass over calibration rows (token shards of `kocorpus tokenize`): MLP channel j = mean
|input of down_proj at j|; query head h = mean L2 norm of its slice of the o_proj input; hidden channel c = mean
|output of every RMSNorm at c| (summed over layers). Pruning keeps, per layer, the most important MLP channels;
per KV group, the same number of most important query heads (grouped-query attention stays valid, K/V heads are
kept); globally, the most important hidden channels (embeddings, every projection, norms and head are sliced). One
keep-ratio for the chosen axes is found by bisection so that the model has at most `target_params` parameters;
`--steps K` prunes in K rounds, recomputing importance each time. Prune, then distill (trainer `distill` stages).

  python -m trainer.prune --model DIR --calib SHARDS --target-params 60000000 --output DIR [--axes mlp,heads,hidden]
"""

import argparse
import copy
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AXES = ("mlp", "heads", "hidden")


def calibration_batches(shards: str | Path, rows: int = 32, seq_len: int = 256, batch_size: int = 4) -> list:
    """Input-id tensors of the first `rows` shard rows, cut to `seq_len` tokens."""
    import torch

    from trainer.data import ShardStream, read_manifest

    manifest = read_manifest(shards)
    stream = ShardStream(manifest, {manifest["labels"][0]: 1.0})
    ids = [torch.as_tensor(stream.next_row()[0][:seq_len].astype("int64")) for _ in range(rows)]
    return [torch.stack(ids[i : i + batch_size]) for i in range(0, rows, batch_size)]


def importance(model, batches: list) -> dict:
    """{'mlp': [per layer tensor(I)], 'heads': [per layer tensor(n_q)], 'hidden': tensor(H)} from activations."""
    import torch

    cfg = model.config
    hd = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    layers = model.model.layers
    acc = {"mlp": [0.0] * len(layers), "heads": [0.0] * len(layers), "hidden": 0.0}
    hooks = []

    def add(kind, i):
        def hook(mod, args, output=None):
            x = (args[0] if output is None else output).detach().float()
            x = x.reshape(-1, x.shape[-1])
            if kind == "mlp":
                acc["mlp"][i] = acc["mlp"][i] + x.abs().mean(0)
            elif kind == "heads":
                acc["heads"][i] = acc["heads"][i] + x.reshape(x.shape[0], -1, hd).norm(dim=-1).mean(0)
            else:
                acc["hidden"] = acc["hidden"] + x.abs().mean(0)

        return hook

    for i, layer in enumerate(layers):
        hooks.append(layer.mlp.down_proj.register_forward_pre_hook(add("mlp", i)))
        hooks.append(layer.self_attn.o_proj.register_forward_pre_hook(add("heads", i)))
        hooks.append(layer.input_layernorm.register_forward_hook(add("hidden", i)))
        hooks.append(layer.post_attention_layernorm.register_forward_hook(add("hidden", i)))
    hooks.append(model.model.norm.register_forward_hook(add("hidden", -1)))
    model.eval()
    try:
        with torch.no_grad():
            for ids in batches:
                model(input_ids=ids.to(next(model.parameters()).device))
    finally:
        for h in hooks:
            h.remove()
    return acc


def _top(scores, k: int):
    import torch

    return torch.sort(torch.topk(scores, k).indices).values


def plan(config, ratio: float, axes: tuple[str, ...]) -> dict:
    """New sizes for a keep-ratio: intermediate_size, query heads per KV group, hidden_size."""
    groups = config.num_attention_heads // config.num_key_value_heads
    per_group = max(1, round(groups * ratio)) if "heads" in axes else groups
    heads = config.num_key_value_heads * per_group
    hidden = config.hidden_size
    if "hidden" in axes:  # transformers requires hidden_size % num_attention_heads == 0
        hidden = min(config.hidden_size, max(heads, round(config.hidden_size * ratio / heads) * heads))
    return {
        "intermediate": max(8, round(config.intermediate_size * ratio)) if "mlp" in axes else config.intermediate_size,
        "per_group": per_group,
        "hidden": hidden,
    }


def new_config(config, sizes: dict):
    cfg = copy.deepcopy(config)
    hd = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    cfg.head_dim = hd  # keep the head size when hidden or head counts change
    cfg.intermediate_size = sizes["intermediate"]
    cfg.num_attention_heads = config.num_key_value_heads * sizes["per_group"]
    cfg.hidden_size = sizes["hidden"]
    return cfg


def count_params(config) -> int:
    """Parameters of a model built from `config` (on the meta device: no memory)."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    return sum(p.numel() for p in model.parameters())


def apply(model, imp: dict, sizes: dict):
    """A new, smaller model with the kept channels / heads copied from `model`."""
    import torch
    from transformers import AutoModelForCausalLM

    cfg = model.config
    hd = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    groups = cfg.num_attention_heads // cfg.num_key_value_heads
    keep_h = (
        _top(imp["hidden"], sizes["hidden"]) if sizes["hidden"] < cfg.hidden_size else torch.arange(cfg.hidden_size)
    )
    small = AutoModelForCausalLM.from_config(new_config(cfg, sizes)).to(next(model.parameters()).dtype)
    src, dst = model.state_dict(), small.state_dict()
    biased = [n for n in src if n.endswith(".bias")]
    if biased:
        raise ValueError(f"{biased[0]}: pruning of models with biases is not supported")
    with torch.no_grad():
        dst["model.embed_tokens.weight"].copy_(src["model.embed_tokens.weight"][:, keep_h])
        dst["model.norm.weight"].copy_(src["model.norm.weight"][keep_h])
        if "lm_head.weight" in dst and not cfg.tie_word_embeddings:
            dst["lm_head.weight"].copy_(src["lm_head.weight"][:, keep_h])
        for i in range(cfg.num_hidden_layers):
            p = f"model.layers.{i}."
            keep_i = _top(imp["mlp"][i], sizes["intermediate"])
            heads = imp["heads"][i].reshape(cfg.num_key_value_heads, groups)
            q_heads = torch.cat([g * groups + _top(heads[g], sizes["per_group"]) for g in range(heads.shape[0])])
            q_rows = (q_heads[:, None] * hd + torch.arange(hd)).reshape(-1)
            for name in ("input_layernorm", "post_attention_layernorm"):
                dst[p + name + ".weight"].copy_(src[p + name + ".weight"][keep_h])
            dst[p + "self_attn.q_proj.weight"].copy_(src[p + "self_attn.q_proj.weight"][q_rows][:, keep_h])
            for name in ("k_proj", "v_proj"):
                dst[p + f"self_attn.{name}.weight"].copy_(src[p + f"self_attn.{name}.weight"][:, keep_h])
            dst[p + "self_attn.o_proj.weight"].copy_(src[p + "self_attn.o_proj.weight"][keep_h][:, q_rows])
            for name in ("gate_proj", "up_proj"):
                dst[p + f"mlp.{name}.weight"].copy_(src[p + f"mlp.{name}.weight"][keep_i][:, keep_h])
            dst[p + "mlp.down_proj.weight"].copy_(src[p + "mlp.down_proj.weight"][keep_h][:, keep_i])
    small.load_state_dict(dst)
    if cfg.tie_word_embeddings:
        small.tie_weights()
    return small


def prune(model, batches: list, target_params: int, axes: tuple[str, ...] = AXES, steps: int = 1):
    """Prune `model` to at most `target_params` parameters in `steps` rounds; returns the new model."""
    unknown = set(axes) - set(AXES)
    if unknown:
        raise ValueError(f"axes: unknown {sorted(unknown)} (use {', '.join(AXES)})")
    start = sum(p.numel() for p in model.parameters())
    for k in range(1, steps + 1):
        goal = start * (target_params / start) ** (k / steps)  # geometric schedule
        lo, hi = 0.0, 1.0
        for _ in range(30):  # bisection on the keep ratio
            mid = (lo + hi) / 2
            if count_params(new_config(model.config, plan(model.config, mid, axes))) <= goal:
                lo = mid
            else:
                hi = mid
        sizes = plan(model.config, lo, axes)
        if count_params(new_config(model.config, sizes)) > goal:
            raise ValueError(f"cannot reach {int(goal):,} parameters by pruning {axes}")
        model = apply(model, importance(model, batches), sizes)
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trainer.prune", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("--model", required=True, help="HF directory, .gguf or smollm2")
    ap.add_argument("--calib", required=True, help="token shards (manifest.json) made with the model's tokenizer")
    ap.add_argument("--target-params", type=float, required=True, help="e.g. 6e7")
    ap.add_argument("--axes", default=",".join(AXES))
    ap.add_argument("--steps", type=int, default=1, help="iterative pruning rounds")
    ap.add_argument("--calib-rows", type=int, default=32)
    ap.add_argument("--output", required=True)
    args = ap.parse_args(argv)
    from trainer.model_init import load_base, save_with_tokenizer

    model = load_base(args.model)
    before = sum(p.numel() for p in model.parameters())
    batches = calibration_batches(args.calib, args.calib_rows)
    small = prune(model, batches, int(args.target_params), tuple(args.axes.split(",")), args.steps)
    save_with_tokenizer(small, args.model, args.output)
    after = sum(p.numel() for p in small.parameters())
    c = small.config
    print(f"parameters {before:,} → {after:,} ({after / before:.1%}); hidden {c.hidden_size}, intermediate "
          f"{c.intermediate_size}, heads {c.num_attention_heads}/{c.num_key_value_heads} kv; saved {args.output}")  # fmt: skip
    return 0


if __name__ == "__main__":
    from kocorpus.errors import run_cli

    sys.exit(run_cli(main))
