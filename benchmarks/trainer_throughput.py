"""Trainer throughput, overhead and data-loader headroom, one run; prints a table.

  trainer  tokens/s of `trainer.run.train` (one stage, all parameters, AdamW, clipping, logging) — median of the
           per-step rates after `--warmup` steps
  bare     tokens/s of a bare loop (forward, backward, AdamW step, zero_grad) on the same model, batch size, sequence
           length and speed switches, on a fixed batch — target: trainer ≥ 0.9 × bare
  loader   tokens/s of ShardStream + collate alone — target: ≥ 20 × what the trainer consumes
Each row also gives model TFLOP/s (6·N + attention FLOPs per token, trainer.metrics), MFU (GPU: against the
device's dense bf16 peak; CPU: none unless --peak-tflops) and peak memory (CUDA: max allocated in that loop; CPU: the
process's peak RSS so far). With a GPU the model trains in bf16. The speed switches of trainer/speed.py are flags.
Without `make demo`'s tokenizer and shards, shards are built from the bundled held-out texts with the packaged
SmolLM2 tokenizer (`--seq-len`).

  python benchmarks/trainer_throughput.py                      # a small random Llama
  python benchmarks/trainer_throughput.py --model smollm2      # the real 135M model (slow on a CPU)
  python benchmarks/trainer_throughput.py --model llama-1b --seq-len 2048 --batch-size 8 \
      --ce fused --attn auto --compile                         # a ~1B Llama (random init), for a GPU
"""

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MODELS = {
    "small": {"hidden_size": 256, "intermediate_size": 768, "num_hidden_layers": 4, "num_attention_heads": 8,
              "num_key_value_heads": 4, "max_position_embeddings": 2048, "tie_word_embeddings": True},
    "llama-1b": {"hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "max_position_embeddings": 4096, "tie_word_embeddings": True},
}  # fmt: skip


def speed_keys(args) -> dict:
    return {"attn_implementation": args.attn, "torch_compile": args.compile, "gradient_checkpointing": args.grad_ckpt,
            "cross_entropy": args.ce}  # fmt: skip


def peak_memory(device: str) -> float:
    """GiB: CUDA max allocated since the last reset; CPU: the process's peak RSS."""
    import torch

    if device == "cuda":
        return torch.cuda.max_memory_allocated() / 2**30
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def trainer_rate(args, model_cfg: dict, out: Path) -> tuple[float, float]:
    """(median tokens/s, flops per token) of the trainer loop."""
    import yaml

    from trainer.run import main

    stage = {"name": "all", "steps": args.steps, "lr": 1e-4, "schedule": "constant"}
    cfg = {"model": model_cfg, "tokenizer": args.tokenizer, "shards": args.shards, "output": str(out),
           "batch_size": args.batch_size, "report_to": [], "stages": [stage], "document_masking": True,
           "mixed_precision": args.precision} | speed_keys(args)  # fmt: skip
    path = out.with_suffix(".yaml")
    path.write_text(yaml.safe_dump(cfg))
    main(["--config", str(path)])
    log = [json.loads(x) for x in (out / "log.jsonl").read_text().splitlines()]
    return statistics.median(r["tokens_per_s"] for r in log[args.warmup :]), log[-1]["tflops_per_s"] * 1e12 / max(
        1e-9, log[-1]["tokens_per_s"]
    )


def bare_rate(args, model_cfg: dict) -> float:
    """Median tokens/s of forward/backward/step on one fixed batch of the shards."""
    import torch

    from trainer import speed
    from trainer.data import ShardStream, collate, read_manifest
    from trainer.run import build_model
    from trainer.stages import load_config

    cfg = load_config(str(args.tmp / "run.yaml"))
    model, _ = build_model(cfg)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    chosen = speed.prepare_model(model, cfg, device)
    model.to(device).train()
    if cfg.torch_compile:
        model = torch.compile(model, backend=cfg.torch_compile_backend)
    manifest = read_manifest(args.shards)
    stream = ShardStream(manifest, {manifest["labels"][0]: 1.0})
    batch = collate([stream.next_row() for _ in range(args.batch_size)], 0, document_masking=True)
    if chosen["attn_implementation"] == "flash_attention_2":
        batch = speed.flatten_packed(batch)
    batch = {k: v.to(device) for k, v in batch.items()}
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    times = []
    for _ in range(args.steps):
        t = time.perf_counter()
        with torch.autocast(device, dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            loss = model(**batch, use_cache=False).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    return args.batch_size * args.seq_len / statistics.median(times[args.warmup :])


def build_shards(args) -> None:
    """Shards of the bundled held-out texts (ko + en) at --seq-len with --tokenizer, when --shards is missing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kocorpus.cli import main as kocorpus

    kept = args.tmp / "kept"
    kept.mkdir(parents=True)
    texts = [json.loads(line)["text"] for n in ("ko", "en")
             for line in (REPO / "kocorpus" / "data" / "heldout" / f"{n}.jsonl").read_text().splitlines()]  # fmt: skip
    pq.write_table(pa.table({"text": texts, "id": [str(i) for i in range(len(texts))]}), kept / "00000.parquet")
    args.shards = str(args.tmp / "shards")
    argv = ["tokenize", "--input", str(kept), "--tokenizer", args.tokenizer, "--seq-len", str(args.seq_len),
            "--output", args.shards]  # fmt: skip
    if kocorpus(argv) != 0:
        raise SystemExit("could not build benchmark shards")


def loader_rate(args, rows: int = 3000) -> float:
    from trainer.data import ShardStream, collate, read_manifest

    manifest = read_manifest(args.shards)
    stream = ShardStream(manifest, {manifest["labels"][0]: 1.0})
    t = time.perf_counter()
    for _ in range(rows // args.batch_size):
        collate([stream.next_row() for _ in range(args.batch_size)], 0, document_masking=True)
    return rows * int(manifest["seq_len"]) / (time.perf_counter() - t)


def main() -> None:
    import torch

    from trainer.metrics import peak_tflops

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="small", choices=["small", "smollm2", "llama-1b"])
    ap.add_argument("--tokenizer", default=str(REPO / "demo_out" / "tokenizer_smollm2_ko"),
                    help="default: make demo's extended tokenizer, else the packaged smollm2")  # fmt: skip
    ap.add_argument("--shards", default=str(REPO / "demo_out" / "shards"), help="default: make demo's shards")
    ap.add_argument("--seq-len", type=int, default=512, help="rows of shards built when --shards is missing")
    ap.add_argument("--batch-size", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--attn", default="auto", choices=["auto", "sdpa", "eager", "flash_attention_2"])
    ap.add_argument("--compile", action="store_true", help="torch.compile (inductor)")
    ap.add_argument("--grad-ckpt", action="store_true", help="activation checkpointing")
    ap.add_argument("--ce", default="plain", choices=["plain", "chunked", "fused"], help="cross-entropy")
    ap.add_argument("--peak-tflops", type=float, help="peak TFLOP/s of the device (for MFU on a CPU)")
    args = ap.parse_args()
    args.precision = "bf16" if torch.cuda.is_available() else "no"
    device = "cuda" if torch.cuda.is_available() else "cpu"
    from trainer.data import read_manifest

    with tempfile.TemporaryDirectory() as tmp:
        args.tmp = Path(tmp)
        if not Path(args.tokenizer).exists():
            args.tokenizer = "smollm2"
        if not (Path(args.shards) / "manifest.json").is_file():
            build_shards(args)
        args.seq_len = int(read_manifest(args.shards)["seq_len"])
        new_tokens = Path(args.tokenizer) / "new_tokens.json"
        if args.model == "smollm2":
            model_cfg = {"base": "smollm2"} | ({"new_tokens": str(new_tokens)} if new_tokens.is_file() else {})
        else:
            from kocorpus.tokens.base import load_hf

            model_cfg = {"random_init": MODELS[args.model] | {"vocab_size": len(load_hf(args.tokenizer))}}
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        t_rate, flops_tok = trainer_rate(args, model_cfg, args.tmp / "run")
        t_mem = peak_memory(device)
        if device == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        b_rate = bare_rate(args, model_cfg)
        b_mem = peak_memory(device)
        l_rate = loader_rate(args)
    peak = args.peak_tflops or peak_tflops(None)
    name = torch.cuda.get_device_name(0) if device == "cuda" else f"CPU ({torch.get_num_threads()} threads)"
    switches = ", ".join(f"{k} {v}" for k, v in speed_keys(args).items())
    print(f"\nmodel {args.model} ({flops_tok / 1e9:.2f} GFLOP/token for training), batch {args.batch_size} × {args.seq_len} "
          f"tokens, {args.steps} steps (median after {args.warmup}), {name}, precision {args.precision}; {switches}")  # fmt: skip
    mem_label = "peak GiB" if device == "cuda" else "peak RSS GiB"
    print(f"{'loop':<10}{'tokens/s':>14}{'ratio':>10}{'TFLOP/s':>10}{'MFU':>8}{mem_label:>15}")
    for row, rate, ratio, mem in [("trainer", t_rate, f"{t_rate / b_rate:.2f}×", t_mem), ("bare", b_rate, "1.00×", b_mem),
                                  ("loader", l_rate, f"{l_rate / t_rate:,.0f}×", None)]:  # fmt: skip
        tflops = flops_tok * rate / 1e12 if row != "loader" else None
        mfu = f"{tflops / peak:.1%}" if peak and tflops is not None else "-"
        shown = f"{tflops:.3f}" if tflops is not None else "-"
        print(f"{row:<10}{rate:>14,.0f}{ratio:>10}{shown:>10}{mfu:>8}{(f'{mem:.2f}' if mem else '-'):>15}")
    print("targets: trainer/bare ≥ 0.9×, loader/trainer ≥ 20×; MFU ≥ 45% for llama-1b on one H100/H200 (bf16)")
    if device == "cpu":
        print("no GPU here: CPU numbers, no MFU (pass --peak-tflops to estimate one)")


if __name__ == "__main__":
    main()
