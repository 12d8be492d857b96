"""Read WARC / WET files you did not write (other tools' test files, real crawls) and account for every record.

For each file: WARC records per type, documents, rejected breaks (offset and error), and whether
read == documents + rejected. Never crashes on a file; a reader exception is printed as CRASH.

    python benchmarks/warc_files_check.py DIR_OR_FILES...     # e.g. a checkout's test/data/ of warcio
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kocorpus.inputs import detect_format  # noqa: E402
from kocorpus.readers import ReaderConfig, WarcRecordReader, WetRecordReader  # noqa: E402


def check(path: Path) -> str:
    fmt = detect_format(path.name)
    if fmt not in ("warc", "wet"):
        return f"| {path.name} | (not a .warc/.wet name: skipped) | | | |"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        shutil.copy(path, folder / path.name)
        cls = WarcRecordReader if fmt == "warc" else WetRecordReader
        reader = cls(str(folder), str(Path(tmp) / "rejected"), ReaderConfig(), progress=False)
        try:
            docs = list(reader.run(rank=0, world_size=1))
        except Exception as e:  # a reader bug: report it, go on with the next file
            return f"| {path.name} | CRASH {type(e).__name__}: {e} | | | |"
        rejects = [json.loads(line) for p in Path(tmp).glob("rejected/*.jsonl") for line in p.open()]
    stats = {k: v.total for k, v in reader.stats.stats.items()}
    types = ", ".join(f"{k[13:]} {v}" for k, v in sorted(stats.items()) if k.startswith("warc_records_"))
    breaks = "; ".join(f"@{r['offset']} {r['error'][:60]}" for r in rejects) or "-"
    ok = stats.get("read", 0) == len(docs) + len(rejects)
    return f"| {path.name} | {types} | {len(docs)} | {breaks} | {'ok' if ok else 'MISMATCH'} |"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    files = []
    for arg in argv:
        p = Path(arg)
        files += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    print("| file | WARC records per type | documents | rejected breaks | read = documents + rejected |")
    print("|---|---|---:|---|---|")
    for f in files:
        print(check(f))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
