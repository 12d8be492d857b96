"""Low-rank factorization of MLP projections and the embedding matrix, initialised from a truncated SVD.

A linear map W (out × in) becomes B·A with A = √S·Vᵀ (r × in) and B = U·√S (out × r) from the top-r singular
triplets; the embedding E (vocab × hidden) becomes a (vocab × r) lookup followed by an (r × hidden) projection. At
full rank the factorized model computes the same function (float tolerance). A tied output head is untied first
(it keeps the full matrix) so that only the input side is factorized.

Saving: `save_factorized` writes a normal `save_pretrained` directory whose config carries `low_rank` (rank,
targets, module names); `trainer.model_init.load_factorized` (the one loader; `load_base` calls it, so the trainer
and `python -m trainer.eval` load it transparently) rebuilds the architecture, swaps in the low-rank modules
(trainer/lowrank.py) and loads the weights.

  python -m trainer.factorize --model DIR --rank 64 [--targets mlp,embed] --output DIR
"""

import argparse
import sys
from pathlib import Path

from torch import nn

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.lowrank import LowRankEmbedding, LowRankLinear, swap_modules  # noqa: E402
from trainer.model_init import load_base, load_factorized, save_with_tokenizer  # noqa: E402

__all__ = ["LowRankEmbedding", "LowRankLinear", "factorize", "load_factorized", "save_factorized"]

MLP_NAMES = ("gate_proj", "up_proj", "down_proj")


def _svd(w, rank: int):
    import torch

    u, s, vh = torch.linalg.svd(w.detach().double(), full_matrices=False)
    root = s[:rank].sqrt()
    return (u[:, :rank] * root).to(w.dtype), (root[:, None] * vh[:rank]).to(w.dtype)


def factorize_linear(linear, rank: int) -> LowRankLinear:
    import torch

    rank = min(rank, linear.in_features, linear.out_features)
    lr = LowRankLinear(linear.in_features, linear.out_features, rank, bias=linear.bias is not None)
    b, a = _svd(linear.weight, rank)
    with torch.no_grad():
        lr.down.weight.copy_(a)
        lr.up.weight.copy_(b)
        if linear.bias is not None:
            lr.up.bias.copy_(linear.bias)
    return lr


def factorize_embedding(emb, rank: int) -> LowRankEmbedding:
    import torch

    rank = min(rank, emb.num_embeddings, emb.embedding_dim)
    le = LowRankEmbedding(emb.num_embeddings, emb.embedding_dim, rank, emb.padding_idx)
    u, vt = _svd(emb.weight, rank)  # E ≈ (U√S)(√S Vᵀ)
    with torch.no_grad():
        le.lookup.weight.copy_(u)
        le.proj.weight.copy_(vt.T)
    return le


def _untie_head(model) -> None:
    import torch

    head = model.get_output_embeddings()
    if head is not None and head.weight is model.get_input_embeddings().weight:
        head.weight = torch.nn.Parameter(head.weight.detach().clone())
    model.config.tie_word_embeddings = False
    if hasattr(model.config, "get_text_config"):
        model.config.get_text_config().tie_word_embeddings = False


def factorize(model, rank: int, targets: tuple[str, ...] = ("mlp", "embed")):
    """Factorize `targets` of `model` in place at `rank`; returns the model (config.low_rank records what)."""
    unknown = set(targets) - {"mlp", "embed"}
    if unknown:
        raise ValueError(f"targets: unknown {sorted(unknown)} (use mlp, embed)")
    modules: dict[str, tuple[str, int]] = {}
    if "mlp" in targets:
        for name, mod in model.named_modules():
            if name.rpartition(".")[2] in MLP_NAMES and isinstance(mod, nn.Linear):
                modules[name] = ("linear", rank)
    if "embed" in targets:
        _untie_head(model)
        name = next(n for n, m in model.named_modules() if m is model.get_input_embeddings())
        modules[name] = ("embedding", rank)
    swap_modules(model, modules, lambda kind, mod, r: factorize_linear(mod, r) if kind == "linear"
          else factorize_embedding(mod, r))  # fmt: skip
    model.config.low_rank = {"rank": rank, "targets": list(targets), "modules": {k: v[0] for k, v in modules.items()}}
    return model


def save_factorized(model, out: str | Path) -> None:
    model.save_pretrained(str(out), safe_serialization=True)


def n_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trainer.factorize", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("--model", required=True, help="HF directory, .gguf or smollm2")
    ap.add_argument("--rank", type=int, required=True)
    ap.add_argument("--targets", default="mlp,embed", help="comma-separated: mlp, embed")
    ap.add_argument("--output", required=True)
    args = ap.parse_args(argv)
    model = load_base(args.model)
    before = n_params(model)
    factorize(model, args.rank, tuple(t.strip() for t in args.targets.split(",") if t.strip()))
    save_with_tokenizer(model, args.model, args.output)
    after = n_params(model)
    size = sum(f.stat().st_size for f in Path(args.output).glob("*.safetensors"))
    print(f"rank {args.rank} on {args.targets}: parameters {before:,} → {after:,} ({after / before:.1%}); "
          f"{size / 2**20:,.1f} MiB on disk; saved {args.output}")  # fmt: skip
    return 0


if __name__ == "__main__":
    from kocorpus.errors import run_cli

    sys.exit(run_cli(main))
