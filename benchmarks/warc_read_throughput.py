"""WARC reading speed: kocorpus's WarcRecordReader (fastwarc + decode_html) vs datatrove's WarcReader (warcio).

Builds a .warc.gz of the demo crawl repeated (`--copies`, new record ids each time; UTF-8 and CP949 pages,
request/metadata records, an image, a 404), then reads it with each reader in this process, best of `--repeat`.
Both readers decode every HTML payload to text; neither extracts. Prints records/s and MB/s (compressed file).

    python benchmarks/warc_read_throughput.py [--copies 300] [--repeat 3]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kocorpus.evaluation.warc_build import demo_records, write_warc  # noqa: E402


def build(folder: Path, copies: int) -> Path:
    records = []
    for i in range(copies):
        records += [r.replace(b"urn:uuid:", f"urn:uuid:{i:05d}".encode()) for r in demo_records()]
    path = folder / "bench.warc.gz"
    write_warc(path, records)
    return path


def time_reader(make, repeat: int) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(repeat):
        reader = make()
        t0 = time.perf_counter()
        n = sum(1 for _ in reader.run(rank=0, world_size=1))
        best = min(best, time.perf_counter() - t0)
    return best, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=300, help="copies of the 13-record demo crawl")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from datatrove.pipeline.readers import WarcReader

    from kocorpus.readers import ReaderConfig, WarcRecordReader

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = build(folder, args.copies)
        mb = path.stat().st_size / 1e6
        rows = []
        for det in ("charset_normalizer", "cchardet"):
            cfg = ReaderConfig(detector=det)
            secs, n = time_reader(
                lambda cfg=cfg: WarcRecordReader(str(folder), str(folder / "rej"), cfg, progress=False), args.repeat
            )
            rows.append((f"kocorpus WarcRecordReader ({det})", n, secs))
        secs, n = time_reader(lambda: WarcReader(str(folder), glob_pattern="*.warc.gz"), args.repeat)
        rows.append(("datatrove WarcReader (warcio)", n, secs))
    print(f"{args.copies * 13:,} WARC records ({mb:.1f} MB gzip), best of {args.repeat}, one process")
    print("| reader | documents | records/s | MB/s | time ratio |")
    print("|---|---|---|---|---|")
    base = rows[0][2]
    for name, n, secs in rows:
        print(f"| {name} | {n:,} | {args.copies * 13 / secs:,.0f} | {mb / secs:.1f} | {secs / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
