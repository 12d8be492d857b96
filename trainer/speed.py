"""GPU-speed switches of the trainer (config keys), each a no-op by default:

- `attn_implementation`: `auto` → `flash_attention_2` on CUDA when flash-attn is installed, else `sdpa`; or name one
  (`sdpa`, `eager`, `flash_attention_2`). With `document_masking`, packed documents attend only within themselves:
  SDPA/eager get a block-diagonal causal mask that transformers builds from the restarting position ids; for
  FlashAttention-2 the batch is flattened to one row (`flatten_packed`) so transformers derives `cu_seqlens` from the
  position ids and calls the varlen kernel (it only does so for a batch of one row).
- `torch_compile`: `torch.compile` through accelerate's dynamo plugin (`torch_compile_backend`, default inductor).
- `gradient_checkpointing`: recompute decoder-layer activations in backward (non-reentrant; works with frozen
  layers and LoRA).
- `cross_entropy`: `plain` (the model's own loss over full logits); `chunked` — the head and the loss over
  `ce_chunk_tokens` positions at a time, each chunk's logits recomputed in backward, so the (tokens × vocab) logits
  never exist at once (same loss and gradients as plain, float tolerance); `fused` — Liger's fused linear
  cross-entropy (Triton, CUDA) when `liger-kernel` is installed and the model is on CUDA, else `chunked`.
  Not with distillation stages (they need the logits).
"""

import types

from kocorpus.config import ConfigError

IGNORE = -100


def flash_attn_available() -> bool:
    from transformers.utils import is_flash_attn_2_available

    return bool(is_flash_attn_2_available())


def liger_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("liger_kernel") is not None


def resolve_attn(requested: str, device_type: str) -> str:
    """The attention implementation for `device_type` ('cuda', 'cpu', …); ConfigError if the requested one can't
    run here."""
    if requested == "auto":
        return "flash_attention_2" if device_type == "cuda" and flash_attn_available() else "sdpa"
    if requested == "flash_attention_2" and not (device_type == "cuda" and flash_attn_available()):
        raise ConfigError("attn_implementation: flash_attention_2 needs CUDA and flash-attn (pip install flash-attn)")
    return requested


def resolve_cross_entropy(requested: str, device_type: str) -> str:
    """`fused` → `liger` (CUDA and liger-kernel installed) or `chunked`; `plain` and `chunked` stay."""
    if requested == "fused":
        return "liger" if device_type == "cuda" and liger_available() else "chunked"
    return requested


def chunked_linear_cross_entropy(hidden, weight, labels, chunk: int = 4096):
    """Mean cross-entropy of softmax(hidden · weightᵀ) against `labels` (IGNORE skipped), `chunk` rows at a time.
    hidden: (N, H), weight: (V, H), labels: (N,). Logits are computed in float32 like transformers' loss; each
    chunk's logits are dropped after its forward and recomputed in backward (peak: one chunk × V)."""
    import torch
    from torch.utils.checkpoint import checkpoint

    def ce_sum(h, w, y):
        return torch.nn.functional.cross_entropy((h @ w.T).float(), y, ignore_index=IGNORE, reduction="sum")

    total = hidden.new_zeros((), dtype=torch.float32)
    for s in range(0, hidden.shape[0], chunk):
        total = total + checkpoint(ce_sum, hidden[s : s + chunk], weight, labels[s : s + chunk], use_reentrant=False)
    return total / (labels != IGNORE).sum().clamp(min=1)


def use_linear_cross_entropy(model, impl: str, chunk: int = 4096) -> None:
    """Replace `model.forward` (this instance) so that a call with `labels` runs the decoder, then the head and the
    loss together (`chunked` or `liger`) and returns the loss without logits; calls without labels (evaluation,
    generation) use the original forward."""
    from transformers.modeling_outputs import CausalLMOutputWithPast

    if impl == "plain":
        return
    if impl not in ("chunked", "liger"):
        raise ValueError(f"cross_entropy: unknown implementation {impl!r}")
    if getattr(model.config, "final_logit_softcapping", None):
        raise ConfigError("cross_entropy: the model soft-caps its logits; use cross_entropy: plain")
    original = model.forward
    if impl == "liger":
        from liger_kernel.transformers import LigerFusedLinearCrossEntropyLoss

        liger = LigerFusedLinearCrossEntropyLoss(ignore_index=IGNORE)

    def forward(self, input_ids=None, attention_mask=None, position_ids=None, labels=None, **kwargs):
        if labels is None:
            return original(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, **kwargs)
        kwargs.pop("logits_to_keep", None)
        hidden = self.get_decoder()(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                                    **kwargs).last_hidden_state  # fmt: skip
        h = hidden[:, :-1].reshape(-1, hidden.shape[-1])
        y = labels[:, 1:].reshape(-1).to(h.device)
        head = self.get_output_embeddings()
        if impl == "liger":
            loss = liger(head.weight, h, y, getattr(head, "bias", None))
            loss = loss[0] if isinstance(loss, tuple) else loss  # versions that can also return the z-loss
        else:
            loss = chunked_linear_cross_entropy(h, head.weight, y, chunk)
        return CausalLMOutputWithPast(loss=loss, logits=None)

    model.forward = types.MethodType(forward, model)


def flatten_packed(batch: dict) -> dict:
    """(B, T) input_ids/labels/position_ids → one (1, B·T) row for FlashAttention-2's varlen path: every row and
    document starts at position 0, and each row's first label is ignored so that no token predicts across rows
    (the loss equals the (B, T) batch's)."""
    out = {k: v.reshape(1, -1) for k, v in batch.items() if k in ("input_ids", "position_ids")}
    labels = batch["labels"].clone()
    labels[:, 0] = IGNORE  # never a target within its row; in one flat row it would be the previous row's target
    out["labels"] = labels.reshape(1, -1)
    return out


def prepare_model(model, cfg, device_type: str, log=print) -> dict:
    """Apply the switches of `cfg` (a TrainConfig) to `model` for `device_type`; returns what was chosen."""
    attn = resolve_attn(cfg.attn_implementation, device_type)
    if hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation(attn)
    else:  # transformers < 4.48
        model.config._attn_implementation = attn
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    ce = resolve_cross_entropy(cfg.cross_entropy, device_type)
    use_linear_cross_entropy(model, ce, cfg.ce_chunk_tokens)
    chosen = {"attn_implementation": attn, "cross_entropy": ce, "gradient_checkpointing": cfg.gradient_checkpointing,
              "torch_compile": cfg.torch_compile}  # fmt: skip
    log("speed: " + ", ".join(f"{k} {v}" for k, v in chosen.items()))
    return chosen


def dynamo_plugin(cfg):
    """accelerate's TorchDynamoPlugin for `torch_compile`, or None."""
    if not cfg.torch_compile:
        return None
    from accelerate.utils import TorchDynamoPlugin

    return TorchDynamoPlugin(backend=cfg.torch_compile_backend)
