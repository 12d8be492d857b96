"""Scale benchmark: the same corpus at 1×, 4×, 16× through `korean_web` and `korean_web_fast`, 1 and 2 workers.

The 1× corpus is the first `--base-mb` MB of text of every ``*.jsonl`` in ``--data`` (each file cut to the same
share, so the mix of sources is kept). The k× corpus adds k − 1 copies of every record with distinct ids: a quarter
of them exact copies, the rest lightly edited (3% of eojeols deleted, doubled or swapped with a neighbour; seeded),
so exact and MinHash dedup have real work. Each (pipeline, factor, workers) is one ``run_pipeline`` call (local
executor, tasks = workers) in a fresh spawned process.

Columns: wall (s) of the whole run (filter stage, dedup stages, funnel, DuckDB store); CPU (s) = user + system time
of the run and every worker process (on a shared machine wall time measures the neighbours too; CPU time is what a
core-hour costs); docs/s/core and MB/s/core = input ÷ CPU s (MB = 1e6 bytes of UTF-8 text); peak RSS (MB) =
ru_maxrss of the process + its largest child (an upper bound: with 2 workers datatrove forks a Manager process for
every stage, whose RSS counts the parent's pages again; with 1 worker no child runs); peak PSS (MB) = the largest sum of proportional set sizes of the run's
process tree, sampled every 0.02 s from the benchmark's own process (shared pages counted once; what the machine
must hold); stage walls (s): filter, each dedup family (url, exact, minhash,
lines: all its stages), store; filter CPU (s): CPU time of the filter stage (1 worker only: tasks run in-process);
analyze (s): the analysis step's time (datatrove's per-step `time` in logs/stats.json, model loading excluded);
filter÷an: filter-stage CPU ÷ analyze (the whole filter chain against its analyzer pass, start-up included);
steps÷an: the same with only the time datatrove measured inside the blocks (reader … kept writer), and below the
table its floor if every block but the analysis and the two fasttext ones (language ID, quality classifier) cost
nothing; core-h/TB = CPU s ÷ MB × 1e6 ÷ 3600, the extrapolated cost of one TB of text at this
size (model loading included: at small sizes it dominates); the marginal cost between the smallest and largest
factor (ΔCPU ÷ ΔMB) excludes it. Then the ratios the targets are about (fast vs
kiwi docs/s per core, RSS and per-MB cost at the largest factor vs 1×) and the decision agreement between the two
pipelines: the share of input records with the same outcome (kept, or removed by the same step) at each factor.
On a shared machine the speed of one run varies (up to 1.2× between back-to-back runs here): `--repeat N` runs every
configuration N times, interleaved; the table shows the run with the median CPU time and the fast ÷ kiwi ratio
also the spread of the N back-to-back pairs.

    .venv/bin/python benchmarks/scale.py                          # full: --base-mb 0.5, factors 1 4 16
    .venv/bin/python benchmarks/scale.py --base-mb 0.05 --factors 1 4 --workers 1   # a short check (~2 min)
    .venv/bin/python benchmarks/scale.py --data ../shared/data/korean --base-mb 0.25 --factors 1 16 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from pipeline_throughput import SAMPLE_DATA, SHARED_DATA, _stop_forkserver, input_bytes  # noqa: E402

MB = 1e6
FAMILIES = ("url", "exact", "minhash", "line")
FASTTEXT_BLOCKS = ("Language ID", "Quality classifier")  # fasttext predictions on every document they see


@dataclass
class Result:
    pipeline: str
    factor: int
    workers: int
    docs: int
    mb: float
    wall_s: float
    cpu_s: float
    """user + system CPU seconds of the run (the process and every worker it started)."""
    peak_rss_mb: float
    peak_pss_mb: float
    """largest sampled Σ PSS of the run's process tree (MB)."""
    identity_ok: bool
    stage_s: dict[str, float] = field(default_factory=dict)
    """filter, url, exact, minhash, line, store → wall seconds."""
    outcome: dict[str, str] = field(default_factory=dict)
    """id → kept | removed:<step> (filled for workers == 1 only)."""
    steps: dict[str, float] = field(default_factory=dict)
    """block of the filter stage → seconds datatrove timed in it (stats.json `time`, summed over tasks)."""

    @property
    def analyze_s(self) -> float:
        return sum(v for k, v in self.steps.items() if "analysis" in k.lower())

    @property
    def chain_ratio(self) -> float | None:
        """Filter-stage CPU (1 worker: every block, start-up and model loading included) ÷ the analyze step."""
        if not self.analyze_s or "filter_cpu" not in self.stage_s:
            return None
        return self.stage_s["filter_cpu"] / self.analyze_s

    @property
    def steps_ratio(self) -> float | None:
        """Σ per-block seconds of the filter stage (reader … kept writer) ÷ the analyze step."""
        return sum(self.steps.values()) / self.analyze_s if self.analyze_s else None

    @property
    def core_h_per_tb(self) -> float:
        return self.cpu_s / self.mb * 1e6 / 3600


def base_records(data: Path, base_mb: float) -> dict[str, list[bytes]]:
    """file name → its first JSONL lines, every file cut to the same share of `base_mb` MB of text."""
    files = sorted(data.glob("*.jsonl"))
    sizes = {p: input_bytes([p])[1] for p in files}
    total = sum(sizes.values())
    out = {}
    for path in files:
        budget, used, lines = base_mb * MB * sizes[path] / total, 0, []
        for raw in path.read_bytes().split(b"\n"):
            if not raw.strip():
                continue
            try:
                n = len(json.loads(raw)["text"].encode())
            except (ValueError, KeyError, TypeError, AttributeError):
                n = 0  # a malformed record: kept as is (the reader rejects it)
            if used + n > budget and lines:
                break
            lines.append(raw)
            used += n
        out[path.name] = lines
    return out


def edited(text: str, rng: random.Random) -> str:
    """`text` with ~3% of its eojeols deleted, doubled or swapped with the next one (at least one edit)."""
    words = text.split(" ")
    for _ in range(max(1, len(words) * 3 // 100)):
        i = rng.randrange(len(words))
        op = rng.randrange(3)
        if op == 0 and len(words) > 1:
            del words[i]
        elif op == 1:
            words.insert(i, words[i])
        elif i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def write_corpus(base: dict[str, list[bytes]], factor: int, dest: Path, seed: int = 0) -> list[Path]:
    """The k× corpus under `dest` (one file per source file; copies follow their original)."""
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for name, lines in base.items():
        path = dest / name
        with path.open("wb") as f:
            for raw in lines:
                f.write(raw + b"\n")
                try:
                    rec = json.loads(raw)
                    rec["id"], rec["text"]  # noqa: B018
                except (ValueError, KeyError, TypeError):
                    continue  # malformed: once
                for j in range(1, factor):
                    copy = dict(rec, id=f"{rec['id']}~{j}")
                    if rng.random() >= 0.25 and isinstance(rec["text"], str) and rec["text"].strip():
                        copy["text"] = edited(rec["text"], rng)
                    f.write(json.dumps(copy, ensure_ascii=False).encode() + b"\n")
        paths.append(path)
    return paths


def step_seconds(out: Path) -> dict[str, float]:
    """Block name → seconds of the filter stage (its logs/stats.json, datatrove's per-step `time`)."""
    path = out / "logs" / "stats.json"
    if not path.is_file():
        return {}
    return {st["name"]: (st.get("time_stats") or {}).get("total", 0.0) for st in json.loads(path.read_text())}


def outcome(out: Path) -> dict[str, str]:
    """id → 'kept' / 'removed:<step>' of a finished run (from its store)."""
    import duckdb

    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    rows = con.execute("SELECT id, CASE WHEN status = 'removed' THEN 'removed:' || removed_by ELSE status END "
                       "FROM documents").fetchall()  # fmt: skip
    con.close()
    return dict(rows)


def _child(pipeline: str, overrides: list[str], inputs: list[str], out: str, workers: int, want_outcome: bool,
           log: str, conn: Connection) -> None:  # fmt: skip
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    import duckdb  # noqa: F401
    import fasttext  # noqa: F401
    from datatrove.executor import LocalPipelineExecutor

    import kocorpus.stats.store as store
    from kocorpus.executors import ExecutorOptions
    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.runner import run_pipeline

    walls: dict[str, float] = defaultdict(float)
    run = LocalPipelineExecutor.run
    build_store = store.build_store

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def timed_run(self, *a, **k):
        start, cpu_start = time.perf_counter(), cpu()
        try:
            return run(self, *a, **k)
        finally:
            stage = Path(str(self.logging_dir.path)).name
            family = "filter" if stage == "logs" else stage.split("_")[0]
            walls[family] += time.perf_counter() - start
            if workers == 1:  # in-process tasks: the CPU delta is the stage's (pool workers are reaped at the end)
                walls[f"{family}_cpu"] += cpu() - cpu_start

    def timed_store(*a, **k):
        start = time.perf_counter()
        try:
            return build_store(*a, **k)
        finally:
            walls["store"] += time.perf_counter() - start

    LocalPipelineExecutor.run = timed_run
    store.build_store = timed_store
    _, cfg = load_pipeline(pipeline, overrides)
    opts = ExecutorOptions(kind="local", tasks=workers, workers=workers)
    start = time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = r0.ru_utime + r0.ru_stime
    result = run_pipeline(cfg, inputs, Path(out), opts, overwrite=True, progress=False)
    wall = time.perf_counter() - start
    _stop_forkserver()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    kib = me.ru_maxrss + kids.ru_maxrss
    conn.send(
        {
            "wall_s": wall,
            "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime - cpu0,
            "peak_rss_mb": kib * 1024 / MB,
            "docs": result.funnel.read,
            "identity_ok": result.funnel.identity_ok and result.error is None,
            "stage_s": dict(walls),
            "outcome": outcome(Path(out)) if want_outcome else {},
            "steps": step_seconds(Path(out)),
        }
    )
    conn.close()


def measure(pipeline: str, overrides: list[str], files: list[Path], workdir: Path, factor: int, workers: int,
            mb: float) -> Result:  # fmt: skip
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    tag = f"{Path(pipeline).stem}_x{factor}_w{workers}"
    out, log = workdir / f"out_{tag}", workdir / f"{tag}.log"
    args = (pipeline, overrides, [str(p) for p in files], str(out), workers, workers == 1, str(log), send)
    proc = ctx.Process(target=_child, args=args)
    proc.start()
    send.close()
    peak, done = [0.0], threading.Event()
    sampler = threading.Thread(target=_sample_pss, args=(proc.pid, peak, done), daemon=True)
    sampler.start()
    try:
        r = recv.recv()
    except EOFError:
        done.set()
        proc.join()
        raise SystemExit(f"{tag}: run failed (exit {proc.exitcode}); log:\n{log.read_text()[-4000:]}") from None
    done.set()
    proc.join()
    sampler.join()
    return Result(pipeline=Path(pipeline).stem, factor=factor, workers=workers, mb=mb, peak_pss_mb=peak[0], **r)


def _sample_pss(pid: int, peak: list[float], done: threading.Event) -> None:
    """peak[0] = max over samples (every 0.02 s, until `done`) of Σ PSS (MB) of `pid`'s process tree."""
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while True:
        total = 0
        for p in [root, *root.children(recursive=True)]:
            try:
                total += p.memory_full_info().pss
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                pass
        peak[0] = max(peak[0], total / MB)
        if done.wait(0.02) or not root.is_running():
            return


def median_runs(runs: list[Result]) -> list[Result]:
    """Per (pipeline, factor, workers): the run with the median CPU time (the lower middle one of an even count)."""
    groups: dict[tuple, list[Result]] = defaultdict(list)
    for r in runs:
        groups[(r.pipeline, r.factor, r.workers)].append(r)
    return [sorted(g, key=lambda r: r.cpu_s)[(len(g) - 1) // 2] for g in groups.values()]


def paired_ratios(runs: list[Result], kiwi: str, fast: str, factor: int, workers: int) -> list[float]:
    """CPU(kiwi) ÷ CPU(fast) of the i-th run of each at this factor and worker count (run back to back)."""
    a = [r.cpu_s for r in runs if (r.pipeline, r.factor, r.workers) == (kiwi, factor, workers)]
    b = [r.cpu_s for r in runs if (r.pipeline, r.factor, r.workers) == (fast, factor, workers)]
    return [x / y for x, y in zip(a, b, strict=True)]


def agreement(a: dict[str, str], b: dict[str, str], filter_only: bool) -> float:
    """Share of ids with the same outcome; `filter_only`: dedup removals count as kept (the filter decision)."""

    def norm(v: str) -> str:
        return "kept" if filter_only and v.split(":")[-1] in ("url", "exact", "minhash", "line_dedup") else v

    ids = set(a) | set(b)
    return sum(norm(a.get(i, "?")) == norm(b.get(i, "!")) for i in ids) / len(ids) if ids else 1.0


def main() -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = SHARED_DATA if SHARED_DATA.is_dir() else SAMPLE_DATA
    ap.add_argument("--data", type=Path, default=default_data, help=f"folder of *.jsonl (default {default_data})")
    ap.add_argument("--base-mb", type=float, default=0.5, help="MB of text in the 1× corpus (default 0.5)")
    ap.add_argument("--factors", type=int, nargs="+", default=[1, 4, 16], help="corpus sizes (default 1 4 16)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    ap.add_argument("--pipelines", nargs="+", default=["korean_web", "korean_web_fast"])
    ap.add_argument("--set", dest="overrides", action="append", default=[], help="key=value for both pipelines")
    ap.add_argument("--keep", type=Path, default=None, help="keep corpora and outputs here (default: temp)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of every configuration, interleaved; the table "
                    "shows the run with the median CPU time and the ratios their spread (default 1)")  # fmt: skip
    ap.add_argument("--json", type=Path, default=None, help="also write the measurements to this JSON file")
    args = ap.parse_args()
    console = Console(width=230)
    base = base_records(args.data, args.base_mb)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kocorpus_scale_") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for factor in args.factors:
            files = write_corpus(base, factor, workdir / f"corpus_x{factor}")
            docs, size, _ = input_bytes(files)
            console.print(f"{factor}×: {docs:,} records, {size / MB:.2f} MB; load avg {os.getloadavg()[0]:.1f}")
            for _ in range(args.repeat):  # interleaved: a slow spell of the machine hits every pipeline alike
                for workers in args.workers:
                    for pipeline in args.pipelines:
                        results.append(measure(pipeline, args.overrides, files, workdir, factor, workers, size / MB))
    runs = results
    results = median_runs(runs)

    if args.json:
        rows = [{k: v for k, v in vars(r).items() if k != "outcome"} | {"core_h_per_tb": r.core_h_per_tb} for r in runs]
        args.json.write_text(json.dumps(rows, indent=1))
    table = Table(title="scale (MB = 1e6 bytes of text; stage columns: wall s)", box=box.SIMPLE_HEAD)
    cols = ["pipeline", "×", "workers", "docs", "MB", "wall s", "CPU s", "docs/s/core", "MB/s/core", "RSS MB", "PSS MB"]
    cols += ["filter", "filter CPU", "analyze", "filter÷an", "steps÷an", "url", "exact", "minhash", "line", "store"]
    cols += ["core-h/TB"]
    for c in cols:
        table.add_column(c, justify="left" if c == "pipeline" else "right", no_wrap=c == "pipeline")
    for r in results:
        st = [f"{r.stage_s[k]:.1f}" if k in r.stage_s else "-" for k in ("filter", "filter_cpu")]
        st += [f"{r.analyze_s:.1f}", *(f"{x:.2f}" if x is not None else "-" for x in (r.chain_ratio, r.steps_ratio))]
        st += [f"{r.stage_s[k]:.1f}" if k in r.stage_s else "-" for k in (*FAMILIES, "store")]
        table.add_row(r.pipeline, str(r.factor), str(r.workers), f"{r.docs:,}", f"{r.mb:.2f}", f"{r.wall_s:.1f}",
                      f"{r.cpu_s:.1f}", f"{r.docs / r.cpu_s:.1f}", f"{r.mb / r.cpu_s:.3f}",
                      f"{r.peak_rss_mb:.0f}", f"{r.peak_pss_mb:.0f}", *st, f"{r.core_h_per_tb:,.0f}",
                      style=None if r.identity_ok else "red")  # fmt: skip
    console.print(table)

    by = {(r.pipeline, r.factor, r.workers): r for r in results}
    lo, hi = min(args.factors), max(args.factors)
    lines = []
    if len(args.pipelines) == 2:
        kiwi, fast = args.pipelines
        for (p, f, w), r in by.items():
            if p == fast and (kiwi, f, w) in by:
                k = by[(kiwi, f, w)]
                pairs = paired_ratios(runs, kiwi, fast, f, w)
                spread = (
                    f" [{min(pairs):.2f}–{max(pairs):.2f}× over {len(pairs)} interleaved pairs]"
                    if len(pairs) > 1
                    else ""
                )
                lines.append(f"{fast} ÷ {kiwi} docs/s per core at {f}×, {w} worker(s): {k.cpu_s / r.cpu_s:.2f}×{spread} "
                             + (f"(filter stage CPU {k.stage_s['filter_cpu'] / r.stage_s['filter_cpu']:.2f}×)"
                                if w == 1 else ""))  # fmt: skip
                if w == 1:
                    lines.append(f"decisions {kiwi} vs {fast} at {f}×: same outcome for "
                                 f"{agreement(k.outcome, r.outcome, False):.2%} of records (incl. dedup), "
                                 f"{agreement(k.outcome, r.outcome, True):.2%} (filter decisions)")  # fmt: skip
    for p in args.pipelines:
        for w in args.workers:
            if (p, lo, w) in by and (p, hi, w) in by and hi != lo:
                a, b = by[(p, lo, w)], by[(p, hi, w)]
                marginal = (b.cpu_s - a.cpu_s) / (b.mb - a.mb) * 1e6 / 3600
                lines.append(f"{p}, {w} worker(s), {hi}× vs {lo}×: peak RSS {b.peak_rss_mb / a.peak_rss_mb:.2f}×, "
                             f"peak PSS {b.peak_pss_mb / a.peak_pss_mb:.2f}×, "
                             f"CPU per MB {b.cpu_s / b.mb / (a.cpu_s / a.mb):.2f}×; marginal cost (start-up "
                             f"excluded: ΔCPU ÷ ΔMB) {marginal:,.0f} core-h/TB")  # fmt: skip
    for line in lines:
        console.print(line)
    for r in results:  # where the filter stage's time goes, per block, in the largest single-worker runs
        if r.factor == hi and r.workers == 1 and r.steps:
            total = sum(r.steps.values())
            parts = ", ".join(f"{k.split(': ', 1)[-1]} {v:.2f}" for k, v in r.steps.items() if v >= 0.005)
            console.print(
                f"{r.pipeline} {hi}× blocks (s, Σ {total:.1f}; filter-stage CPU {r.stage_s.get('filter_cpu', 0):.1f}): {parts}"
            )
            fasttext = sum(v for k, v in r.steps.items() if any(n in k for n in FASTTEXT_BLOCKS))
            if r.analyze_s and fasttext:
                console.print(
                    f"  floor of steps÷an with every block but the analysis and the fasttext ones ({', '.join(FASTTEXT_BLOCKS)}:"
                    f" {fasttext:.2f} s) free: {(r.analyze_s + fasttext) / r.analyze_s:.2f}"
                )
    console.print(f"load avg after: {os.getloadavg()[0]:.1f} (other processes on the machine skew timings)")


if __name__ == "__main__":
    main()
