"""Training metrics: FLOPs per token and MFU, and the run log (console, OUT/log.jsonl, OUT/eval.jsonl, trackers).

MFU = achieved model FLOP/s ÷ peak FLOP/s of the devices. Model FLOPs per token (PaLM appendix B):
6·N for the matmul parameters N (every parameter but the input-embedding lookup; a tied head counts once) plus
12·layers·hidden·seq_len for attention, forward + backward. Peak: `peak_tflops` from the config, else a table of
dense bf16 peaks for known GPUs; on a CPU MFU is not estimated (None) unless `peak_tflops` is given.
"""

import json
from pathlib import Path

# dense bf16/fp16 tensor-core peak of one device, TFLOP/s (vendor data sheets, without sparsity)
GPU_PEAK_TFLOPS = {"H200": 989.0, "H100": 989.0, "A100": 312.0, "L40S": 362.0, "L4": 121.0, "A10G": 125.0,
                   "A10": 125.0, "RTX 4090": 165.0, "RTX 3090": 71.0, "V100": 125.0, "T4": 65.0}  # fmt: skip


def flops_per_token(model, seq_len: int) -> float:
    """Training FLOPs per token (forward + backward) of a decoder-only model at `seq_len`."""
    module = model.get_input_embeddings()
    emb = module.lookup.weight if hasattr(module, "lookup") else module.weight  # a factorized lookup: a gather too
    head = model.get_output_embeddings()
    tied = head is not None and head.weight.data_ptr() == emb.data_ptr()
    n = sum(p.numel() for p in model.parameters()) - (0 if tied else emb.numel())
    cfg = model.config
    return 6.0 * n + 12.0 * cfg.num_hidden_layers * cfg.hidden_size * seq_len


def peak_tflops(configured: float | None) -> float | None:
    """Peak TFLOP/s of one device: the configured value, a known GPU's, or None (CPU / unknown GPU)."""
    import torch

    if configured:
        return configured
    if not torch.cuda.is_available():
        return None
    name = torch.cuda.get_device_name(0)
    for key in sorted(GPU_PEAK_TFLOPS, key=len, reverse=True):
        if key in name:
            return GPU_PEAK_TFLOPS[key]
    return None


class RunLog:
    """Writes metrics on the main process: console lines, JSONL files and the accelerate trackers."""

    def __init__(self, accelerator, out: Path, config: dict) -> None:
        self.acc = accelerator
        self.files = {}
        out.mkdir(parents=True, exist_ok=True)
        if accelerator.is_main_process:
            self.files = {k: open(out / f"{k}.jsonl", "a") for k in ("log", "eval")}  # noqa: SIM115
        if accelerator.log_with:
            flat = {k: v for k, v in _flatten(config).items() if isinstance(v, int | float | str | bool)}
            accelerator.init_trackers("train", config=flat)

    def _write(self, kind: str, rec: dict) -> None:
        if kind in self.files:
            self.files[kind].write(json.dumps(rec) + "\n")
            self.files[kind].flush()

    def step(self, rec: dict) -> None:
        mfu = f" mfu {rec['mfu']:.1%}" if rec.get("mfu") is not None else ""
        self.acc.print(
            f"step {rec['step']:>5} [{rec['stage']}] loss {rec['loss']:.4f} lr {rec['lr']:.2e} "
            f"grad {rec['grad_norm'] or 0:.3f} {rec['tokens_per_s']:,.0f} tok/s{mfu}"
        )
        self._write("log", rec)
        if self.acc.log_with:
            self.acc.log({f"train/{k}": v for k, v in rec.items() if isinstance(v, int | float)}, step=rec["step"])

    def eval(self, step: int, stage: str, results: dict[str, dict]) -> None:
        keys = ("loss", "bits_per_char", "bits_per_byte", "acc", "macro_f1", "acc_norm")
        for name, m in results.items():
            shown = " ".join(f"{k} {m[k]:.4f}" for k in keys if k in m)
            self.acc.print(f"eval  {step:>5} [{stage}] {name}: {shown}")
            self._write("eval", {"step": step, "stage": stage, "set": name} | m)
        if self.acc.log_with:
            self.acc.log({f"eval/{n}/{k}": v for n, m in results.items() for k, v in m.items()}, step=step)

    def close(self) -> None:
        for f in self.files.values():
            f.close()
        if self.acc.log_with:
            self.acc.end_training()


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out |= _flatten(v, f"{prefix}{k}.")
        else:
            out[f"{prefix}{k}"] = v
    return out
