"""Staged continual pretraining: `accelerate launch trainer/run.py --config trainer/configs/NAME.yaml`.

One loop: for each stage of the config — set the trainable parameters, build AdamW, stream rows of the stage's
mixture from the shards — take optimizer steps of batch_size × grad_accum rows per process until the stage's
step or token budget is spent; log loss, lr, grad norm, tokens/s, stage (console + OUT/log.jsonl); checkpoint
every `save_every` steps and at each stage end; finally save the model and tokenizer to OUT/final.
`--resume latest` continues from the last checkpoint (same loss sequence as an uninterrupted run on CPU);
`--set key=value` overrides config keys (dotted, YAML values).
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `accelerate launch trainer/run.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer import checkpoint as ckpt  # noqa: E402
from trainer.data import ShardStream, check_compatible, collate, read_manifest  # noqa: E402
from trainer.stages import TrainConfig, load_config, lr_at, param_groups, set_trainable  # noqa: E402


def build_model(cfg: TrainConfig):
    """The base (or random) model, resized to the extended tokenizer; returns (model, new token ids)."""
    from trainer.model_init import extend_embeddings, load_base, random_init

    if cfg.model.random_init is not None:
        model = random_init(cfg.model.random_init, seed=cfg.seed)
    elif cfg.model.base:
        model = load_base(cfg.model.base)
    else:
        raise ValueError("model: give base or random_init")
    new_ids = []
    if cfg.model.new_tokens:
        new_ids = extend_embeddings(model, Path(cfg.model.new_tokens), cfg.model.embedding_init)
    return model, new_ids


def stage_steps(stage, cfg: TrainConfig, seq_len: int, world: int) -> int:
    if stage.steps is not None:
        return stage.steps
    return max(1, math.ceil(stage.tokens / (cfg.batch_size * cfg.grad_accum * seq_len * world)))


def train(cfg: TrainConfig, resume: str | None = None, stop_after: int | None = None) -> dict:
    """Run (or continue) the stages; returns the final state. `stop_after`: stop after this many optimizer steps
    in this invocation (a checkpoint is written) — for tests of resuming."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed

    from kocorpus.tokens.base import load_hf
    from kocorpus.tokens.shards import tokenizer_hash

    # without CUDA, `accelerate launch --multi_gpu --num_processes N` must still form N gloo CPU processes
    accelerator = Accelerator(gradient_accumulation_steps=cfg.grad_accum, mixed_precision=cfg.mixed_precision,
                              cpu=not torch.cuda.is_available())  # fmt: skip
    set_seed(cfg.seed)
    out = Path(cfg.output)
    tokenizer = load_hf(cfg.tokenizer)
    manifest = read_manifest(cfg.shards)
    seq_len = cfg.seq_len or int(manifest["seq_len"])
    model, new_ids = build_model(cfg)
    check_compatible(
        manifest, tokenizer_hash(tokenizer.backend_tokenizer), model.get_input_embeddings().weight.shape[0]
    )
    state = {"stage": 0, "stage_step": 0, "step": 0, "tokens": 0}
    positions: dict = {}
    resume_path = ckpt.resolve(out, resume) if resume else None
    if resume_path:
        saved = ckpt.load_state(resume_path)
        if saved["world_size"] != accelerator.num_processes:
            raise ValueError(
                f"{resume_path}: saved with {saved['world_size']} processes, now {accelerator.num_processes}"
            )
        state = {k: saved[k] for k in state}
        positions = saved["data"][accelerator.process_index]
        ckpt.restore(resume_path, accelerator, model)
        accelerator.print(f"resumed from {resume_path}: stage {state['stage']}, step {state['step']}")
    log = None
    if accelerator.is_main_process:
        out.mkdir(parents=True, exist_ok=True)
        log = open(out / "log.jsonl", "a")  # noqa: SIM115
    run_steps = 0
    n_params = sum(p.numel() for p in model.parameters())
    for s in range(state["stage"], len(cfg.stages)):
        stage = cfg.stages[s]
        total = stage_steps(stage, cfg, seq_len, accelerator.num_processes)
        model = accelerator.unwrap_model(model)
        accelerator.free_memory()
        handles = set_trainable(model, stage, new_ids)
        optimizer = torch.optim.AdamW(param_groups(model, cfg.weight_decay, cfg.no_decay_embeddings), lr=stage.lr)
        if resume_path and state["stage_step"] > 0:
            ckpt.restore(resume_path, accelerator, model, optimizer)
        resume_path = None
        model, optimizer = accelerator.prepare(model, optimizer)
        stream = ShardStream(manifest, stage.mixture, accelerator.process_index, accelerator.num_processes,
                             position=positions.get(stage.name, {}))  # fmt: skip
        accelerator.print(f"== stage {s + 1}/{len(cfg.stages)} {stage.name}: {total} steps, trainable "
                          f"{sum(p.numel() for p in model.parameters() if p.requires_grad):,} / {n_params:,}")  # fmt: skip
        model.train()
        t0 = time.perf_counter()
        while state["stage_step"] < total:
            lr = lr_at(stage, state["stage_step"], total)
            for group in optimizer.param_groups:
                group["lr"] = lr
            losses = []
            for _ in range(cfg.grad_accum):
                rows = [stream.next_row() for _ in range(cfg.batch_size)]
                batch = {k: v.to(accelerator.device) for k, v in collate(rows, 0, cfg.document_masking).items()}
                with accelerator.accumulate(model):
                    loss = model(**batch).loss
                    accelerator.backward(loss)
                    grad_norm = None
                    if accelerator.sync_gradients and cfg.max_grad_norm:
                        grad_norm = accelerator.clip_grad_norm_(
                            [p for p in model.parameters() if p.requires_grad], cfg.max_grad_norm
                        )
                    optimizer.step()
                    optimizer.zero_grad()
                losses.append(loss.detach())
            step_tokens = cfg.batch_size * cfg.grad_accum * seq_len * accelerator.num_processes
            state["stage_step"] += 1
            state["step"] += 1
            state["tokens"] += step_tokens
            run_steps += 1
            mean_loss = accelerator.reduce(torch.stack(losses).mean(), "mean").item()
            if state["step"] % cfg.log_every == 0:
                dt = time.perf_counter() - t0
                tps = step_tokens / dt
                rec = {"step": state["step"], "stage": stage.name, "stage_step": state["stage_step"],
                       "loss": mean_loss, "lr": lr, "grad_norm": float(grad_norm) if grad_norm is not None else None,
                       "tokens": state["tokens"], "tokens_per_s": round(tps, 1),
                       "tflops_per_s": round(6 * n_params * tps / 1e12, 4)}  # fmt: skip
                accelerator.print(
                    f"step {rec['step']:>5} [{stage.name}] loss {mean_loss:.4f} lr {lr:.2e} "
                    f"grad {rec['grad_norm'] or 0:.3f} {tps:,.0f} tok/s"
                )
                if log:
                    log.write(json.dumps(rec) + "\n")
                    log.flush()
            t0 = time.perf_counter()
            stage_done = state["stage_step"] >= total
            stopping = stop_after is not None and run_steps >= stop_after
            if (cfg.save_every and state["step"] % cfg.save_every == 0) or stage_done or stopping:
                positions[stage.name] = stream.state()
                saved_state = dict(state)
                if stage_done:
                    saved_state.update(stage=s + 1, stage_step=0)
                ckpt.save(accelerator, out, model, optimizer, saved_state, positions)
            if stopping and not stage_done:
                return state
        for h in handles:
            h.remove()
        state.update(stage=s + 1, stage_step=0)
        accelerator.print(f"== stage {stage.name} done at step {state['step']} ({state['tokens']:,} tokens)")
        if stop_after is not None and run_steps >= stop_after:
            return state
    if accelerator.is_main_process:
        final = out / "final"
        accelerator.unwrap_model(model).save_pretrained(str(final))
        tokenizer.save_pretrained(str(final))
        accelerator.print(f"model + tokenizer: {final}")
    accelerator.wait_for_everyone()
    return state


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", help="'latest' or a checkpoint directory")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config key")
    ap.add_argument("--stop-after", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    cfg = load_config(args.config, args.set)
    train(cfg, resume=args.resume, stop_after=args.stop_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
