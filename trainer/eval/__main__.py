"""`python -m trainer.eval SUBCOMMAND`: evaluate models without leaving the toolkit.

  kobest    KoBEST BoolQ/COPA/WiC/HellaSwag/SentiNeg by choice log-likelihood: accuracy, macro-F1 (a table; `--json`)
  ppl       loss, bits per character and per byte of one or more models on held-out texts (a table; `--json`)
  generate  greedy continuation of a prompt

Models: a HF directory (with its tokenizer), a .gguf file, or `smollm2` (the packaged SmolLM2-135M); name them
with `label=PATH`. Runs under `accelerate launch` too (the windows are split over the processes).
"""

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

DEFAULT_KOBEST = Path(__file__).resolve().parents[2] / "kocorpus" / "data" / "kobest"
DEFAULT_SETS = {name: Path(__file__).resolve().parents[2] / "kocorpus" / "data" / "heldout" / f"{name}.jsonl"
                for name in ("ko", "en")}  # fmt: skip


def _named(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        label, _, path = item.rpartition("=")
        out[label or Path(path).name] = path
    return out


def load_model_and_tokenizer(spec: str):
    """(model, tokenizer) of a HF directory, a .gguf or 'smollm2' — fp32 on CPU, bf16 on a GPU."""
    import torch

    from kocorpus.tokens.base import load_hf
    from trainer.model_init import load_base

    dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
    return load_base(spec, dtype=dtype), load_hf(spec)


def cmd_ppl(args) -> int:
    import torch
    from accelerate import Accelerator

    from trainer.eval.ppl import encode_set, evaluate, load_texts, table

    acc = Accelerator(cpu=not torch.cuda.is_available())
    texts = {n: load_texts(p, args.max_docs, args.max_chars) for n, p in (_named(args.input) or DEFAULT_SETS).items()}
    results = {}
    for label, spec in _named(args.model).items():
        model, tok = load_model_and_tokenizer(spec)
        model.to(acc.device)
        sets = [encode_set(n, t, tok, args.seq_len) for n, t in texts.items()]
        results[label] = evaluate(model, sets, args.batch_size, acc)
        del model
    for run in args.run:  # the trainer's own evaluations (OUT/eval.jsonl): before training and at stage ends
        for line in (Path(run) / "eval.jsonl").read_text().splitlines():
            rec = json.loads(line)
            results.setdefault(f"{Path(run).name} step {rec['step']} ({rec['stage']})", {})[rec["set"]] = rec
    if acc.is_main_process:
        print(table(results, "bits_per_char"))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
    acc.end_training()  # destroys the process group (its gloo threads outlive it: see exit_process)
    return 0


def cmd_kobest(args) -> int:
    import torch
    from accelerate import Accelerator

    from trainer.eval.kobest import TASKS, run_kobest, table

    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        from kocorpus.errors import UserError

        raise UserError(f"--tasks: unknown {unknown}; choose from {','.join(TASKS)}")
    acc = Accelerator(cpu=not torch.cuda.is_available())
    results = {}
    for label, spec in _named(args.model).items():
        model, tok = load_model_and_tokenizer(spec)
        model.to(acc.device)
        results[label] = run_kobest(model, tok, args.data, tasks, args.split, args.shots, args.limit, args.seed,
                                    args.batch_size, acc)  # fmt: skip
        del model
    if acc.is_main_process:
        print(table(results))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
    acc.end_training()  # destroys the process group (its gloo threads outlive it: see exit_process)
    return 0


def cmd_generate(args) -> int:
    model, tok = load_model_and_tokenizer(args.model)
    ids = tok(args.prompt, return_tensors="pt")["input_ids"].to(model.device)
    out = model.generate(ids, max_new_tokens=args.max_new_tokens, do_sample=False,
                         repetition_penalty=args.repetition_penalty, pad_token_id=tok.eos_token_id)  # fmt: skip
    print(tok.decode(out[0], skip_special_tokens=True))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trainer.eval", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ppl", help="loss and bits per character on held-out texts")
    p.add_argument("--model", action="append", default=[], metavar="[LABEL=]PATH")
    p.add_argument("--input", action="append", default=[], metavar="[NAME=]PATH",
                   help="JSONL/Parquet/text file or directory (default: the packaged Korean and English held-out sets)")  # fmt: skip
    p.add_argument("--max-docs", type=int, default=32)
    p.add_argument("--max-chars", type=int, default=1500, help="each text is cut to this many characters")
    p.add_argument("--seq-len", type=int, default=1024, help="tokens per evaluation window")
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--json", help="write {model: {set: metrics}} here")
    p.add_argument("--run", action="append", default=[], metavar="OUT",
                   help="add the rows of a training run's OUT/eval.jsonl (give the same --max-docs/--max-chars/"
                   "--seq-len as its eval settings to compare)")  # fmt: skip
    p.set_defaults(func=cmd_ppl)
    k = sub.add_parser("kobest", help="KoBEST by log-likelihood of each choice")
    k.add_argument("--model", action="append", required=True, metavar="[LABEL=]PATH")
    k.add_argument("--data", default=str(DEFAULT_KOBEST),
                   help="KoBEST directory (<Task>/{dev,test}.tsv); default: the packaged 24-row subset")  # fmt: skip
    k.add_argument("--tasks", default="boolq,copa,wic,hellaswag,sentineg")
    k.add_argument("--shots", type=int, default=0)
    k.add_argument("--split", choices=["test", "dev"], default="test")
    k.add_argument("--limit", type=int, help="first N examples per task")
    k.add_argument("--batch-size", type=int, default=8)
    k.add_argument("--seed", type=int, default=1234, help="few-shot sampling seed")
    k.add_argument("--json", help="write {model: {task: metrics}} here")
    k.set_defaults(func=cmd_kobest)
    g = sub.add_parser("generate", help="greedy continuation of a prompt")
    g.add_argument("--model", required=True)
    g.add_argument("--prompt", required=True)
    g.add_argument("--max-new-tokens", type=int, default=40)
    g.add_argument("--repetition-penalty", type=float, default=1.2)
    g.set_defaults(func=cmd_generate)
    args = ap.parse_args(argv)
    return args.func(args)


def exit_process(rc: int) -> NoReturn:
    """Exit with status `rc`; a rank of a multi-process run skips interpreter finalization.

    A gloo worker thread frees the last collective's tensors after the caller's `wait()` returned; their Python
    objects need the GIL, and a thread taking the GIL once finalization has begun is unwound by CPython
    (python/cpython#87135) through that noexcept destructor: `terminate called without an active exception`,
    SIGABRT, and torchrun fails the whole run after the results were written (`benchmarks/eval_teardown.py --runs 40`:
    3 of 40 two-process `kobest` runs before, all SIGABRT; 0 of 40 after; core dump in `ProcessGroupGloo::runLoop` →
    `~AsyncAllgatherWork`). Output is flushed first.
    """
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    sys.exit(rc)


if __name__ == "__main__":
    from kocorpus.errors import run_cli

    exit_process(run_cli(main))
