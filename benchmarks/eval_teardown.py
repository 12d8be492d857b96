"""How often a two-process `accelerate launch -m trainer.eval kobest` run fails (the gloo teardown abort that
`trainer.eval.__main__.exit_process` prevents): the same command as tests/trainer/test_kobest.py, on the same tiny
random model and KoBEST fixture, repeated; prints runs, failures and how many of them were SIGABRT.

  .venv/bin/python benchmarks/eval_teardown.py --runs 60
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def tiny_model(root: Path) -> None:
    """The test's model: a 500-token BPE on tests/data/ko_small.jsonl and a 2-layer, 32-wide random Llama."""
    import json

    from kocorpus.tokens.base import load_hf
    from kocorpus.tokens.train import save_hf, train_bpe
    from trainer.model_init import random_init

    lines = (REPO / "tests" / "data" / "ko_small.jsonl").read_text(encoding="utf-8").splitlines()
    save_hf(train_bpe([json.loads(line)["text"] for line in lines if line.strip()], 500), root)
    model = random_init({"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                         "num_key_value_heads": 2, "max_position_embeddings": 2048,
                         "vocab_size": len(load_hf(root))})  # fmt: skip
    model.save_pretrained(root)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    launcher = Path(sys.executable).parent / "accelerate"
    failed = aborted = 0
    with tempfile.TemporaryDirectory() as tmp:
        tiny_model(Path(tmp))
        cmd = [str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
               "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "trainer.eval", "kobest",
               "--model", f"tiny={tmp}", "--data", str(REPO / "tests" / "data" / "kobest"),
               "--tasks", "copa,hellaswag,sentineg", "--shots", "1", "--batch-size", "4"]  # fmt: skip
        for i in range(args.runs):
            r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
            if r.returncode:
                failed += 1
                aborted += "SIGABRT" in r.stderr
                print(f"run {i + 1}: exit {r.returncode}", file=sys.stderr, flush=True)
    print("| runs | failed | of them SIGABRT |\n|---:|---:|---:|")
    print(f"| {args.runs} | {failed} | {aborted} |")


if __name__ == "__main__":
    main()
