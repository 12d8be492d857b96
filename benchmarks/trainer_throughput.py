"""Trainer overhead and data-loader headroom, one run; prints a table.

  trainer  tokens/s of `trainer.run.train` (one stage, all parameters, AdamW, clipping, logging) — median of the
           per-step rates after `--warmup` steps
  bare     tokens/s of a bare loop (forward, backward, AdamW step, zero_grad) on the same model, batch size and
           sequence length, on a fixed batch — target: trainer ≥ 0.9 × bare
  loader   tokens/s of ShardStream + collate alone — target: ≥ 20 × what the trainer consumes
With a GPU the model trains in bf16 and MFU is printed (peak from trainer.metrics).

  python benchmarks/trainer_throughput.py                      # after `make demo` (its tokenizer and shards)
  python benchmarks/trainer_throughput.py --model smollm2      # the real 135M model (slow on a CPU)
  python benchmarks/trainer_throughput.py --model llama-1b     # a ~1B Llama config (GPU)
"""

import argparse
import json
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


def trainer_rate(args, model_cfg: dict, out: Path) -> tuple[float, float]:
    """(median tokens/s, flops per token) of the trainer loop."""
    import yaml

    from trainer.run import main

    stage = {"name": "all", "steps": args.steps, "lr": 1e-4, "schedule": "constant"}
    cfg = {"model": model_cfg, "tokenizer": args.tokenizer, "shards": args.shards, "output": str(out),
           "batch_size": args.batch_size, "report_to": [], "stages": [stage],
           "mixed_precision": args.precision}  # fmt: skip
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

    from trainer.data import ShardStream, collate, read_manifest
    from trainer.run import build_model
    from trainer.stages import load_config

    cfg = load_config(str(args.tmp / "run.yaml"))
    model, _ = build_model(cfg)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device).train()
    manifest = read_manifest(args.shards)
    stream = ShardStream(manifest, {manifest["labels"][0]: 1.0})
    batch = collate([stream.next_row() for _ in range(args.batch_size)], 0)
    batch = {k: v.to(device) for k, v in batch.items()}
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    times = []
    for _ in range(args.steps):
        t = time.perf_counter()
        with torch.autocast(device, dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            loss = model(**batch).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    return args.batch_size * args.seq_len / statistics.median(times[args.warmup :])


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
    ap.add_argument("--tokenizer", default=str(REPO / "demo_out" / "tokenizer_smollm2_ko"))
    ap.add_argument("--shards", default=str(REPO / "demo_out" / "shards"))
    ap.add_argument("--batch-size", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    args.precision = "bf16" if torch.cuda.is_available() else "no"
    from trainer.data import read_manifest

    args.seq_len = int(read_manifest(args.shards)["seq_len"])
    new_tokens = str(Path(args.tokenizer) / "new_tokens.json")
    if args.model == "smollm2":
        model_cfg = {"base": "smollm2", "new_tokens": new_tokens}
    else:
        from kocorpus.tokens.base import load_hf

        model_cfg = {"random_init": MODELS[args.model] | {"vocab_size": len(load_hf(args.tokenizer))}}
    with tempfile.TemporaryDirectory() as tmp:
        args.tmp = Path(tmp)
        t_rate, flops_tok = trainer_rate(args, model_cfg, args.tmp / "run")
        b_rate = bare_rate(args, model_cfg)
    l_rate = loader_rate(args)
    peak = peak_tflops(None)
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU ({torch.get_num_threads()} threads)"
    print(f"\nmodel {args.model}, batch {args.batch_size} × {args.seq_len} tokens, {args.steps} steps "
          f"(median after {args.warmup}), {device}, precision {args.precision}")  # fmt: skip
    print(f"{'loop':<10}{'tokens/s':>14}{'ratio':>10}{'MFU':>8}")
    for name, rate, ratio in [("trainer", t_rate, f"{t_rate / b_rate:.2f}×"), ("bare", b_rate, "1.00×"),
                              ("loader", l_rate, f"{l_rate / t_rate:,.0f}×")]:  # fmt: skip
        mfu = f"{flops_tok * rate / (peak * 1e12):.1%}" if peak and name != "loader" else "-"
        print(f"{name:<10}{rate:>14,.0f}{ratio:>10}{mfu:>8}")
    print("targets: trainer/bare ≥ 0.9×, loader/trainer ≥ 20×")


if __name__ == "__main__":
    main()
