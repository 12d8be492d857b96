"""KoBEST reference run: SmolLM2-135M base vs after the demo's continual pretraining; prints a table.

  python benchmarks/kobest_reference.py                     # CPU: first --limit test examples per task (minutes)
  python benchmarks/kobest_reference.py --limit 0 --shots 5  # a GPU: the full test sets

Data: ../shared/data/kobest when present (the full KoBEST v1 dev/test files), else the packaged 24-row subset.
The "after" model is `demo_out/train/final` (run `make demo` first); it is skipped when absent. Published numbers
for scale: Polyglot-Ko 1.3B, COPA macro-F1 0.72 at 0-shot (Polyglot-Ko technical report).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    import torch

    from trainer.eval.__main__ import load_model_and_tokenizer
    from trainer.eval.kobest import TASKS, run_kobest, table

    shared = REPO.parent / "shared" / "data" / "kobest"
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(shared if shared.is_dir() else REPO / "kocorpus" / "data" / "kobest"))
    ap.add_argument("--limit", type=int, default=40, help="examples per task (0: all)")
    ap.add_argument("--shots", type=int, default=0)
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    models = {"smollm2-135m base": "smollm2"}
    after = REPO / "demo_out" / "train" / "final"
    if after.is_dir():
        models["after demo CPT"] = str(after)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    results, seconds = {}, {}
    for label, spec in models.items():
        t = time.perf_counter()
        model, tok = load_model_and_tokenizer(spec)
        model.to(device)
        results[label] = run_kobest(model, tok, args.data, args.tasks.split(","), "test", args.shots,
                                    args.limit or None, batch_size=args.batch_size)  # fmt: skip
        seconds[label] = time.perf_counter() - t
        del model
    print(f"\nKoBEST test, {args.shots}-shot, first {args.limit or 'all'} examples per task, data {os.path.relpath(args.data, REPO)}, "
          f"{device}")  # fmt: skip
    print(table(results))
    print("time: " + ", ".join(f"{m} {s:.0f} s" for m, s in seconds.items()))
    print("published for scale: Polyglot-Ko 1.3B COPA macro-F1 0.72 (0-shot)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
