"""KoBEST scoring: prompts match the harness templates, scores equal a hand computation, macro-F1 equals
scikit-learn's definition, few-shot examples never include the evaluated one, the CLI runs in 1 and 2 processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from conftest import DATA, REPO

KOBEST = DATA / "kobest"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from conftest import load_jsonl

    from kocorpus.tokens.base import load_hf
    from kocorpus.tokens.train import save_hf, train_bpe
    from trainer.model_init import random_init

    root = tmp_path_factory.mktemp("kobest_tiny")
    texts = [d["text"] for d in load_jsonl(DATA / "ko_small.jsonl")]
    save_hf(train_bpe(texts, 500), root)
    tok = load_hf(root)
    model = random_init({"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                         "num_key_value_heads": 2, "max_position_embeddings": 2048, "vocab_size": len(tok)})  # fmt: skip
    model.save_pretrained(root)
    return model.eval(), tok, root


def test_prompts_match_the_harness_templates():
    from trainer.eval.kobest import load_task

    copa = load_task(KOBEST, "copa", "dev")[0]
    assert copa.context == "전쟁이 시작되었다. 그래서" and copa.label == 1
    assert copa.choices == ["병사들이 집으로 돌아왔다.", "병사들이 전투에 파견되었다."]
    boolq = load_task(KOBEST, "boolq", "dev")[0]
    assert boolq.context.startswith("구한말, 통영") and " 질문: " in boolq.context and boolq.context.endswith(" 답변: ")
    assert boolq.choices == ["아니오", "예"]
    wic = load_task(KOBEST, "wic", "dev")[0]
    assert wic.context.startswith("문장1: 백제는") and wic.context.endswith("두 문장에서 실정가 같은 뜻으로 쓰였나?")
    assert " 문장2: 지금 회사는" in wic.context and wic.label == 0
    hs = load_task(KOBEST, "hellaswag", "dev")[0]
    assert hs.context.startswith("문장: 모자를 쓴 투수가") and len(hs.choices) == 4
    senti = load_task(KOBEST, "sentineg", "dev")[0]
    assert senti.context == "문장: 만족입니다 긍부정:" and senti.choices == ["부정", "긍정"] and senti.label == 1
    test = load_task(KOBEST, "sentineg", "test")[0]  # test has the negated sentence in Text/Label
    assert test.context == "문장: 택배사 정말 마음에 듬 긍부정:" and test.label == 1
    assert all(
        len(load_task(KOBEST, t, s)) == 4 for t in ("boolq", "copa", "wic", "hellaswag") for s in ("dev", "test")
    )


def test_choice_scores_equal_a_hand_computation(tiny):
    """The score of each choice is log P(" " + choice | context) summed over its tokens; the prediction is the
    argmax; acc_norm divides by the choice's characters."""
    from trainer.eval.kobest import Example, encode_pair, evaluate_task, loglikelihoods

    model, tok, _ = tiny
    ex = Example("x", "문장: 날씨가 좋다", ["맑음", "비가 많이 온다", "흐림", "눈"], label=2)
    requests = [encode_pair(tok, ex.context, " " + c) for c in ex.choices]
    got = loglikelihoods(model, requests, batch_size=3, device="cpu", max_len=2048)
    for (ctx, cont), score in zip(requests, got, strict=True):
        full = torch.tensor([ctx + cont])
        logp = torch.log_softmax(model(input_ids=full).logits[0].double(), -1)
        by_hand = sum(logp[len(ctx) + j - 1, t].item() for j, t in enumerate(cont))
        assert score == pytest.approx(by_hand, abs=1e-4)
    assert ctx + cont == tok(ex.context + " " + ex.choices[-1], add_special_tokens=False)["input_ids"]
    result = evaluate_task(model, tok, [ex], [], k=0)
    best = max(range(4), key=lambda c: got[c])
    best_norm = max(range(4), key=lambda c: got[c] / len(ex.choices[c]))
    assert result["acc"] == float(best == 2) and result["acc_norm"] == float(best_norm == 2) and result["n"] == 1


def test_encode_pair_moves_trailing_space_to_the_continuation(tiny):
    from trainer.eval.kobest import encode_pair

    _, tok, _ = tiny
    ctx, cont = encode_pair(tok, "질문: 맞나? 답변: ", " 예")
    assert tok.decode(ctx) == "질문: 맞나? 답변:" and tok.decode(cont) == "  예"


@pytest.mark.parametrize(("golds", "preds", "expected"), [
    ([0, 0, 1, 1], [0, 1, 1, 1], (2 / 3 + 4 / 5) / 2),  # sklearn f1_score(average="macro") = 0.7333
    ([0, 0], [0, 1], (2 / 3 + 0) / 2),  # a label only predicted counts with F1 0 (sklearn: 0.3333)
    ([1, 1, 1], [1, 1, 1], 1.0),
    ([0, 1, 2, 3], [3, 2, 1, 0], 0.0),
])  # fmt: skip
def test_macro_f1_matches_sklearn(golds, preds, expected):
    from trainer.eval.kobest import macro_f1

    assert macro_f1(golds, preds) == pytest.approx(expected)


def test_fewshot_never_includes_the_evaluated_example():
    import random

    from trainer.eval.kobest import fewshot_prefix, load_task

    pool = load_task(KOBEST, "copa", "dev")
    rng = random.Random(1234)
    for ex in pool:
        prefix = fewshot_prefix(pool, len(pool) - 1, rng, exclude=ex.id)  # every other example
        assert ex.context not in prefix and prefix.count("\n\n") == len(pool) - 1
        others = [e for e in pool if e.id != ex.id]
        assert all(f"{e.context} {e.choices[e.label]}" in prefix for e in others)
    assert fewshot_prefix(pool, 0, rng, None) == ""


def test_kobest_cli_one_and_two_processes(tiny, tmp_path):
    """`python -m trainer.eval kobest` (1-shot) prints the table and JSON; two accelerate processes split the
    examples and give the same numbers."""
    _, _, model_dir = tiny
    args = ["kobest", "--model", f"tiny={model_dir}", "--data", str(KOBEST), "--tasks", "copa,hellaswag,sentineg",
            "--shots", "1", "--batch-size", "4"]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    one = subprocess.run([sys.executable, "-m", "trainer.eval", *args, "--json", str(tmp_path / "one.json")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert one.returncode == 0, one.stderr[-3000:]
    assert "copa" in one.stdout and "acc_norm" in one.stdout
    launcher = Path(sys.executable).parent / "accelerate"
    two = subprocess.run([str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
                          "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "trainer.eval", *args,
                          "--json", str(tmp_path / "two.json")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert two.returncode == 0, two.stderr[-3000:]
    a, b = (json.loads((tmp_path / f).read_text())["tiny"] for f in ("one.json", "two.json"))
    assert a.keys() == b.keys() == {"copa", "hellaswag", "sentineg"}
    for task in a:
        assert a[task]["n"] == b[task]["n"] == 4
        assert a[task] == pytest.approx(b[task])


@pytest.mark.parametrize(("world_size", "atexit_ran"), [("2", False), ("1", True)])
def test_a_rank_exits_with_its_status_and_flushed_output_without_finalizing(world_size, atexit_ran):
    """Under torchrun (WORLD_SIZE > 1) `exit_process` skips finalization, where a gloo thread freeing the last
    collective's tensors aborts the rank, yet keeps the status and everything printed; alone it exits normally."""
    code = ("import atexit; from trainer.eval.__main__ import exit_process; atexit.register(print, 'finalized'); "
            "print('table', end=''); exit_process(3)")  # fmt: skip
    env = dict(os.environ, WORLD_SIZE=world_size)
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and r.stdout.startswith("table")
    assert ("finalized" in r.stdout) is atexit_ran
