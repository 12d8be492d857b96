"""Vocabulary-expansion recipes side by side: held-out Korean/English bits/char at step 0, after the new-rows stage
and at the end, for the same token budget, with the tokens used and the wall time of each run.

Runs the real trainer (trainer/run.py `train`) once per recipe on the demo's artefacts (after `make demo`, or the
same commands by hand: tokenizer in demo_out/tokenizer_smollm2_ko, shards in demo_out/shards) with the demo config,
overriding only the recipe's keys, and prints one row per recipe plus the base model (no expansion). A row's
`--set` list is the recipe; the demo config's stage lengths can be scaled down with --stage1/--stage2 for a quick
comparison on a loaded machine (compare rows of one run: the machine's speed varies 2–4x).

  .venv/bin/python benchmarks/adaptation.py --init-only --max-new 500 2000    # step 0 of every init method
  .venv/bin/python benchmarks/adaptation.py --training --stage1 12 --stage2 28  # init × what is trained, 40 steps
  .venv/bin/python benchmarks/adaptation.py --curve 100 --every 10            # bits/char vs steps, ± the extension
  .venv/bin/python benchmarks/adaptation.py --stage1 12 --stage2 28 \\
      --recipe mean model.embedding_init=mean --recipe "mean, batch rows" stages.0.new_rows=batch
"""

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_RECIPES = {
    "mean_unigram": ["model.embedding_init=mean_unigram"],
    "mean (RedWhale/EEVE)": ["model.embedding_init=mean"],
    "first": ["model.embedding_init=first"],
    "hewitt": ["model.embedding_init=hewitt"],
    "hewitt_untied": ["model.embedding_init=hewitt_untied"],
    "logprob": ["model.embedding_init=logprob"],
}


LAYERS = "[odd_layers,even_layers]"
OLD_DEMO = ["stages.0.trainable=[new_embeddings]", "stages.0.lr=5e-4", "stages.1.trainable=[all]", "stages.1.lr=5e-5"]
ALL = ["stages.0.trainable=[all]", "stages.0.lr=1e-4", "stages.1.trainable=[all]", "stages.1.lr=1e-4"]
NO_EXPANSION = ["model.new_tokens=null", "tokenizer=smollm2", "shards=demo_out/shards_base"]
TRAINING_RECIPES = {  # --training: the demo's steps of one 512-token row (10% English replay), scaled down with
    # --stage1/--stage2; the init and what is trained differ
    "mean; new rows, then all (old demo)": ["model.embedding_init=mean", *OLD_DEMO],
    "mean_unigram; new rows, then all": ["model.embedding_init=mean_unigram", *OLD_DEMO],
    "mean; all 1e-4": ["model.embedding_init=mean", *ALL],
    "mean_unigram; all 1e-4": ["model.embedding_init=mean_unigram", *ALL],
    "mean; layers": ["model.embedding_init=mean"],
    "mean_unigram; layers (demo)": ["model.embedding_init=mean_unigram"],
    "no expansion; all 1e-4": [*NO_EXPANSION, *ALL],
}


def curve(config: str, steps: int, every: int, max_docs: int, max_chars: int, only: list[str] = ()) -> dict:
    """Korean/English bits/char every `every` steps of a `steps`-step run of the demo recipe (stage 2 lengthened)
    and of the same recipe without the vocabulary extension: {recipe: {step: {set: bits/char}}}."""
    from trainer.stages import load_config

    first = load_config(config).stages[0].steps
    common = [f"stages.1.steps={steps - first}", f"eval.every={every}", f"eval.max_docs={max_docs}",
              f"eval.max_chars={max_chars}"]  # fmt: skip
    out = {}
    for name, sets in (("mean_unigram, demo recipe", []), ("no expansion, demo recipe", NO_EXPANSION)):
        if only and not any(o in name for o in only):
            continue
        run = Path(tempfile.mkdtemp(prefix="curve_"))
        try:
            t0 = time.perf_counter()
            run_recipe(config, common + sets, run)
            points: dict[int, dict] = {}
            for r in map(json.loads, (run / "eval.jsonl").read_text().splitlines()):
                if "bits_per_char" in r:
                    points.setdefault(r["step"], {})[r["set"]] = r["bits_per_char"]
            out[name] = points
            print(f"# {name}: {time.perf_counter() - t0:.0f} s {json.dumps(points)}", flush=True)
        finally:
            shutil.rmtree(run, ignore_errors=True)
    return out


def base_shards(demo: str = "demo_out", out: str = "demo_out/shards_base") -> None:
    """The demo's shards (kept documents + the `en` replay label) with the base tokenizer (no-expansion recipe)."""
    if not (Path(out) / "manifest.json").is_file():
        from kocorpus.cli import main as kocorpus

        kocorpus(["tokenize", "--input", f"{demo}/kept", f"en={demo}/removed/language", "--tokenizer", "smollm2",
                  "--seq-len", "512", "--output", out, "--upsample-by-cluster-size", "--overwrite"])  # fmt: skip


def max_new_recipes(sizes: list[int], demo: str = "demo_out", seq_len: int = 512) -> dict[str, list[str]]:
    """A tokenizer + shards per `--max-new N` (the first N Korean merges of the demo's Korean tokenizer, most
    frequent first) under demo_out/max_new_N, made once; a recipe (mean_unigram) per size."""
    from kocorpus.cli import main as kocorpus

    recipes = {}
    for n in sizes:
        root = Path(demo) / f"max_new_{n}"
        if not (root / "shards" / "manifest.json").is_file():
            kocorpus(["tokenizer", "extend", "--base", "smollm2", "--add", f"{demo}/tokenizer_ko", "--max-new", str(n),
                      "--output", str(root / "tokenizer")])  # fmt: skip
            kocorpus(["tokenize", "--input", f"{demo}/kept", f"en={demo}/removed/language", "--tokenizer",
                      str(root / "tokenizer"), "--seq-len", str(seq_len), "--output", str(root / "shards"),
                      "--upsample-by-cluster-size", "--overwrite"])  # fmt: skip
        recipes[f"mean_unigram, --max-new {n}"] = [f"tokenizer={root / 'tokenizer'}", f"shards={root / 'shards'}",
                                                   f"model.new_tokens={root / 'tokenizer' / 'new_tokens.json'}"]  # fmt: skip
    return recipes


def base_bits(config: str, max_docs: int, max_chars: int) -> dict[str, float]:
    """bits/char of the unexpanded base model with its own tokenizer."""
    from kocorpus.tokens.base import load_hf
    from trainer.eval.ppl import encode_set, evaluate, load_texts
    from trainer.model_init import load_base
    from trainer.stages import load_config

    cfg = load_config(config)
    tok = load_hf(cfg.model.base)
    sets = [encode_set(n, load_texts(p, max_docs, max_chars), tok, 512) for n, p in cfg.eval.sets.items()]
    return {n: r["bits_per_char"] for n, r in evaluate(load_base(cfg.model.base), sets).items()}


def init_only(config: str, recipes: dict[str, list[str]], max_docs: int, max_chars: int) -> dict[str, dict]:
    """Step 0 only: bits/char right after the extension, per recipe (its model.embedding_init), and init time."""
    import copy

    from kocorpus.tokens.base import load_hf
    from trainer.embedding_init import extend_embeddings
    from trainer.eval.ppl import encode_set, evaluate, load_texts
    from trainer.model_init import load_base
    from trainer.stages import load_config

    cfg = load_config(config)
    base = load_base(cfg.model.base)
    results = {}
    for name, overrides in recipes.items():
        rcfg = load_config(config, overrides)
        tok = load_hf(rcfg.tokenizer)
        sets = [encode_set(n, load_texts(p, max_docs, max_chars), tok, 512) for n, p in cfg.eval.sets.items()]
        model = copy.deepcopy(base)
        t0 = time.perf_counter()
        extend_embeddings(model, Path(rcfg.model.new_tokens), rcfg.model.embedding_init, rcfg.shards, tok)
        seconds = time.perf_counter() - t0
        bits = {n: r["bits_per_char"] for n, r in evaluate(model, sets).items()}
        results[name] = {"points": {"start": bits}, "tokens": 0, "seconds": seconds, "stages": ["start", "start"]}
        print(f"# {name}: {json.dumps(results[name])}", flush=True)
    return results


def run_recipe(config: str, sets: list[str], out: Path) -> dict:
    """Train one recipe; returns {point: {set: bits/char}}, tokens, seconds."""
    from trainer.run import train
    from trainer.stages import load_config

    cfg = load_config(config, sets + [f"output={out}", "report_to=[]"])
    t0 = time.perf_counter()
    state = train(cfg)
    seconds = time.perf_counter() - t0
    points: dict[str, dict[str, float]] = {}
    for r in map(json.loads, (out / "eval.jsonl").read_text().splitlines()):
        if "bits_per_char" in r:
            points.setdefault(r["stage"], {})[r["set"]] = r["bits_per_char"]
    return {"points": points, "tokens": state["tokens"], "seconds": seconds, "stages": [s.name for s in cfg.stages]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="trainer/configs/smollm2_ko_demo.yaml")
    ap.add_argument("--recipe", nargs="+", action="append", metavar=("NAME", "KEY=VALUE"),
                    help="a recipe: a name and its --set overrides (repeatable; default: the init methods)")  # fmt: skip
    ap.add_argument("--stage1", type=int, help="steps of the first (new rows) stage")
    ap.add_argument("--stage2", type=int, help="steps of the second stage")
    ap.add_argument("--max-docs", type=int, default=8)
    ap.add_argument("--max-chars", type=int, default=400)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--init-only", action="store_true", help="step 0 only (no training; wall s = init time)")
    ap.add_argument("--training", action="store_true", help="the training recipes (init × what is trained)")
    ap.add_argument("--curve", type=int, metavar="STEPS", help="bits/char vs steps, demo recipe vs no extension")
    ap.add_argument("--every", type=int, default=10, help="--curve: evaluate every N steps")
    ap.add_argument("--only", nargs="+", default=[], help="--curve: only the recipes whose name contains one of these")
    ap.add_argument("--max-new", type=int, nargs="+", default=[],
                    help="also these extension sizes (tokenizer extend --max-new N; mean_unigram)")  # fmt: skip
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(max(1, torch.get_num_threads()))
    recipes = {r[0]: r[1:] for r in args.recipe} if args.recipe else DEFAULT_RECIPES
    if args.training:
        recipes = TRAINING_RECIPES
        base_shards()
    if args.max_new:
        recipes = {**recipes, **max_new_recipes(args.max_new)}
    common = [f"eval.max_docs={args.max_docs}", f"eval.max_chars={args.max_chars}"]
    if args.stage1 is not None:
        common.append(f"stages.0.steps={args.stage1}")
    if args.stage2 is not None:
        common.append(f"stages.1.steps={args.stage2}")
    base = base_bits(args.config, args.max_docs, args.max_chars)
    if args.curve:
        base_shards()
        curves = curve(args.config, args.curve, args.every, args.max_docs, args.max_chars, args.only)
        names = list(curves)
        print(f"{'step':>5}{'tokens':>8}" + "".join(f"{n[:14] + ' ' + s:>20}" for n in names for s in ("ko", "en")))
        print(f"{'base':>5}{'-':>8}" + "".join(f"{base[s]:>20.3f}" for _ in names for s in ("ko", "en")))
        seq = 512  # the demo shards' rows, one per step
        for step in sorted(set().union(*(c.keys() for c in curves.values()))):
            cells = "".join(
                f"{curves[n].get(step, {}).get(s, float('nan')):>20.3f}" for n in names for s in ("ko", "en")
            )
            print(f"{step:>5}{step * seq:>8}{cells}")
        for n in names:
            below = [st for st, p in sorted(curves[n].items()) if p.get("ko", 99) < base["ko"]]
            print(f"# {n}: first evaluated step with Korean below the base: {below[0] if below else 'none'}")
        if args.json:
            Path(args.json).write_text(json.dumps({"base": base, "curves": curves}, indent=1))
        return 0
    results = init_only(args.config, recipes, args.max_docs, args.max_chars) if args.init_only else {}
    for name, sets in recipes.items() if not args.init_only else ():
        out = Path(tempfile.mkdtemp(prefix="adapt_"))
        try:
            results[name] = run_recipe(args.config, common + sets, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        print(f"# {name}: {json.dumps(results[name])}", flush=True)
    sets = sorted(base)
    head = f"{'recipe':<26}" + "".join(f"{s + ' ' + p:>12}" for s in sets for p in ("step0", "stage1", "end"))
    print(head + f"{'tokens':>9}{'wall s':>8}")
    print(f"{'base (no expansion)':<26}" + "".join(f"{base[s]:>12.3f}" * 3 for s in sets) + f"{0:>9}{'-':>8}")
    for name, r in results.items():
        p, (s1, s2) = r["points"], r["stages"][:2] if len(r["stages"]) > 1 else (r["stages"][0], r["stages"][0])
        cells = "".join(f"{p.get(k, {}).get(s, float('nan')):>12.3f}" for s in sets for k in ("start", s1, s2))
        print(f"{name:<26}{cells}{r['tokens']:>9}{r['seconds']:>8.0f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"base": base, "recipes": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
