"""Depth up-scaling (SOLAR, Kanana): a deeper model from copies of a base model's decoder-layer ranges.

SOLAR-style with `drop=k` on an n-layer base: layers [0, n−k) followed by layers [k, n) → 2(n−k) layers; any list
of half-open ranges works (`ranges=[(0, 24), (8, 32)]`). Embeddings, final norm and head are kept; each copied layer
is an independent deep copy (its own weights to train); attention `layer_idx` and per-layer config lists
(`layer_types`) are renumbered so the KV cache and `save_pretrained`/`from_pretrained` see a normal model.

  python -m trainer.upscale --model DIR --drop 8 --output DIR
  python -m trainer.upscale --model smollm2 --ranges 0:24,6:30 --output DIR
"""

import argparse
import copy
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def solar_ranges(n_layers: int, drop: int) -> list[tuple[int, int]]:
    """[0, n−drop) + [drop, n)."""
    if not 0 < drop < n_layers:
        raise ValueError(f"drop must be in 1..{n_layers - 1}, got {drop}")
    return [(0, n_layers - drop), (drop, n_layers)]


def upscale(model, ranges: list[tuple[int, int]]):
    """Replace the decoder layers of `model` (in place) by copies of `ranges`; returns the model. The layer list
    index of every new layer → the base layer it copies is recorded as `config.upscaled_from`."""
    layers = model.model.layers
    n = len(layers)
    for a, b in ranges:
        if not 0 <= a < b <= n:
            raise ValueError(f"range {a}:{b} is outside the base's {n} layers")
    sources = [i for a, b in ranges for i in range(a, b)]
    new = [copy.deepcopy(layers[i]) for i in sources]
    for idx, layer in enumerate(new):
        attn = getattr(layer, "self_attn", None)
        if attn is not None and hasattr(attn, "layer_idx"):
            attn.layer_idx = idx
    model.model.layers = type(layers)(new)
    cfg = model.config
    layer_types = getattr(cfg, "layer_types", None)
    if isinstance(layer_types, list) and len(layer_types) == n:
        cfg.layer_types = [layer_types[i] for i in sources]
    cfg.num_hidden_layers = len(new)
    cfg.upscaled_from = sources
    return model


def n_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trainer.upscale", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("--model", required=True, help="HF directory, .gguf or smollm2")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--drop", type=int, help="SOLAR: layers [0, n-k) + [k, n)")
    g.add_argument("--ranges", help="comma-separated start:end layer ranges, e.g. 0:24,8:32")
    ap.add_argument("--output", required=True)
    args = ap.parse_args(argv)
    from trainer.model_init import load_base, save_with_tokenizer

    model = load_base(args.model)
    base_layers, base_params = model.config.num_hidden_layers, n_params(model)
    if args.drop is not None:
        ranges = solar_ranges(base_layers, args.drop)
    else:
        ranges = [tuple(int(x) for x in r.split(":")) for r in args.ranges.split(",")]
    upscale(model, ranges)
    save_with_tokenizer(model, args.model, args.output)
    print(f"{base_layers} → {model.config.num_hidden_layers} layers ({ranges}); parameters {base_params:,} → "
          f"{n_params(model):,}; saved {args.output}")  # fmt: skip
    return 0


if __name__ == "__main__":
    from kocorpus.errors import run_cli

    sys.exit(run_cli(main))
