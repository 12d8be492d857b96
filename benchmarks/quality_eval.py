"""Precision/recall of the Korean web pipeline's keep/drop decision per category, and of PII masking per type.

Good documents: Korean prose from ../shared/data/korean (news, NLI/STS sentences, essays, textbook) that is
NOT in the bundled sample (the demo quality model was trained on the sample). Informal and mixed web text
(movie reviews, comments, chat, dialect lines, tweets/blogs) is reported too, but not part of the target.
Bad documents, generated from held-out real text with a fixed seed: spam pages (gambling/adult/loan, with
obfuscation), boilerplate-only pages, jamo/emoticon noise, mojibake (generated + the real noise.jsonl
mojibake), word salad (shuffled eojeol), mostly-English pages, code dumps with Korean comments.

Plus the kinds of issue 17 (tests/data/quality_kinds.jsonl, real sentences in generated structure, dev and
held-out splits; benchmarks/make_quality_kinds.py): 개조식 notes, tables, notices, technical prose, gambling
and finance news (good) and loan/gambling/adult ads written as prose (bad).

Every document goes through the blocks of pipelines/korean_web.yaml in order, in this process, twice:
`fineweb2` = FineWeb-2's kor_Hang rules on Kiwi units, Hangul ÷ non-space ≥ 0.3, keyword-only spam and the DEMO
classifier dropping below 0.5 (kocorpus before issue 17), `ours` = the pipeline as configured. The table gives, per kind, the share
handled correctly (good kept, bad dropped) and which steps dropped them. Targets: ≥ 0.97 per kind.
Without the shared collection (or with --kinds-only) only the issue-17 kinds are evaluated.

    python benchmarks/quality_eval.py [--data ../shared/data/korean] [--kinds-only] [--split heldout]
"""

import argparse
import json
import random
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


KINDS = REPO / "tests" / "data" / "quality_kinds.jsonl"


def kinds_set(split: str | None) -> list[dict]:
    """The issue-17 kinds from tests/data/quality_kinds.jsonl (see benchmarks/make_quality_kinds.py)."""
    docs = read(KINDS)
    return [{**d, "label": d["id"].split(":")[0]} for d in docs if split in (None, d["split"])]


def chain(variant: str, overrides: list[str]) -> list[tuple[str, object]]:
    """(step name, block) of the korean_web filter chain, in YAML order. `ours`: as configured; `fineweb2`:
    FineWeb-2's kor_Hang rules on Kiwi units, keyword-only spam and the DEMO classifier dropping below 0.5
    (kocorpus before issue 17). Steps that never drop (morph_stats, pii) are left out."""
    import dataclasses

    from kocorpus.evaluation.fineweb2_baseline import BASELINE_BLOCKS
    from kocorpus.pipeline_config import load_pipeline
    from kocorpus.steps import STEP_TYPES

    _, cfg = load_pipeline("korean_web", overrides)
    out = []
    for step in cfg.steps:
        if not step.enabled or step.name in ("morph_stats", "pii"):
            continue
        config = step.config
        if variant == "fineweb2" and step.name in BASELINE_BLOCKS:
            out.append((step.name, BASELINE_BLOCKS[step.name]()))
            continue
        if variant == "fineweb2" and step.name == "hangul_ratio":
            config = dataclasses.replace(config, of="non_space", min_ratio=0.3)
        if variant == "fineweb2" and step.name == "quality_classifier":
            config = dataclasses.replace(config, threshold=0.5)
        if variant == "fineweb2" and step.name == "spam" and hasattr(config, "prose"):
            config = dataclasses.replace(config, prose=False)
        out.append((step.name, STEP_TYPES[step.name].block(config)))
    return out


def decide(docs: list[dict], steps: list[tuple[str, object]], cache: dict) -> dict[str, tuple[str, str]]:
    """id → ("kept", "") or ("removed", "step:reason"), running the blocks in order in this process
    (text-rewriting steps through run(), filters through filter(); one Kiwi analysis per text, cached)."""
    from datatrove.data import Document
    from datatrove.pipeline.filters.base_filter import BaseFilter

    from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY
    from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer

    alive = [Document(text=d["text"], id=d["id"]) for d in docs]
    outcome: dict[str, tuple[str, str]] = {}
    for name, block in steps:
        if isinstance(block, KiwiAnalyzer):
            todo = [d.text for d in alive if d.text not in cache]
            for i in range(0, len(todo), 64):
                cache.update(zip(todo[i : i + 64], block.analyze(todo[i : i + 64]), strict=True))
            for d in alive:
                d.metadata[ANALYSIS_KEY] = cache[d.text]
            continue
        if not isinstance(block, BaseFilter):  # normalize, boilerplate: rewrite text, may drop empty documents
            before = {d.id for d in alive}
            alive = list(block.run(iter(alive)))
            for doc_id in before - {d.id for d in alive}:
                outcome[doc_id] = ("removed", f"{name}:empty")
            continue
        survivors = []
        for d in alive:
            result = block.filter(d)
            ok, reason = (result, "") if isinstance(result, bool) else result
            if ok:
                survivors.append(d)
            else:
                outcome[d.id] = ("removed", f"{name}:{reason}")
        alive = survivors
    outcome.update({d.id: ("kept", "") for d in alive})
    return outcome


def report(docs: list[dict], outcomes: dict[str, dict[str, tuple[str, str]]]) -> dict:
    """Per kind: share correct (good kept / bad dropped) for each variant, and ours' top dropping steps."""
    from rich.console import Console
    from rich.table import Table

    kinds: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        kinds[d["id"].split("/", 1)[0]].append(d)
    table = Table(title="keep/drop by kind: FineWeb-2 thresholds as shipped vs ours (korean_web)", title_justify="left")
    for col in (
        "kind",
        "docs",
        *[f"{v} correct" for v in outcomes],
        "ours held-out",
        "ours: dropped by",
        "fineweb2: dropped by",
    ):
        table.add_column(col, justify="left" if col in ("kind",) or "by" in col else "right")
    summary = {}
    for kind in sorted(kinds, key=lambda k: (k.split(":")[0] == "bad", k.split(":")[0] == "informal", k)):
        group = kinds[kind]
        label = kind.split(":")[0]
        row = [kind, str(len(group))]
        for variant, outcome in outcomes.items():
            status = [outcome.get(d["id"], ("missing", ""))[0] for d in group]
            correct = sum((s == "kept") == (label != "bad") for s in status) / len(group)
            summary[(variant, kind)] = correct
            row.append(f"{correct:.3f}")
        held = [d for d in group if d.get("split") == "heldout"]
        ours = outcomes["ours"]
        row.append(
            f"{sum((ours[d['id']][0] == 'kept') == (label != 'bad') for d in held) / len(held):.3f}" if held else ""
        )
        for variant in ("ours", "fineweb2"):
            steps = Counter(
                outcomes[variant][d["id"]][1] for d in group if outcomes[variant][d["id"]][0] == "removed"
            ).most_common(3)
            row.append(", ".join(f"{k} {v}" for k, v in steps))
        table.add_row(*row)
    Console(width=200).print(table)
    for variant in outcomes:
        for label in ("good", "informal", "bad"):
            vals = [v for (var, k), v in summary.items() if var == variant and k.split(":")[0] == label]
            if vals:
                print(
                    f"{variant:>9} {label:<8} worst kind {min(vals):.3f}   mean over kinds {sum(vals) / len(vals):.3f}"
                )
    print("targets: every good kind kept ≥ 0.97, every bad kind dropped ≥ 0.97")
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
    ap.add_argument("--kinds-only", action="store_true", help="only the issue-17 kinds (no shared collection needed)")
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="all", help="split of the issue-17 kinds")
    ap.add_argument("--per-category", type=int, default=150, help="generated documents per bad category")
    ap.add_argument("--seed", type=int, default=0, help="random seed")
    ap.add_argument("--pii-n", type=int, default=2000, help="generated PII sentences")
    ap.add_argument("--set", dest="overrides", action="append", default=[], help="override ours: step.key=value")
    args = ap.parse_args()
    docs = kinds_set(None if args.split == "all" else args.split)
    shared = args.data.is_dir() and not args.kinds_only
    if shared:
        docs += build_set(args.data, args.per_category, args.seed)
    else:
        print(f"{args.data}: not used (--kinds-only or not found); only the kinds in {KINDS.relative_to(REPO)}")
    cache: dict = {}
    outcomes = {variant: decide(docs, chain(variant, args.overrides), cache) for variant in ("fineweb2", "ours")}
    report(docs, outcomes)
    if shared:
        pii_report(args.pii_n, args.seed)
        print()
        real_data_report(args.data)


if __name__ == "__main__":
    main()
