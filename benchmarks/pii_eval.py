"""Korean PII masker: recall and wrongly-masked values per type, on our generated set and on the peers' test cases,
plus the PII step's throughput and its share of the korean_web step chain's time.

1. Our set: ``make_pii_eval_set(n, seed)`` (Korean sentences with every masked type in every claimed layout —
   separators, +82/0082/82 prefixes, values wrapped across lines, invisible characters inside and between values,
   post-2020 RRNs, context-named accounts — and decoys: dates, prices, ISBNs, order numbers, versions, section
   numbers, invalid e-mails, product codes, scores, times, postal codes, long digit runs, year ranges, private
   IPs). Targets: recall ≥ 0.99 per type, 0 decoys replaced. `brn` (off by default) is measured with brn=true.
2. The peers' Korean cases (tests/data/pii_peers/, Presidio and ko-pii; see the NOTICE): recall per type on the
   positives and wrongly-masked negatives, judged by the labels kocorpus follows and by the peer's own labels.
   Targets: recall ≥ 0.98 per claimed type, negatives wrongly masked ≤ 3%.
3. Speed: the `pii` step over the bundled sample's documents on one core (docs/s, MB/s of UTF-8 text), and every
   step of pipelines/korean_web.yaml run in one process over the same documents (model loads included), so the
   PII step's share of the chain's time can be read off (target ≤ 5%). Dedup stages and writers are not timed.
4. Real documents (`--real DIR`, default ../shared/data/korean when present): every value masked in them, for
   reading by eye (real text holds few real values; anything else is a false positive).

    python benchmarks/pii_eval.py [--n 2000] [--seed 0] [--set rrn_unverified=cue] [--show 5] [--no-chain]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "kocorpus" / "data" / "sample"


def own_set(overrides: dict, n: int, seed: int, show: int) -> None:
    from kocorpus.evaluation.pii import evaluate_pii, make_pii_eval_set

    examples = make_pii_eval_set(n, seed)
    result = evaluate_pii(overrides, examples)
    brn = evaluate_pii({**overrides, "brn": True}, make_pii_eval_set(max(n // 10, 50), seed, types=("brn",)))
    print(f"\n1. our set: {len(examples):,} examples (seed {seed}), config overrides: {overrides or 'none'}")
    print(f"{'type':<15} {'n':>6} {'recall':>8} {'precision':>10} {'tp':>6} {'fp':>4}")
    rows = list(result["types"].items()) + [("brn (option)", brn["types"]["brn"])]
    for pii_type, r in rows:
        print(f"{pii_type:<15} {r['n']:>6,} {r['recall']:>8.4f} {r['precision']:>10.4f} {r['tp']:>6,} {r['fp']:>4}")
    print(
        f"decoys: {result['decoys'] + brn['decoys']:,}, replaced: {result['decoys_replaced'] + brn['decoys_replaced']}"
    )
    for pii_type, value, text in (result["missed"] + brn["missed"])[:show]:
        print(f"  missed {pii_type} {value!r} in {text!r}")
    for value, text in (result["replaced"] + brn["replaced"])[:show]:
        print(f"  replaced decoy {value!r} in {text!r}")


def peers(overrides: dict, show: int) -> None:
    from kocorpus.evaluation.pii_peers import PEER_FILES, PEERS_DIR, evaluate_peer_cases, load_peer_cases

    print("\n2. peers' cases (positives: values; negatives: texts; 'peer labels' = the peer's own expectation)")
    print(
        f"{'source':<9} {'type':<15} {'n':>4} {'recall':>7} {'neg':>4} {'wrong':>5} | peer labels: n recall neg wrong"
    )
    for source, name in PEER_FILES.items():
        cases = load_peer_cases(PEERS_DIR / name)
        ours = evaluate_peer_cases(cases, overrides)
        theirs = evaluate_peer_cases(cases, overrides, labels="peer")
        totals = [0, 0, 0, 0]
        for t, r in ours["types"].items():
            p = theirs["types"][t]
            rec = f"{r['recall']:.3f}" if r["recall"] is not None else "—"
            prec = f"{p['recall']:.3f}" if p["recall"] is not None else "—"
            print(f"{source:<9} {t:<15} {r['n']:>4} {rec:>7} {r['negatives']:>4} {r['wrongly_masked']:>5} | "
                  f"{p['n']:>4} {prec:>6} {p['negatives']:>4} {p['wrongly_masked']:>4}")  # fmt: skip
            row = (r["n"], r["found"], r["negatives"], r["wrongly_masked"])
            totals = [a + b for a, b in zip(totals, row, strict=True)]
        n, found, neg, wrong = totals
        print(f"{source:<9} {'all':<15} {n:>4} {found / n:>7.3f} {neg:>4} {wrong:>5}  ({wrong / neg:.1%} of negatives)")
        for t, text in (ours["missed"] + ours["masked_negatives"])[:show]:
            print(f"  {t}: {text!r}")


def sample_docs() -> list:
    from datatrove.data import Document

    docs = []
    for path in sorted(SAMPLE.glob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("text"), str) and rec["text"].strip():
                docs.append(Document(text=rec["text"], id=str(rec.get("id", f"{path.name}:{i}"))))
    return docs


def speed(overrides: dict, chain: bool, repeat: int) -> None:
    import copy

    from kocorpus.config import from_dict
    from kocorpus.formatters.pii import KoreanPIIMasker, PIIConfig

    docs = sample_docs()
    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    best = float("inf")
    for _ in range(repeat):
        batch = copy.deepcopy(docs)
        t0 = time.perf_counter()
        list(KoreanPIIMasker(from_dict(PIIConfig, overrides)).run(iter(batch)))
        best = min(best, time.perf_counter() - t0)
    print(
        f"\n3. the pii step on the bundled sample ({len(docs):,} documents, {mb:.2f} MB), one core, best of {repeat}:"
    )
    print(f"   {best:.2f} s = {len(docs) / best:,.0f} docs/s = {mb / best:.2f} MB/s per core")
    if not chain:
        return
    import tempfile

    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.steps import STEP_TYPES

    _, cfg = load_pipeline("korean_web")
    times: dict[str, float] = {}
    batch = copy.deepcopy(docs)
    with tempfile.TemporaryDirectory() as tmp:
        for step in cfg.steps:
            if not step.enabled:
                continue
            step_type = STEP_TYPES[step.name]
            extra = {"stats_folder": tmp} if step_type.writes_stats else {}
            block = step_type.block(step.config, exclusion_writer=None, **extra)
            t0 = time.perf_counter()
            batch = list(block.run(iter(batch), rank=0, world_size=1))
            times[step.name] = time.perf_counter() - t0
    total = sum(times.values())
    print(f"   korean_web steps in one process (model loads included), {total:.1f} s in all:")
    for name, t in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"     {name:<20} {t:>7.2f} s {t / total:>7.1%}")
    print(f"   pii share of the chain: {times['pii'] / total:.1%} (target ≤ 5%)")


def real_documents(folder: Path, overrides: dict) -> None:
    from kocorpus.config import from_dict
    from kocorpus.formatters.pii import PIIConfig, find_pii

    cfg = from_dict(PIIConfig, overrides)
    n, found = 0, []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                text = json.loads(line).get("text")
            except (ValueError, AttributeError):
                continue
            if isinstance(text, str):
                n += 1
                found += [(path.name, sp.type, text[max(0, sp.start - 25) : sp.end + 10]) for sp in find_pii(text, cfg)]
    print(f"\n4. real documents ({n:,} in {folder}): {len(found)} values masked")
    for name, pii_type, context in found:
        print(f"   {name} {pii_type}: {context!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="number of examples to generate (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the example set (default 0)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a PIIConfig field, value read as YAML (e.g. rrn_unverified=cue); repeatable",
    )
    parser.add_argument("--show", type=int, default=5, help="print up to this many misses per part (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs of the pii step; best reported (default 3)")
    parser.add_argument("--no-chain", action="store_true", help="skip timing the korean_web step chain")
    parser.add_argument(
        "--real",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "data" / "korean",
        help="folder of real *.jsonl documents to list masked values of (default ../shared/data/korean; skipped "
        "when absent)",
    )
    args = parser.parse_args(argv)

    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from kocorpus.config import parse_override

    overrides = {}
    for item in args.set:
        keys, value = parse_override(item)
        overrides[".".join(keys)] = value
    own_set(overrides, args.n, args.seed, args.show)
    peers(overrides, args.show)
    speed(overrides, chain=not args.no_chain, repeat=args.repeat)
    if args.real.is_dir():
        real_documents(args.real, overrides)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
