"""Staged continual pretraining: `accelerate launch trainer/run.py --config trainer/configs/NAME.yaml`.

One loop: for each stage of the config — set the trainable parameters, build AdamW, stream rows of the stage's
mixture from the shards — take optimizer steps of batch_size × grad_accum rows per process until the stage's
step or token budget is spent; log loss, lr, grad norm, tokens/s, MFU, stage (console, OUT/log.jsonl,
TensorBoard under OUT/tensorboard); evaluate held-out sets (loss, bits/char; OUT/eval.jsonl) before training,
every `eval.every` steps and at stage ends; checkpoint every `save_every` steps and at each stage end (LoRA
adapters are merged first); finally save the model and tokenizer to OUT/final.
`fsdp: true` shards the model with FSDP2 and checkpoints per rank (trainer/fsdp.py).
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

from kocorpus.config import ConfigError  # noqa: E402
from trainer import checkpoint as ckpt  # noqa: E402
from trainer import speed  # noqa: E402
from trainer.build import build_model  # noqa: E402  (re-exported: trainer.run.build_model)
from trainer.data import ShardStream, check_compatible, collate, read_manifest  # noqa: E402
from trainer.eval.kobest import run_kobest  # noqa: E402
from trainer.eval.ppl import encode_set, evaluate, load_texts  # noqa: E402
from trainer.metrics import RunLog, flops_per_token, peak_tflops  # noqa: E402
from trainer.stages import (  # noqa: E402
    TrainConfig,
    add_lora,
    check_files,
    load_config,
    lr_at,
    merge_lora,
    param_groups,
    set_trainable,
)


def stage_steps(stage, cfg: TrainConfig, seq_len: int, world: int) -> int:
    if stage.steps is not None:
        return stage.steps
    return max(1, math.ceil(stage.tokens / (cfg.batch_size * cfg.grad_accum * seq_len * world)))


def stage_position(positions: dict, cfg: TrainConfig, s: int) -> dict:
    """Where stage `s` starts reading: its own saved position (a resume inside it), else — `stage_data: continue`
    — the rows and epochs per label that the stages before it consumed, else the first row."""
    if cfg.stages[s].name in positions:
        return positions[cfg.stages[s].name]
    start: dict = {"rows": {}, "epochs": {}}
    if cfg.stage_data == "continue":
        for earlier in (positions[st.name] for st in cfg.stages[:s] if st.name in positions):
            for key in start:  # per label, the latest stage that read it
                start[key].update(earlier.get(key, {}))
    return start


def trackers(cfg: TrainConfig) -> list[str]:
    """The configured trackers; a requested one that is not installed fails at start-up."""
    from accelerate.utils import is_tensorboard_available, is_wandb_available

    available = {"tensorboard": is_tensorboard_available, "wandb": is_wandb_available}
    for name in cfg.report_to:
        if not available[name]():
            raise ConfigError(f"report_to: {name} is not installed (pip install {name})")
    return list(cfg.report_to)


def train(cfg: TrainConfig, resume: str | None = None, stop_after: int | None = None) -> dict:
    """Run (or continue) the stages; returns the final state. `stop_after`: stop after this many optimizer steps
    in this invocation (a checkpoint is written) — for tests of resuming."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed

    from kocorpus.config import to_dict
    from kocorpus.tokens.base import load_hf
    from kocorpus.tokens.shards import tokenizer_hash

    out = Path(cfg.output)
    # without CUDA, `accelerate launch --multi_gpu --num_processes N` must still form N gloo CPU processes
    accelerator = Accelerator(gradient_accumulation_steps=cfg.grad_accum, mixed_precision=cfg.mixed_precision,
                              cpu=not torch.cuda.is_available(), log_with=trackers(cfg) or None,
                              project_dir=str(out / "tensorboard"), dynamo_plugin=speed.dynamo_plugin(cfg))  # fmt: skip
    set_seed(cfg.seed)
    tokenizer = load_hf(cfg.tokenizer)
    manifest = read_manifest(cfg.shards)
    seq_len = int(manifest["seq_len"])
    if cfg.seq_len is not None and cfg.seq_len != seq_len:
        raise ConfigError(
            f"seq_len: {cfg.seq_len}, but the shards have {seq_len}-token rows (re-run kocorpus tokenize)"
        )
    model, new_ids = build_model(cfg)
    chosen = speed.prepare_model(model, cfg, accelerator.device.type, accelerator.print)
    flat = chosen["attn_implementation"] == "flash_attention_2" and cfg.document_masking  # varlen FA2: one row
    check_compatible(
        manifest, tokenizer_hash(tokenizer.backend_tokenizer), model.get_input_embeddings().weight.shape[0]
    )
    eval_sets = [encode_set(name, load_texts(path, cfg.eval.max_docs, cfg.eval.max_chars), tokenizer, seq_len)
                 for name, path in cfg.eval.sets.items()]  # fmt: skip
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
        if state["stage_step"] == 0 and not cfg.fsdp:  # a stage boundary: plain weights; mid-stage: in the stage
            ckpt.restore(resume_path, accelerator, model)
        accelerator.print(f"resumed from {resume_path}: stage {state['stage']}, step {state['step']}")
    log = RunLog(accelerator, out, to_dict(cfg))
    n_params = sum(p.numel() for p in model.parameters())
    flops_tok, peak = flops_per_token(model, seq_len), peak_tflops(cfg.peak_tflops)

    def run_eval(stage_name: str, kobest: bool = True) -> None:
        if eval_sets:
            log.eval(state["step"], stage_name, evaluate(model, eval_sets, cfg.eval.batch_size, accelerator))
        kb = cfg.eval.kobest
        if kobest and kb.data:
            results = run_kobest(model, tokenizer, kb.data, kb.tasks, kb.split, kb.shots, kb.limit,
                                 batch_size=kb.batch_size, accelerator=accelerator)  # fmt: skip
            log.eval(state["step"], stage_name, {f"kobest_{t}": m for t, m in results.items()})
            model.train()

    if (eval_sets or cfg.eval.kobest.data) and cfg.eval.at_start and state["step"] == 0:
        run_eval("start")
    row_log = open(out / f"rows_rank{accelerator.process_index}.jsonl", "a") if cfg.log_rows else None  # noqa: SIM115
    run_steps, last_ckpt = 0, None
    for s in range(state["stage"], len(cfg.stages)):
        stage = cfg.stages[s]
        total = stage_steps(stage, cfg, seq_len, accelerator.num_processes)
        model = accelerator.unwrap_model(model)
        accelerator.free_memory()
        resuming = resume_path is not None and state["stage_step"] > 0
        handles, row_mask = [], None
        if cfg.fsdp:  # sharded; a stage boundary goes through the stage-end checkpoint (trainer/fsdp.py)
            from trainer.fsdp import prepare_stage

            model, optimizer, row_mask = prepare_stage(model, stage, cfg, new_ids, accelerator,
                                                       resume_path or last_ckpt, resuming,
                                                       restore_rng=lambda p: ckpt.restore_rng(p, accelerator))  # fmt: skip
        else:
            if "lora" in stage.trainable:
                model = add_lora(model, stage.lora)
            handles = set_trainable(model, stage, new_ids)
            optimizer = torch.optim.AdamW(param_groups(model, cfg.weight_decay, cfg.no_decay_embeddings), lr=stage.lr)
            if resuming:
                ckpt.restore(resume_path, accelerator, model)
            model, optimizer = accelerator.prepare(model, optimizer)
        teacher = None
        if stage.distill:
            from trainer.distill import distill_loss, load_teacher

            teacher = load_teacher(stage.distill.teacher, tokenizer_hash(tokenizer.backend_tokenizer),
                                   accelerator.unwrap_model(model).get_input_embeddings().weight.shape[0],
                                   accelerator.device)  # fmt: skip
        if resuming and not cfg.fsdp:
            ckpt.restore_optimizer(resume_path, accelerator, optimizer)
        resume_path = None
        stream = ShardStream(manifest, stage.mixture, accelerator.process_index, accelerator.num_processes,
                             position=stage_position(positions, cfg, s), split=cfg.data_split)  # fmt: skip
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
                rows, taken = [], []
                for _ in range(cfg.batch_size):
                    rows.append(stream.next_row())
                    taken.append(stream.last)
                if row_log:
                    row_log.write(json.dumps(taken) + "\n")
                    row_log.flush()
                batch = collate(rows, 0, cfg.document_masking)
                batch = {
                    k: v.to(accelerator.device) for k, v in (speed.flatten_packed(batch) if flat else batch).items()
                }
                with accelerator.accumulate(model):
                    output = model(**batch, use_cache=False)  # with a KV cache packed documents would see each other
                    loss = output.loss
                    if teacher is not None:
                        with torch.no_grad():
                            t_logits = teacher(
                                input_ids=batch["input_ids"], position_ids=batch.get("position_ids"), use_cache=False
                            ).logits
                        loss = distill_loss(output.logits, t_logits, batch["labels"], stage.distill.alpha,
                                            stage.distill.temperature, ce=output.loss)  # fmt: skip
                    accelerator.backward(loss)
                    if row_mask is not None:
                        row_mask.apply()
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
                tps = step_tokens / (time.perf_counter() - t0)
                log.step({"step": state["step"], "stage": stage.name, "stage_step": state["stage_step"],
                          "loss": mean_loss, "lr": lr, "grad_norm": scalar(grad_norm),
                          "tokens": state["tokens"], "tokens_per_s": round(tps, 1),
                          "tflops_per_s": float(f"{flops_tok * tps / 1e12:.4g}"),
                          "mfu": flops_tok * tps / (peak * 1e12 * accelerator.num_processes) if peak else None})  # fmt: skip
            if state["stage_step"] >= total:
                break
            if cfg.eval.every and state["step"] % cfg.eval.every == 0:
                run_eval(stage.name, kobest=False)
            stopping = stop_after is not None and run_steps >= stop_after
            if (cfg.save_every and state["step"] % cfg.save_every == 0) or stopping:
                positions[stage.name] = stream.state()
                ckpt.save(accelerator, out, model, optimizer, state, positions)
            if stopping:
                log.close()
                return state
            t0 = time.perf_counter()
        del teacher
        for h in handles:
            h.remove()
        if cfg.fsdp:
            from trainer.fsdp import merge_lora_sharded

            merge_lora_sharded(model)
        else:
            model = merge_lora(accelerator.unwrap_model(model))
        positions[stage.name] = stream.state()
        state.update(stage=s + 1, stage_step=0)
        accelerator.print(f"== stage {stage.name} done at step {state['step']} ({state['tokens']:,} tokens)")
        run_eval(stage.name)
        last_ckpt = ckpt.save(accelerator, out, model, optimizer, state, positions)
        if stop_after is not None and run_steps >= stop_after:
            log.close()
            return state
    final = out / "final"
    if cfg.fsdp and resume_path is not None and last_ckpt is None:  # resumed at the last stage-end checkpoint
        from trainer.fsdp import load, shard

        model = shard(model, accelerator.device, cfg.mixed_precision)
        load(resume_path, model)
    if cfg.fsdp:
        from trainer.fsdp import save_final

        save_final(model, final, accelerator)  # the one full gather of the weights
    else:
        final_state = accelerator.get_state_dict(model)
        if accelerator.is_main_process:
            accelerator.unwrap_model(model).save_pretrained(str(final), state_dict=final_state)
    if accelerator.is_main_process:
        tokenizer.save_pretrained(str(final))
        accelerator.print(f"model + tokenizer: {final}")
    accelerator.wait_for_everyone()
    log.close()
    return state


def scalar(x) -> float | None:
    """A float of a tensor, a DTensor (FSDP gradient norm) or None."""
    if x is None:
        return None
    return float(x.full_tensor() if hasattr(x, "full_tensor") else x)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--resume", help="'latest', 'auto' (latest if there is one, else start) or a checkpoint dir")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config key")
    ap.add_argument("--stop-after", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    cfg = load_config(args.config, args.set)
    check_files(cfg, args.config)  # before the Accelerator starts: missing files are one line, exit 2
    train(cfg, resume=args.resume, stop_after=args.stop_after)
    return 0


if __name__ == "__main__":
    from kocorpus.errors import run_cli

    sys.exit(run_cli(main))
