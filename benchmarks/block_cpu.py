"""CPU per block of a pipeline's analyzer-free steps, and of whole runs, for one or several versions of the code.

The corpus is benchmarks/scale.py's k× corpus (`--factor`, default 16) of `--base-mb` MB from `--data`. For each
code folder given with `--code` (default: this checkout), a fresh process (PYTHONPATH = that folder):

- `blocks`: runs the steps before the analysis in order on the corpus once, keeping the texts that enter each,
  then times each step's `filter()` (the pii step: `run()`) on fresh Documents of its inputs: CPU seconds, best of
  `--reps`. The character-class table the Hangul step caches per text is built before timing the later steps, as
  in a run.
- `run`: one whole `kocorpus run` of the pipeline (1 task, 1 worker, filter + dedup + store): CPU seconds.

Versions alternate (A B A B …, `--rounds` times) so that load on a shared machine hits them alike; the table gives
medians. Compare an older commit with: `git archive COMMIT | tar -x -C /tmp/old` then
`--code /tmp/old .` (the old code must have `kocorpus.steps.STEP_TYPES`).

    .venv/bin/python benchmarks/block_cpu.py --data ../shared/data/korean --code /tmp/old . --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _blocks(pipeline: str, files: list[str], reps: int) -> dict[str, float]:
    """step name → best CPU seconds of its filter() over the texts that reach it (this process's code)."""
    from datatrove.data import Document

    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.steps import STEP_TYPES

    _, cfg = load_pipeline(pipeline, [])
    docs = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("text"), str) and rec["text"].strip():
                docs.append(Document(text=rec["text"], id=str(rec.get("id")), metadata={}))
    inputs: dict[str, list[str]] = {}
    blocks = {}
    for step in cfg.steps:
        kind = STEP_TYPES[step.name]
        if not step.enabled:
            continue
        if kind.analyzes:
            break
        block = blocks[step.name] = kind.block(step.config)
        inputs[step.name] = [d.text for d in docs]
        if step.name == "pii":
            docs = list(block.run(iter(docs)))
            continue
        kept = []
        for d in docs:
            result = block.filter(d)
            if result[0] if isinstance(result, tuple) else result:
                kept.append(d)
        docs = kept
    try:
        from kocorpus.text.charclass import doc_classes
    except ImportError:  # older code: no cached table
        doc_classes = None
    seen_hangul = False
    out = {}
    for name, block in blocks.items():
        best = float("inf")
        for _ in range(reps):
            fresh = [Document(text=t, id=str(i), metadata={}) for i, t in enumerate(inputs[name])]
            if seen_hangul and doc_classes is not None:
                for d in fresh:
                    doc_classes(d)
            start = time.process_time()
            if name == "pii":
                for _ in block.run(iter(fresh)):
                    pass
            else:
                for d in fresh:
                    block.filter(d)
            best = min(best, time.process_time() - start)
        out[name] = best
        seen_hangul = seen_hangul or name == "hangul_ratio"
    return out


def _run(pipeline: str, files: list[str], out: str) -> dict[str, float]:
    """{"run": CPU seconds of one whole 1-worker run}."""
    import resource

    from kocorpus.executors import ExecutorOptions
    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.runner import run_pipeline

    _, cfg = load_pipeline(pipeline, [])
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    run_pipeline(cfg, files, Path(out), ExecutorOptions(kind="local", tasks=1, workers=1), overwrite=True,
                 progress=False)  # fmt: skip
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return {"run": r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime}


def _child(args: argparse.Namespace) -> None:
    files = json.loads(Path(args.files).read_text())
    result = (
        _blocks(args.pipeline, files, args.reps) if args.child == "blocks" else _run(args.pipeline, files, args.out)
    )
    print("RESULT " + json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="folder of *.jsonl (default: as benchmarks/scale.py)")
    ap.add_argument("--base-mb", type=float, default=0.25)
    ap.add_argument("--factor", type=int, default=16)
    ap.add_argument("--pipeline", default="pipelines/korean_web_fast.yaml")
    ap.add_argument("--code", nargs="+", default=[str(REPO)], help="code folders to compare (default: this one)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3, help="timings per block per round (best kept)")
    ap.add_argument("--no-run", action="store_true", help="blocks only, no whole runs")
    ap.add_argument("--child", choices=["blocks", "run"], help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return _child(args)

    sys.path.insert(0, str(REPO / "benchmarks"))
    from scale import SAMPLE_DATA, SHARED_DATA, base_records, write_corpus

    data = args.data or (SHARED_DATA if SHARED_DATA.is_dir() else SAMPLE_DATA)
    pipeline = str((REPO / args.pipeline) if not Path(args.pipeline).is_absolute() else args.pipeline)
    results: dict[str, list[dict[str, float]]] = {c: [] for c in args.code}
    with tempfile.TemporaryDirectory(prefix="kocorpus_blocks_") as tmp:
        files = [str(p) for p in write_corpus(base_records(data, args.base_mb), args.factor, Path(tmp) / "corpus")]
        listing = Path(tmp) / "files.json"
        listing.write_text(json.dumps(files))
        for r in range(args.rounds):
            for code in args.code:
                row: dict[str, float] = {}
                for mode in ["blocks"] + ([] if args.no_run else ["run"]):
                    cmd = [sys.executable, __file__, "--child", mode, "--pipeline", pipeline, "--files", str(listing),
                           "--reps", str(args.reps), "--out", str(Path(tmp) / "out")]  # fmt: skip
                    env = dict(os.environ, PYTHONPATH=str(Path(code).resolve()))
                    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=code)
                    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
                    if line is None:
                        raise SystemExit(f"{code} {mode} failed:\n{proc.stderr[-3000:]}")
                    row.update(json.loads(line[7:]))
                results[code].append(row)
                print(f"round {r + 1} {code}: run {row.get('run', float('nan')):.2f} s CPU", flush=True)
    names = list(dict.fromkeys(k for rows in results.values() for row in rows for k in row))
    print(f"\nmedian CPU s over {args.rounds} rounds ({Path(args.pipeline).stem}, {args.factor}× of {args.base_mb} MB)")
    print(f"{'block':22s}" + "".join(f"{Path(c).resolve().name[-14:]:>16s}" for c in args.code))
    for name in names:
        cells = []
        for code in args.code:
            values = [row[name] for row in results[code] if name in row]
            cells.append(f"{statistics.median(values):16.3f}" if values else f"{'-':>16s}")
        print(f"{name:22s}" + "".join(cells))


if __name__ == "__main__":
    main()
