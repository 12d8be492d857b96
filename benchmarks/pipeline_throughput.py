"""Throughput of the whole `korean_web` chain (reader → normalize → language → hangul_ratio → writer).

Runs the real ``kocorpus.runner.run_pipeline`` with the local executor on every ``*.jsonl`` of ``--data`` into a
temporary directory, once per ``--workers`` value (``--repeat`` times each, the fastest run is reported).
tasks = min(4 × workers, number of input files): datatrove shards input *files* across tasks, so more tasks
than files would leave tasks idle.

Units: MB = 10**6 bytes. Input size = UTF-8 bytes of the ``text`` field of every record (not the JSON lines).
wall = seconds of the ``run_pipeline`` call (executor start, per-task model load, the tasks, the funnel count),
measured in a fresh spawned process after its imports. docs/s and MB/s = input docs / MB ÷ wall.
Step times are datatrove's per-task ``time_stats.total`` (logs/stats/*.json) summed over tasks, in CPU-task
seconds; the removed/ writers of the filters are timed by no block. Peak RSS = ru_maxrss of RUSAGE_SELF +
RUSAGE_CHILDREN of the measuring process (its own peak + the largest descendant's peak, not a sum over workers).

    .venv/bin/python benchmarks/pipeline_throughput.py [--data DIR] [--workers 1 2] [--repeat 3] [--limit-mb 5]

Web section (`--web`, instead of the above): read + decode + extract of the labelled Korean pages of
kocorpus.evaluation.web_pages from a WARC, per generic extractor, in one process (documents/s per core), against
one Kiwi analysis of the extracted main text (target: extraction ≤ 0.5× Kiwi with the default extractor).

    .venv/bin/python benchmarks/pipeline_throughput.py --web [--web-per-case 2] [--cost-repeats 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from time import perf_counter

from rich import box
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data" / "korean"
SAMPLE_DATA = REPO_ROOT / "kocorpus" / "data" / "sample"
MB = 1e6
TASKS_PER_WORKER = 4


@dataclass
class Measurement:
    """One run_pipeline call."""

    workers: int
    tasks: int
    wall_s: float
    docs_read: int
    identity_ok: bool
    tasks_done: int
    peak_rss_mb: float
    step_s: dict[str, float] = field(default_factory=dict)
    """Seconds per step (reader, <steps>, writer) summed over the tasks' stats files."""


def record_text_bytes(raw: bytes) -> int | None:
    """UTF-8 bytes of the `text` of one JSONL line, or None for a line the reader rejects (bad UTF-8 or JSON)."""
    try:
        text = json.loads(raw.decode("utf-8")).get("text")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return None
    return len(text.encode("utf-8")) if isinstance(text, str) else None


def input_bytes(files: list[Path]) -> tuple[int, int, int]:
    """(records, UTF-8 bytes of their text, malformed records) over JSONL files; records = non-blank lines, the
    reader's `read` count; a malformed record counts as read with 0 bytes."""
    docs = size = bad = 0
    for path in files:
        with path.open("rb") as f:
            for raw in f:
                if raw.strip():
                    docs += 1
                    n = record_text_bytes(raw)
                    size += n or 0
                    bad += n is None
    return docs, size, bad


def limit_inputs(files: list[Path], limit_mb: float, dest: Path) -> list[Path]:
    """Copy the first records of every file into `dest`, each file cut to the same share limit/total of its
    text bytes (so the mix of sources is kept); lines are copied byte for byte."""
    sizes = {p: input_bytes([p])[1] for p in files}
    total = sum(sizes.values())
    if limit_mb * MB >= total:
        return files
    out = []
    for path in files:
        budget = limit_mb * MB * sizes[path] / total
        used = 0
        with path.open("rb") as src, (dest / path.name).open("wb") as dst:
            for raw in src:
                if not raw.strip():
                    continue
                n = record_text_bytes(raw) or 0
                if used + n > budget:
                    break
                dst.write(raw if raw.endswith(b"\n") else raw + b"\n")
                used += n
        out.append(dest / path.name)
    return out


def step_seconds(stats_dir: Path, steps: list[str]) -> dict[str, float]:
    """Sum `time_stats.total` per block over all task stats files; blocks are mapped by position:
    readers (one per input format) → enabled steps in order → the kept writer."""
    totals: dict[str, float] = {}
    for path in sorted(stats_dir.glob("*.json")):
        blocks = json.loads(path.read_text())
        n_readers = sum("READER" in b.get("name", "") for b in blocks)
        names = ["reader"] * n_readers + steps + ["writer"]
        if len(names) != len(blocks):
            names = [b.get("name", f"block{i}") for i, b in enumerate(blocks)]
        for name, block in zip(names, blocks, strict=True):
            times = block.get("time_stats") or 0.0  # a plain number when the block saw no document
            seconds = times.get("total", 0.0) if isinstance(times, dict) else times
            totals[name] = totals.get(name, 0.0) + float(seconds)
    return totals


def cost_ratio(files: list[Path], pipeline: str, repeats: int) -> tuple[float, float, int]:
    """(a) seconds of one analysis (the pipeline's backend) of every record's text, (b) seconds of the whole step chain of
    `pipeline` on the same records, in this process, both after models are loaded; best of `repeats`
    interleaved runs (a, b, a, b …) so machine noise hits both alike. Returns (a, b, characters)."""
    from datatrove.data import Document

    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.steps import STEP_TYPES

    texts = []
    for path in files:
        for line in path.read_bytes().split(b"\n"):
            try:
                text = json.loads(line).get("text")
            except (ValueError, AttributeError):
                continue
            if isinstance(text, str) and text.strip():
                texts.append(text)
    _, cfg = load_pipeline(pipeline)
    enabled = [st for st in cfg.steps if st.enabled]
    blocks = [STEP_TYPES[st.name].block(st.config, exclusion_writer=None) for st in enabled]
    kiwi = next(b for b, st in zip(blocks, enabled, strict=True) if STEP_TYPES[st.name].analyzes)  # kiwi or mecab

    def chain(sample: list[str]) -> None:
        data = (Document(text=t, id=str(i)) for i, t in enumerate(sample))
        for block in blocks:
            data = block.run(data)
        for _ in data:
            pass

    chain(texts[:50])  # load every model (LID, Kiwi, quality classifier) and warm them up
    best_a = best_b = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(0, len(texts), kiwi.config.batch_size):
            kiwi.analyze(texts[i : i + kiwi.config.batch_size])
        best_a = min(best_a, time.perf_counter() - start)
        start = time.perf_counter()
        chain(texts)
        best_b = min(best_b, time.perf_counter() - start)
    return best_a, best_b, sum(map(len, texts))


def _stop_forkserver() -> None:
    """datatrove's pool workers are children of multiprocess's fork server: stop and reap it so that its
    children's peak RSS reaches RUSAGE_CHILDREN of this process."""
    try:
        import multiprocess.forkserver as fs

        fs._forkserver._stop()
    except Exception:  # private API; without it the workers' peak is missing from RUSAGE_CHILDREN
        pass


def _measure(pipeline: str, inputs: list[str], out: str, workers: int, tasks: int, log: str, conn: Connection):
    """Child process body: one run_pipeline call; datatrove's logs go to `log`."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    # Imports first, so that the timed call measures the run and not the interpreter warming up.
    import duckdb  # noqa: F401  (funnel count)
    import fasttext  # noqa: F401
    from datatrove.executor import LocalPipelineExecutor  # noqa: F401

    from kocorpus.executors import ExecutorOptions
    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.runner import run_pipeline

    _, cfg = load_pipeline(pipeline)
    opts = ExecutorOptions(kind="local", tasks=tasks, workers=workers)
    t0 = perf_counter()
    result = run_pipeline(cfg, inputs, Path(out), opts, overwrite=True, progress=False)
    wall = perf_counter() - t0
    _stop_forkserver()
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    funnel = result.funnel
    steps = [s.name for s in cfg.steps if s.enabled]
    conn.send(
        Measurement(
            workers=workers,
            tasks=tasks,
            wall_s=wall,
            docs_read=funnel.read,
            identity_ok=funnel.identity_ok,
            tasks_done=funnel.tasks_done,
            peak_rss_mb=kib * 1024 / MB,
            step_s=step_seconds(Path(out) / "logs" / "stats", steps),
        )
    )
    conn.close()


def measure(pipeline: str, inputs: list[Path], workdir: Path, workers: int, tasks: int, run: int) -> Measurement:
    """One measurement in a fresh spawned process (so peak RSS is of this run alone)."""
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    out = workdir / f"out_w{workers}_r{run}"
    log = workdir / f"run_w{workers}_r{run}.log"
    proc = ctx.Process(
        target=_measure, args=(pipeline, [str(p) for p in inputs], str(out), workers, tasks, str(log), send)
    )
    proc.start()
    send.close()
    try:
        result: Measurement = recv.recv()
    except EOFError:
        proc.join()
        raise SystemExit(f"run failed (exit {proc.exitcode}); log:\n{log.read_text()[-4000:]}") from None
    proc.join()
    return result


def _pad(html: bytes, encoding: str, pad_kb: int) -> bytes:
    """Grow a page towards a real portal page's size: `pad_kb` KB of inline script and a 400-link Korean menu
    (in the page's encoding), inserted after <body>."""
    if not pad_kb:
        return html
    script = b"<script>" + b'var cfg=[1,2,3,"abcdefghij"];' * (pad_kb * 1000 // 28) + b"</script>"
    menu = "".join(f'<li><a href="/c/{i}">메뉴 {i}</a></li>' for i in range(400))
    return html.replace(b"<body>", b"<body>" + script + f'<ul class="menu">{menu}</ul>'.encode(encoding), 1)


def _web_warc(path: Path, per_case: int, pad_kb: int = 0) -> int:
    """Write the evaluation pages as WARC response records (HTTP headers as generated, each page padded by
    `pad_kb` KB, see _pad); returns the page count."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from kocorpus.evaluation.web_pages import generate

    n = 0
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for page in generate(per_case=per_case):
            http = StatusAndHeaders("200 OK", [("Content-Type", page.content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    page.url, "response", payload=BytesIO(_pad(page.html, page.encoding, pad_kb)), http_headers=http
                )
            )
            n += 1
    return n


def _web_pass(warc: Path, extractor: str, timeout_s: float | None, mode: str) -> tuple[float, list[str]]:
    """Seconds to read every response of `warc` (fastwarc), decode it and run the extract step; kept texts."""
    from datatrove.data import Document
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from kocorpus.extractors.extract import ExtractConfig, MainTextExtractor
    from kocorpus.text.decode import decode_html

    block = MainTextExtractor(ExtractConfig(extractor=extractor, timeout_s=timeout_s, time_limit=mode))

    def docs():
        with warc.open("rb") as f:
            for rec in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True):
                payload = rec.reader.read()
                decoded = decode_html(payload, rec.http_headers.get("Content-Type"))
                meta = {"url": rec.headers.get("WARC-Target-URI"), "encoding": decoded.encoding, "format": "html"}
                meta["replacement_chars"] = decoded.replacements
                yield Document(text=decoded.text, id=rec.record_id, metadata=meta)

    start = time.perf_counter()
    texts = [d.text for d in block.run(docs())]
    return time.perf_counter() - start, texts


def web_section(console: Console, per_case: int, repeats: int, pad_kb: int = 0) -> None:
    """Read + decode + extract per extractor vs one Kiwi analysis of the extracted text (one process)."""
    from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer

    with tempfile.TemporaryDirectory(prefix="kocorpus_web_") as tmp:
        warc = Path(tmp) / "pages.warc.gz"
        n = _web_warc(warc, per_case, pad_kb)
        mb = warc.stat().st_size / MB
        runs = [
            ("resiliparse", None, "signal"),
            ("resiliparse", 10.0, "signal"),  # the default
            ("resiliparse", 10.0, "process"),
            ("trafilatura", 10.0, "signal"),
            ("justext", 10.0, "signal"),
        ]
        best: dict[tuple, float] = {}
        texts: list[str] = []
        for run in runs:
            _web_pass(warc, *run)  # warm-up: imports, stoplists
            for _ in range(max(repeats, 1)):
                seconds, out = _web_pass(warc, *run)
                best[run] = min(best.get(run, float("inf")), seconds)
                if run == runs[1]:
                    texts = out
        kiwi = KiwiAnalyzer()
        kiwi.analyze(texts[:5])
        kiwi_s = float("inf")
        for _ in range(max(repeats, 1)):
            start = time.perf_counter()
            for i in range(0, len(texts), kiwi.config.batch_size):
                kiwi.analyze(texts[i : i + kiwi.config.batch_size])
            kiwi_s = min(kiwi_s, time.perf_counter() - start)
    chars = sum(map(len, texts))
    table = Table(
        title=f"web: read WARC ({mb:.1f} MB gz) + decode + extract, {n} pages (+{pad_kb} KB each), best of {repeats}",
        box=box.SIMPLE_HEAD,
    )
    for col in ("extractor", "time limit", "s", "docs/s per core", "× Kiwi time"):
        table.add_column(col, justify="right")
    for (extractor, timeout, mode), seconds in best.items():
        limit = f"{timeout:g} s ({mode})" if timeout else "none"
        table.add_row(extractor, limit, f"{seconds:.2f}", f"{n / seconds:,.0f}", f"{seconds / kiwi_s:.2f}")
    console.print(table)
    console.print(
        f"Kiwi (1 thread) on the {len(texts)} extracted texts ({chars:,} chars): {kiwi_s:.2f} s "
        f"({chars / kiwi_s / 1e3:,.0f}k chars/s); target: default extractor ≤ 0.5× Kiwi"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--web", action="store_true", help="only the web section: read + decode + extract vs Kiwi")
    ap.add_argument("--web-per-case", type=int, default=2, help="web pages per family × charset case (default 2)")
    ap.add_argument("--web-pad-kb", type=int, default=0, help="pad every web page by this many KB (default 0)")
    default_data = SHARED_DATA if SHARED_DATA.is_dir() else SAMPLE_DATA
    ap.add_argument(
        "--data", type=Path, default=default_data, help=f"folder of *.jsonl inputs (default: {default_data})"
    )
    ap.add_argument("--pipeline", default="korean_web", help="pipeline name or YAML path (default: korean_web)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure (default: 1 2)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per worker count; the fastest is reported (default: 1)")
    ap.add_argument("--limit-mb", type=float, default=None, help="cap input at this many MB of text (default: no cap)")
    ap.add_argument(
        "--cost-repeats", type=int, default=2, help="interleaved runs of the Kiwi-vs-chain cost check (0: skip)"
    )
    ap.add_argument("--keep", type=Path, default=None, help="keep run outputs and logs in this folder (default: temp)")
    args = ap.parse_args()
    if args.web:
        web_section(Console(width=120), args.web_per_case, args.cost_repeats, args.web_pad_kb)
        return
    if args.repeat < 1 or any(w < 1 for w in args.workers):
        ap.error("--repeat and --workers must be >= 1")

    files = sorted(args.data.glob("*.jsonl"))
    if not files:
        ap.error(f"--data {args.data}: no *.jsonl files")
    console = Console(width=120)
    with tempfile.TemporaryDirectory(prefix="kocorpus_bench_") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.limit_mb is not None:
            (workdir / "inputs").mkdir(exist_ok=True)
            files = limit_inputs(files, args.limit_mb, workdir / "inputs")
        n_docs, n_bytes, n_bad = input_bytes(files)
        mb = n_bytes / MB
        console.print(
            f"input: {args.data} — {len(files)} files, {n_docs:,} records ({n_bad} malformed), {mb:.2f} MB of text; "
            f"{os.cpu_count()} CPUs, load avg {os.getloadavg()[0]:.2f}"
        )

        best: dict[int, Measurement] = {}
        walls: dict[int, list[float]] = {}
        for workers in args.workers:
            tasks = min(TASKS_PER_WORKER * workers, len(files))
            for run in range(args.repeat):
                m = measure(args.pipeline, files, workdir, workers, tasks, run)
                walls.setdefault(workers, []).append(m.wall_s)
                if not m.identity_ok or m.docs_read != n_docs or m.tasks_done != tasks:
                    console.print(
                        f"[red]warning[/red] workers={workers} run {run}: read {m.docs_read:,} of {n_docs:,} docs, "
                        f"tasks {m.tasks_done}/{tasks}, funnel identity {'ok' if m.identity_ok else 'MISMATCH'}"
                    )
                if workers not in best or m.wall_s < best[workers].wall_s:
                    best[workers] = m

    table = Table(title=f"throughput, best of {args.repeat} (MB = 1e6 bytes of UTF-8 text)", box=box.SIMPLE_HEAD)
    for col in (
        "workers",
        "tasks",
        "docs",
        "MB",
        "wall s",
        "docs/s",
        "MB/s",
        "MB/s/worker",
        "peak RSS MB",
        "all walls s",
    ):
        table.add_column(col, justify="right")
    for workers, m in best.items():
        table.add_row(
            str(workers),
            str(m.tasks),
            f"{m.docs_read:,}",
            f"{mb:.2f}",
            f"{m.wall_s:.2f}",
            f"{m.docs_read / m.wall_s:,.0f}",
            f"{mb / m.wall_s:.2f}",
            f"{mb / m.wall_s / workers:.2f}",
            f"{m.peak_rss_mb:.0f}",
            " ".join(f"{w:.2f}" for w in walls[workers]),
        )
    console.print(table)
    console.print(f"1-min load avg after: {os.getloadavg()[0]:.2f} (other processes on the machine skew timings)")

    steps = list(dict.fromkeys(name for m in best.values() for name in m.step_s))
    table = Table(title="time per step, summed over tasks (datatrove time_stats)", box=box.SIMPLE_HEAD)
    table.add_column("step")
    for workers in best:
        table.add_column(f"w={workers} s", justify="right")
        table.add_column(f"w={workers} %", justify="right")
    for name in steps:
        row = [name]
        for m in best.values():
            total = sum(m.step_s.values())
            s = m.step_s.get(name, 0.0)
            row += [f"{s:.2f}", f"{100 * s / total:.1f}%" if total else "-"]
        table.add_row(*row)
    row = ["Σ steps"]
    for m in best.values():
        row += [f"{sum(m.step_s.values()):.2f}", "100.0%"]
    table.add_row(*row, style="bold")
    row = ["wall × workers"]
    for workers, m in best.items():
        row += [f"{m.wall_s * workers:.2f}", ""]
    table.add_row(*row, style="dim")
    console.print(table)

    if args.cost_repeats:
        a, b, chars = cost_ratio(files, args.pipeline, args.cost_repeats)
        console.print(
            f"cost, in one process, best of {args.cost_repeats}: (a) one analyzer pass alone over all {chars:,} "
            f"characters (1 thread): {a:.2f} s ({chars / a / 1e3:,.0f}k chars/s); (b) the whole step chain of "
            f"{args.pipeline} on the same records: {b:.2f} s; b/a = {b / a:.2f} (target ≤ 1.5)"
        )


if __name__ == "__main__":
    main()
