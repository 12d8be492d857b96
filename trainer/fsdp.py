"""FSDP2 (`torch.distributed.fsdp.fully_shard`) for the trainer — CPU (gloo) and GPU (NCCL) alike.

Set `fsdp: true` in the training config and launch N processes (`accelerate launch --multi_gpu --num_processes N`;
on a CPU machine accelerate forms N gloo processes). accelerate's FSDP plugin switches on only for GPU-type
distributed setups (with `cpu=True` the state stays MULTI_CPU), so the trainer shards directly: every decoder layer
and then the root module are `fully_shard`-ed over all processes.

Checkpoints are sharded with `torch.distributed.checkpoint` (DCP): each rank writes its own shard of the model and
optimizer state (OUT/checkpoints/step_N/dcp/__R_0.distcp); nothing is gathered on one rank during training. A
stage boundary goes through such a checkpoint: the next stage builds a fresh model (with LoRA adapters if it has
them), shards it and loads the previous stage's weights — LoRA adapters are merged shard by shard (W += s·B·A on
each rank's rows of W and B) before that. DCP re-shards on load, so a checkpoint loads under another process count;
`python -m trainer.fsdp export --config C --checkpoint DIR --output OUT` loads one in a single process and writes a
transformers directory. The only full gather is the final export to OUT/final.
"""

import argparse
import sys
from pathlib import Path


def shard(model, device, mixed_precision: str = "no"):
    """fully_shard every decoder layer, then the root; returns the (same, now sharded) model."""
    import torch
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard

    from trainer.stages import decoder_layers

    mesh = init_device_mesh(device.type, (torch.distributed.get_world_size(),))
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(mixed_precision)
    mp = MixedPrecisionPolicy(param_dtype=dtype, reduce_dtype=torch.float32) if dtype else MixedPrecisionPolicy()
    for layer in decoder_layers(model):
        fully_shard(layer, mesh=mesh, mp_policy=mp)
    fully_shard(model, mesh=mesh, mp_policy=mp)
    return model


def prepare_stage(
    model, stage, cfg, new_ids: list[int], accelerator, load_from: Path | None, mid_stage: bool, restore_rng=None
):
    """The stage's sharded model, optimizer (prepared by accelerate) and row mask. A model sharded by an earlier
    stage is rebuilt fresh from its config (with the stage's LoRA adapters) and loads `load_from` — the
    previous stage's merged checkpoint, or the checkpoint being resumed (`mid_stage`: with the optimizer).
    `restore_rng(path)` restores the RNG state saved in a checkpoint (trainer.checkpoint.restore_rng)."""
    import torch
    from torch.distributed.fsdp import FSDPModule
    from transformers import AutoModelForCausalLM

    from trainer.stages import add_lora, param_groups, set_trainable

    if load_from is not None and not mid_stage:
        restore_rng(load_from)  # as the uninterrupted run at its stage-end checkpoint
    if load_from is not None or isinstance(model, FSDPModule):  # the same RNG use as the uninterrupted run
        model = AutoModelForCausalLM.from_config(model.config)
    if "lora" in stage.trainable:
        model = add_lora(model, stage.lora)
    for h in set_trainable(model, stage, new_ids):  # gradient hooks do not survive sharding: RowMask instead
        h.remove()
    model = shard(model, accelerator.device, cfg.mixed_precision)
    optimizer = torch.optim.AdamW(param_groups(model, cfg.weight_decay, cfg.no_decay_embeddings), lr=stage.lr)
    if load_from is not None:
        load(load_from, model, optimizer if mid_stage else None)
        if mid_stage:
            restore_rng(load_from)
    kinds = set(stage.trainable)
    mask = RowMask(model, new_ids) if "new_embeddings" in kinds and not kinds & {"embeddings", "all"} else None
    return model, accelerator.prepare(optimizer), mask


def save_final(model, out: Path, accelerator) -> None:
    """Gather the full weights (the one full gather, at the end) and save a plain transformers model on rank 0."""
    from transformers import AutoModelForCausalLM

    sd = full_state_dict(model)
    if accelerator.is_main_process:
        plain = AutoModelForCausalLM.from_config(model.config)
        plain.load_state_dict(sd, strict=False)
        plain.save_pretrained(str(out))


def plain_key(key: str) -> str:
    """A peft-wrapped parameter name → the plain model's name (LoRA keys are dropped by the caller)."""
    if key.startswith("base_model.model."):
        key = key[len("base_model.model.") :]
    return key.replace(".base_layer.", ".")


class RowMask:
    """The `new_embeddings` stage under FSDP: zero the gradient of every embedding/head row but the new tokens'
    (gradient hooks do not reach sharded parameters), after each backward."""

    def __init__(self, model, new_ids: list[int]):
        import torch
        from torch.distributed.tensor import distribute_tensor

        self.pairs = []
        seen = set()
        for mod in (model.get_input_embeddings(), model.get_output_embeddings()):
            if mod is None or id(mod.weight) in seen:
                continue
            seen.add(id(mod.weight))
            w = mod.weight
            full = torch.zeros(w.shape[0], 1, dtype=w.dtype)
            full[torch.as_tensor(new_ids, dtype=torch.long)] = 1
            full = full.expand(w.shape[0], w.shape[1]).contiguous()
            local = distribute_tensor(full, w.device_mesh, w.placements, src_data_rank=None).to_local()
            self.pairs.append((w, local))

    def apply(self) -> None:
        for w, local in self.pairs:
            if w.grad is not None:
                w.grad.to_local().mul_(local.to(w.grad.device))


def merge_lora_sharded(model) -> None:
    """Fold the LoRA updates into the base weights on every rank's own rows (a collective: A is gathered)."""
    import torch

    with torch.no_grad():
        for module in model.modules():
            if not (hasattr(module, "lora_A") and hasattr(module, "base_layer")):
                continue
            for name in module.active_adapters:
                a = module.lora_A[name].weight.full_tensor()
                b = module.lora_B[name].weight.to_local()
                w = module.base_layer.weight.to_local()
                w.add_((b @ a).to(w.dtype) * module.scaling[name])
                b.zero_()  # the merged model: the adapter adds nothing any more


def _dcp():
    import torch.distributed.checkpoint as dcp

    return dcp


def save(path: Path, model, optimizer=None, merged: bool = False) -> None:
    """Sharded checkpoint (a collective): each rank writes its shard. `merged`: LoRA merged (drop adapter keys,
    plain parameter names) — the stage-end form the next stage loads."""
    from torch.distributed.checkpoint.state_dict import get_model_state_dict, get_optimizer_state_dict

    sd = get_model_state_dict(model)
    if merged:
        sd = {plain_key(k): v for k, v in sd.items() if "lora_" not in k}
    state = {"model": sd}
    if optimizer is not None:
        state["optim"] = get_optimizer_state_dict(model, optimizer)
    _dcp().save(state, checkpoint_id=str(Path(path) / "dcp"))


def load(path: Path, model, optimizer=None) -> None:
    """Load a sharded checkpoint into the sharded `model` (and optimizer): names as saved, or the plain names of
    a merged stage-end checkpoint (the adapters of a fresh LoRA stage keep their initial values)."""
    from torch.distributed.checkpoint.state_dict import (
        get_model_state_dict,
        get_optimizer_state_dict,
        set_model_state_dict,
        set_optimizer_state_dict,
    )

    dcp = _dcp()
    ckpt = str(Path(path) / "dcp")
    saved = set(dcp.FileSystemReader(ckpt).read_metadata().state_dict_metadata)
    native = get_model_state_dict(model)
    names = {
        k: k if f"model.{k}" in saved else plain_key(k) for k in native if "lora_" not in k or f"model.{k}" in saved
    }
    state = {"model": {names[k]: native[k] for k in names}}
    if optimizer is not None:
        state["optim"] = get_optimizer_state_dict(model, optimizer)
    dcp.load(state, checkpoint_id=ckpt)
    set_model_state_dict(model, {k: state["model"][names[k]] for k in names}, options=_opts(strict=False))
    if optimizer is not None:
        set_optimizer_state_dict(model, optimizer, state["optim"])


def _opts(**kw):
    from torch.distributed.checkpoint.state_dict import StateDictOptions

    return StateDictOptions(**kw)


def full_state_dict(model) -> dict:
    """The full state dict on every rank's CPU, plain names (a collective; the final export only)."""
    from torch.distributed.checkpoint.state_dict import get_model_state_dict

    sd = get_model_state_dict(model, options=_opts(full_state_dict=True, cpu_offload=True))
    return {plain_key(k): v for k, v in sd.items() if "lora_" not in k}


def export(config: str, checkpoint: str, output: str, overrides: list[str] = ()) -> Path:
    """Load a stage-end sharded checkpoint in one process (any saving process count) and save a transformers
    directory (model + tokenizer)."""
    from kocorpus.tokens.base import load_hf
    from trainer.build import build_model
    from trainer.stages import load_config

    cfg = load_config(config, list(overrides))
    model, _ = build_model(cfg)
    sd = model.state_dict()
    _dcp().load({"model": sd}, checkpoint_id=str(Path(checkpoint) / "dcp"), no_dist=True)
    model.load_state_dict(sd)
    model.save_pretrained(output)
    load_hf(cfg.tokenizer).save_pretrained(output)
    return Path(output)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Export a sharded (FSDP) checkpoint as a transformers directory.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("export")
    ex.add_argument("--config", required=True)
    ex.add_argument("--checkpoint", required=True, help="OUT/checkpoints/step_N (a stage-end checkpoint)")
    ex.add_argument("--output", required=True)
    ex.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args(argv)
    print(export(args.config, args.checkpoint, args.output, args.set))
    return 0


if __name__ == "__main__":
    sys.exit(main())
