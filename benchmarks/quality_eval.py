"""Precision/recall of the Korean web pipeline's keep/drop decision per category, and of PII masking per type.

Good documents: Korean prose from ../shared/data/korean (news, NLI/STS sentences, essays, textbook) that is
NOT in the bundled sample (the demo quality model was trained on the sample). Informal and mixed web text
(movie reviews, comments, chat, dialect lines, tweets/blogs) is reported too, but not part of the target.
Bad documents, generated from held-out real text with a fixed seed: spam pages (gambling/adult/loan, with
obfuscation), boilerplate-only pages, jamo/emoticon noise, mojibake (generated + the real noise.jsonl
mojibake), word salad (shuffled eojeol), mostly-English pages, code dumps with Korean comments.

All of them go through the real pipeline (`run_pipeline`, pipelines/korean_web.yaml); the table gives, per
category, the share kept (good) or dropped (bad) and which step dropped them. Targets: ≥ 0.95 of good kept,
≥ 0.95 of bad dropped, PII recall ≥ 0.98 with no decoy replaced.

    python benchmarks/quality_eval.py [--data ../shared/data/korean] [--per-category 150] [--tasks 2]
"""

import argparse
import json
import random
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "korean"
SAMPLE = REPO / "kocorpus" / "data" / "sample"
GOOD_FILES = ["park_news", "nk_news", "klue", "kornli", "korsts", "ud_korean", "jhe"]
# Informal / mixed web text (reported, not in the target): reviews, comments, chat, dialect lines, and
# kiwipiepy_text (tweets and blogs next to wiki paragraphs).
INFORMAL_FILES = ["nsmc", "hate_speech", "chatbot", "kiwi_eval", "kiwipiepy_text"]
BAD_CATEGORIES = ["spam", "boilerplate", "jamo_noise", "mojibake", "word_salad", "foreign", "code_dump"]


def read(path: Path) -> list[dict]:
    # split on \n only: str.splitlines() would also split on U+2028 / U+0085 inside mojibake strings
    return [json.loads(line) for line in path.read_bytes().split(b"\n") if line.strip()]


def build_set(data: Path, per_category: int, seed: int) -> list[dict]:
    """Labelled documents: {"id": "<category>/<n>", "text", "label": good|informal|bad}."""
    from kocorpus.evaluation import quality_synthetic as synthetic
    from kocorpus.evaluation.spam import make_boilerplate_page, make_spam_page

    rng = random.Random(seed)
    in_sample = {d.get("id") for p in SAMPLE.glob("*.jsonl") for d in read_lenient(p)}
    held = {name: [d for d in read(data / f"{name}.jsonl") if d["id"] not in in_sample] for name in GOOD_FILES}
    informal = {name: [d for d in read(data / f"{name}.jsonl") if d["id"] not in in_sample] for name in INFORMAL_FILES}
    korean = [d["text"] for docs in held.values() for d in docs]
    english = [d["text"] for d in read(data / "english.jsonl")]
    code = [d["text"] for d in read(data / "code.jsonl")]
    real_mojibake = [d["text"] for d in read(data / "noise.jsonl") if d["source"].startswith("synthetic-mojibake")]

    out: list[dict] = []
    for name, docs in held.items():
        out += [{"id": f"good:{name}/{d['id']}", "text": d["text"], "label": "good"} for d in docs]
    for name, docs in informal.items():
        pick = rng.sample(docs, min(per_category, len(docs)))
        out += [{"id": f"informal:{name}/{d['id']}", "text": d["text"], "label": "informal"} for d in pick]
    makers = {
        "spam": lambda: make_spam_page(rng),
        "boilerplate": lambda: make_boilerplate_page(rng, ""),
        "jamo_noise": lambda: synthetic.jamo_noise(rng),
        "mojibake": lambda: synthetic.mojibake(rng.choice(korean), rng),
        "word_salad": lambda: synthetic.word_salad(rng.choice(korean), rng),
        "foreign": lambda: synthetic.foreign_page(rng.choice(korean), rng.choice(english), rng),
        "code_dump": lambda: synthetic.code_dump(rng.choice(code), rng.choice(korean), rng),
    }
    for category, make in makers.items():
        texts = [make() for _ in range(per_category)]
        if category == "mojibake":
            texts = real_mojibake + texts[: max(0, per_category - len(real_mojibake))]
        out += [{"id": f"bad:{category}/{i}", "text": t, "label": "bad"} for i, t in enumerate(texts) if t.strip()]
    return out


def read_lenient(path: Path) -> list[dict]:
    docs = []
    for line in path.read_bytes().split(b"\n"):
        try:
            docs.append(json.loads(line))
        except ValueError:
            continue
    return docs


def run(docs: list[dict], tasks: int, workdir: Path) -> dict[str, tuple[str, str]]:
    """id → (status, step) after the real pipeline."""
    import duckdb

    from kocorpus.executors import ExecutorOptions
    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.runner import run_pipeline

    inp = workdir / "in"
    inp.mkdir()
    for shard in range(tasks):
        with open(inp / f"part{shard}.jsonl", "w", encoding="utf-8") as f:
            for d in docs[shard::tasks]:
                f.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
    # dedup off: this measures the keep/drop decisions of the filters (park_news and nk_news are near-duplicates
    # of each other by construction; benchmarks/dedup_eval.py measures dedup)
    _, cfg = load_pipeline("korean_web", ["dedup.minhash.enabled=false"])
    out = workdir / "out"
    opts = ExecutorOptions(kind="local", tasks=tasks, workers=tasks)
    run_pipeline(cfg, [str(inp)], out, opts, overwrite=True, progress=False)
    con = duckdb.connect()
    rows = con.execute(f"SELECT id, 'kept', '' FROM read_parquet('{out}/kept/*.parquet')").fetchall()
    if list((out / "removed").glob("*/*.parquet")):
        rows += con.execute(
            f"SELECT id, 'removed', removed_by || ':' || reason FROM read_parquet('{out}/removed/*/*.parquet')"
        ).fetchall()
    return {i: (status, step) for i, status, step in rows}


def report(docs: list[dict], outcome: dict[str, tuple[str, str]]) -> dict:
    from rich.console import Console
    from rich.table import Table

    by_cat: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in docs:
        by_cat[d["id"].split("/", 1)[0]].append(outcome.get(d["id"], ("missing", "")))
    table = Table(title="keep/drop by category (real pipeline, pipelines/korean_web.yaml)", title_justify="left")
    for col in ("category", "docs", "kept", "dropped", "correct", "top dropping steps"):
        table.add_column(col, justify="left" if col in ("category", "top dropping steps") else "right")
    totals = {"good": [0, 0], "bad": [0, 0], "informal": [0, 0]}
    for cat in sorted(by_cat, key=lambda c: (c.split(":")[0] != "good", c.split(":")[0] == "bad", c)):
        results = by_cat[cat]
        label = cat.split(":")[0]
        kept = sum(s == "kept" for s, _ in results)
        correct = kept if label != "bad" else len(results) - kept
        totals[label][0] += correct
        totals[label][1] += len(results)
        steps = Counter(step.split(":")[0] for s, step in results if s == "removed").most_common(3)
        share = f"{correct / len(results):.3f}"
        table.add_row(
            cat, str(len(results)), str(kept), str(len(results) - kept), share, ", ".join(f"{k} {v}" for k, v in steps)
        )
    Console(width=150).print(table)
    summary = {k: v[0] / v[1] for k, v in totals.items() if v[1]}
    print(
        f"good kept: {summary['good']:.3f} ({totals['good'][0]}/{totals['good'][1]})   "
        f"bad dropped: {summary['bad']:.3f} ({totals['bad'][0]}/{totals['bad'][1]})   "
        f"informal kept: {summary.get('informal', float('nan')):.3f}   targets ≥ 0.95 / ≥ 0.95"
    )
    return summary


def pii_report(n: int, seed: int) -> None:
    from kocorpus.formatters.pii_eval import evaluate_pii, make_pii_eval_set

    result = evaluate_pii(None, make_pii_eval_set(n, seed))
    print(f"\nPII on {n} generated Korean sentences (seed {seed}):")
    print(f"{'type':<10} {'n':>6} {'recall':>8} {'precision':>10}")
    for kind, row in result["types"].items():
        print(f"{kind:<10} {row['n']:>6} {row['recall']:>8.4f} {row['precision']:>10.4f}")
    print(f"decoys: {result['decoys']:,}, replaced: {result['decoys_replaced']}")


def real_data_report(data: Path) -> None:
    """Spam scores of the hand-written fixtures, spam and PII hits on every real document of the collection."""
    from datatrove.data import Document

    from kocorpus.filters.spam import KoreanSpamFilter, SpamConfig
    from kocorpus.formatters.pii import KoreanPIIMasker, PIIConfig

    spam = KoreanSpamFilter(SpamConfig())
    fixtures = REPO / "tests" / "data"
    for name in ("gambling_news", "spam_pages"):
        docs = [Document(text=d["text"], id=str(i)) for i, d in enumerate(read(fixtures / f"{name}.jsonl"))]
        scores = []
        for doc in docs:
            spam.filter(doc)
            scores.append(doc.metadata["spam_score"])
        print(f"spam_score of tests/data/{name}.jsonl ({len(docs)} docs): {min(scores):.2f}–{max(scores):.2f}")
    korean = [d for p in sorted(data.glob("*.jsonl")) if p.stem not in ("english", "code", "noise") for d in read(p)]
    dropped = [d["id"] for d in korean if spam.filter(Document(text=d["text"], id=d["id"])) is not True]
    print(f"spam filter on the {len(korean):,} real Korean documents: {len(dropped)} dropped {dropped[:5]}")
    every = [d for p in sorted(data.glob("*.jsonl")) for d in read(p)]
    masked = [
        (doc.id, doc.metadata["pii_counts"])
        for doc in KoreanPIIMasker(PIIConfig()).run(iter(Document(text=d["text"], id=d["id"]) for d in every))
        if doc.metadata.get("pii_total")
    ]
    print(f"PII masker on all {len(every):,} real documents: {sum(sum(c.values()) for _, c in masked)} values {masked}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the shared Korean *.jsonl")
    ap.add_argument("--per-category", type=int, default=150, help="generated documents per bad category")
    ap.add_argument("--tasks", type=int, default=2, help="pipeline tasks (= workers)")
    ap.add_argument("--seed", type=int, default=0, help="random seed")
    ap.add_argument("--pii-n", type=int, default=2000, help="generated PII sentences")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data}: not found; pass --data (the shared Korean collection)")
    docs = build_set(args.data, args.per_category, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        outcome = run(docs, args.tasks, Path(tmp))
    report(docs, outcome)
    pii_report(args.pii_n, args.seed)
    print()
    real_data_report(args.data)


if __name__ == "__main__":
    main()
