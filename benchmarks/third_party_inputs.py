"""Files we did not write, and broken files no test set has, through `kocorpus run korean_cc`: what became of each.

Inputs: tests/data/third_party (warcio's and jwarc's test WARCs, trafilatura's real pages; NOTICE.md there) and
the files of kocorpus/evaluation/broken_inputs.py, all in one run. Prints per file: records read, kept, removed
(with reasons), rejected, the response/resource records warcio itself finds in that file (`-` not a WARC,
`refuses` when warcio raises), and whether the run crashed; files the run skipped are listed with the reason.

    python benchmarks/third_party_inputs.py [--keep OUT_DIR]
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kocorpus.evaluation import broken_inputs  # noqa: E402

THIRD = ROOT / "tests" / "data" / "third_party"


def warcio_documents(path: Path) -> str:
    """How many response/resource records warcio reads from `path` ("refuses" if it raises)."""
    if not path.name.endswith((".warc", ".warc.gz")):
        return "-"
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        with path.open("rb") as f:
            for rec in ArchiveIterator(f):
                n += rec.rec_type in ("response", "resource")
    except Exception:
        return f"refuses ({n} first)" if n else "refuses"
    return str(n)


def run(inputs: Path, out: Path) -> tuple[int, str]:
    cmd = [sys.executable, "-m", "kocorpus", "run", "korean_cc", "--input", str(inputs), "--output", str(out)]
    proc = subprocess.run([*cmd, "--no-progress", "--overwrite"], capture_output=True, text=True, cwd=ROOT)
    return proc.returncode, proc.stderr[-400:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--keep", type=Path, help="write inputs and the run here instead of a temporary folder")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="third_party_"))
    inputs = work / "in"
    shutil.rmtree(inputs, ignore_errors=True)
    for sub in ("warcio", "jwarc", "trafilatura"):
        shutil.copytree(THIRD / sub, inputs / "third_party" / sub)
    # warcio names its one-member-for-the-whole-file WARC .bad; read it too under a WARC name
    shutil.copy(THIRD / "warcio" / "example-bad.warc.gz.bad", inputs / "third_party" / "warcio" / "example-bad.warc.gz")
    expect = broken_inputs.build(inputs / "built")
    code, err = run(inputs, work / "out")
    crashed: dict[str, str] = {}
    if code != 0:  # find the file(s) that crash the run, one run each
        for f in sorted(p for p in inputs.rglob("*") if p.is_file()):
            rel = str(f.relative_to(inputs))
            c, e = run(f, work / "one")
            if c not in (0, 2):
                crashed[rel] = e.strip().splitlines()[-1] if e.strip() else f"exit {c}"
    import duckdb

    funnel = json.loads((work / "out" / "funnel.json").read_text()) if (work / "out" / "funnel.json").exists() else {}
    counts: dict[str, Counter] = defaultdict(Counter)
    reasons: dict[str, Counter] = defaultdict(Counter)
    if (work / "out" / "corpus.duckdb").exists():
        with duckdb.connect(str(work / "out" / "corpus.duckdb"), read_only=True) as con:
            sql = "select file, status, removed_by, reason, count(*) from documents group by all"
            for file, status, step, reason, n in con.sql(sql).fetchall():
                counts[file][status] += n
                if status == "removed":
                    reasons[file][f"{step}:{reason}"] += n
    skipped = {
        Path(s.split(" (")[0]).resolve(): s.split(" (", 1)[1].rstrip(")") for s in funnel.get("skipped_files", [])
    }
    rows = []
    for f in sorted(p for p in inputs.rglob("*") if p.is_file()):
        rel = str(f.relative_to(inputs))
        c = counts.get(rel, Counter())
        why = ", ".join(f"{r} {n}" for r, n in reasons[rel].most_common(3))
        exp = expect.get(rel.removeprefix("built/"))
        if f.resolve() in skipped:
            why = f"skipped: {skipped[f.resolve()]}"
        read = c["kept"] + c["removed"] + c["rejected"]
        ok = (
            ""
            if exp is None
            else ("ok" if (c["kept"] + c["removed"], c["rejected"]) == (exp.documents, exp.rejected) else "MISMATCH")
        )  # noqa: E501
        rows.append(
            (rel, read, c["kept"], c["removed"], c["rejected"], warcio_documents(f), crashed.get(rel, "no"), ok, why)
        )  # noqa: E501
    head = (
        "file",
        "read",
        "kept",
        "removed",
        "rejected",
        "warcio docs",
        "crash?",
        "expected",
        "removal reasons / note",
    )
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    print(f"\nrun exit {code}; identity read = rejected + removed + kept: {funnel.get('identity_ok')}; "
          f"read {funnel.get('read')}, kept {funnel.get('kept')}, rejected {funnel.get('rejected')}")  # fmt: skip
    if code != 0:
        print(err)
    return 0 if code == 0 and not crashed else 1


if __name__ == "__main__":
    sys.exit(main())
