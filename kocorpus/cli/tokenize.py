"""`kocorpus tokenize`: tokenized Parquet shards of packed sequences + manifest.json, on datatrove's executors."""

import argparse
import hashlib
import json
from pathlib import Path

from kocorpus.cli.executor_args import add_arguments as add_executor_arguments
from kocorpus.cli.executor_args import options as executor_options
from kocorpus.errors import UserError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tokenize",
        help="pack kept documents into seq_len token rows (Parquet shards + manifest.json)",
        description="Each --input is a folder of kept Parquet (OUT/kept), optionally LABEL=PATH; every label "
        "becomes SHARDS/<label>/ and a manifest label. Same input and settings → byte-identical shards.",
    )
    p.add_argument("--input", nargs="+", required=True, metavar="[LABEL=]PATH")
    p.add_argument("--tokenizer", required=True, help="HF tokenizer directory (or tokenizer.json / .gguf / smollm2)")
    p.add_argument("--seq-len", type=int, required=True, help="tokens per row")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="SHARDS")
    p.add_argument("--mix", nargs="*", default=[], metavar="LABEL=WEIGHT",
                   help="repeat each document of LABEL WEIGHT times on average (0.5: half of them)")  # fmt: skip
    p.add_argument("--upsample-by-cluster-size", action="store_true",
                   help="repeat documents by minhash_cluster_size (FineWeb-2 rehydration style: 2→2, 3-4→3, "
                        "5-100→5, >100→1)")  # fmt: skip
    p.add_argument("--stage", default="default", help="stage name recorded in the manifest")
    p.add_argument("--rows-per-shard", type=int, default=16384)
    p.add_argument("--overwrite", action="store_true",
                   help="delete SHARDS first (without it, a re-run resumes the same settings and refuses others)")  # fmt: skip
    add_executor_arguments(p)
    p.set_defaults(handler=handle)


def parse_pairs(items: list[str], what: str, cast=str) -> dict:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UserError(f"{what}: {item!r} is not NAME=VALUE")
        try:
            out[key] = cast(value)
        except ValueError:
            raise UserError(f"{what}: {item!r}: bad value {value!r}") from None
    return out


SETTINGS_FILE = "tokenize.json"


def check_settings(out: Path, settings: dict) -> None:
    """Refuse to mix shards of different settings in one SHARDS directory (completed tasks would be kept, so a
    new --tasks or --seq-len would add or keep rows); the same settings resume."""
    path = out / SETTINGS_FILE
    if path.is_file():
        previous = json.loads(path.read_text(encoding="utf-8"))
        if previous == settings:
            return
        diff = [k for k in sorted(set(previous) | set(settings)) if previous.get(k) != settings.get(k)]
        raise UserError(f"--output {out}: holds shards of different settings ({', '.join(diff)}); use --overwrite "
                        "to start fresh or another --output")  # fmt: skip
    if out.is_dir() and any(out.iterdir()):
        raise UserError(f"--output {out}: exists, is not empty and holds no {SETTINGS_FILE} of `kocorpus tokenize`; "
                        "choose a new or empty directory (or --overwrite shards of an older kocorpus)")  # fmt: skip


def handle(args: argparse.Namespace) -> int:
    import shutil

    from kocorpus.executors import check_can_submit, make_executor, run_stages, tasks_done
    from kocorpus.readers.filtered import FilteredReader
    from kocorpus.tokens.base import check_tokenizer
    from kocorpus.tokens.shards import DEFAULT_UPSAMPLE, TokenizedShardWriter, tokenizer_hash, write_manifest

    inputs = {}
    for item in args.input:
        label, sep, path = item.partition("=") if "=" in item else ("default", "", item)
        if not Path(path).is_dir() or not any(Path(path).glob("*.parquet")):
            raise UserError(f"--input {item}: not a folder of Parquet files (a run's OUT/kept)")
        if label in inputs:
            raise UserError(f"--input {item}: label {label!r} given twice")
        inputs[label] = Path(path).resolve()
    weights = parse_pairs(args.mix, "--mix", float)
    unknown = set(weights) - set(inputs)
    if unknown:
        raise UserError(f"--mix: unknown label(s) {sorted(unknown)}; inputs are {sorted(inputs)}")
    if args.seq_len < 2:
        raise UserError("--seq-len must be ≥ 2")
    if args.rows_per_shard < 1:
        raise UserError("--rows-per-shard must be ≥ 1")
    opts = executor_options(args)
    hf = check_tokenizer(args.tokenizer, "--tokenizer")  # every task loads it: fail here, once, in one line
    if hf.eos_token_id is None:
        raise UserError(f"--tokenizer {args.tokenizer}: has no EOS token (documents are separated by EOS)")
    out = args.output.resolve()
    if out.exists() and not out.is_dir():
        raise UserError(f"--output {out}: exists and is not a directory")
    run_ids = {}
    for label, path in inputs.items():
        run_json = path.parent / "run.json"
        run_ids[label] = hashlib.sha256(run_json.read_bytes()).hexdigest()[:12] if run_json.is_file() else ""
    settings = {
        "inputs": {label: str(path) for label, path in inputs.items()},
        "input_runs": run_ids,
        "tokenizer_hash": tokenizer_hash(hf.backend_tokenizer),
        "seq_len": args.seq_len,
        "mix": {label: weights.get(label, 1.0) for label in inputs},
        "upsample": {str(k): v for k, v in DEFAULT_UPSAMPLE.items()} if args.upsample_by_cluster_size else None,
        "stage": args.stage,
        "rows_per_shard": args.rows_per_shard,
        "tasks": args.tasks,
    }
    if args.overwrite and out.is_dir() and any(out.iterdir()):
        if not (out / SETTINGS_FILE).is_file() and not (out / "manifest_parts").is_dir():
            raise UserError(f"--output {out}: not a shards directory; refusing to delete it")
    else:
        check_settings(out, settings)
    labels = list(inputs)
    check_can_submit(
        opts, lambda: not args.overwrite and all(tasks_done(out / "logs" / lb, args.tasks) for lb in labels)
    )
    if args.overwrite and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    run_id = "".join(run_ids.values())
    stages = []
    for label, path in inputs.items():
        block = TokenizedShardWriter(str(out), str(args.tokenizer), args.seq_len, label=label, stage=args.stage,
                                     weight=weights.get(label, 1.0),
                                     upsample=DEFAULT_UPSAMPLE if args.upsample_by_cluster_size else None,
                                     rows_per_shard=args.rows_per_shard, run_id=run_id)  # fmt: skip
        stages.append(make_executor([FilteredReader(str(path)), block], out / "logs" / label, opts,
                                    depends=stages[-1] if stages else None))  # fmt: skip
    scripts = run_stages(stages, opts, out / "logs", chained=False)  # labels are independent
    if opts.kind == "slurm" and any(s.get_incomplete_ranks() for s in stages):
        for script in scripts:
            print(f"sbatch script: {script}")
        print("dry run: nothing submitted" if opts.dry_run else
              "submitted; run the same command again when the jobs have finished to write manifest.json")  # fmt: skip
        return 0
    manifest = write_manifest(out)
    print(json.dumps({k: v for k, v in manifest.items() if k != "shards"}, indent=1))
    print(f"manifest: {out / 'manifest.json'} ({len(manifest['shards'])} shards)")
    return 0
