"""Bits per character: windows cover every token once, the NLL equals a hand computation, units are right."""

import math

import pytest
import torch
from conftest import DATA, load_jsonl


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from kocorpus.tokens.train import save_hf, train_bpe
    from trainer.model_init import random_init

    texts = [d["text"] for d in load_jsonl(DATA / "ko_small.jsonl")]
    tok_dir = tmp_path_factory.mktemp("tok")
    save_hf(train_bpe(texts, 400), tok_dir)
    from kocorpus.tokens.base import load_hf

    tok = load_hf(tok_dir)
    model = random_init({"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                         "num_key_value_heads": 2, "max_position_embeddings": 64, "vocab_size": len(tok)})  # fmt: skip
    return model.eval(), tok, texts


def test_windows_predict_every_token_exactly_once(tiny):
    from trainer.eval.ppl import encode_set

    _, tok, texts = tiny
    s = encode_set("ko", texts[:3], tok, seq_len=16)
    prefix = tok.bos_token_id if tok.bos_token_id is not None else tok.eos_token_id
    predicted = [t for w in s.windows for t in w[1:]]
    expected = [t for ids in tok(texts[:3], add_special_tokens=False)["input_ids"] for t in ids]
    assert predicted == expected and all(len(w) <= 16 for w in s.windows)
    assert s.n_chars == sum(map(len, texts[:3])) and s.n_bytes == sum(len(t.encode()) for t in texts[:3])
    assert prefix is None or s.windows[0][0] == prefix


def test_nll_matches_a_hand_computation(tiny):
    from trainer.eval.ppl import evaluate, metrics, nll_sums

    model, tok, texts = tiny
    windows = [[5, 17, 3, 99, 42], [7, 8], [11, 12, 13]]
    nll, count = nll_sums(model, windows, batch_size=2, device="cpu")  # padded batches
    by_hand = 0.0
    for w in windows:
        logp = torch.log_softmax(model(input_ids=torch.tensor([w])).logits[0].double(), -1)
        by_hand -= sum(logp[i, w[i + 1]].item() for i in range(len(w) - 1))
    assert count == 4 + 1 + 2 and nll == pytest.approx(by_hand, rel=1e-5)
    m = metrics(nll, count, n_chars=20, n_bytes=50)
    assert m["bits_per_char"] == pytest.approx(by_hand / math.log(2) / 20, rel=1e-5)
    assert m["loss"] == pytest.approx(by_hand / 7, rel=1e-5) and m["bits_per_byte"] < m["bits_per_char"]
    from trainer.eval.ppl import EvalSet

    res = evaluate(model, [EvalSet("x", windows, 3, 20, 50)], batch_size=3)
    assert res["x"]["bits_per_char"] == pytest.approx(m["bits_per_char"], rel=1e-5)


def test_untrained_model_is_near_uniform(tiny):
    """A random model's loss ≈ ln(vocab): the units are nats per token, bits/char = that × tokens/char / ln 2."""
    from trainer.eval.ppl import encode_set, evaluate

    model, tok, texts = tiny
    s = encode_set("ko", texts[:4], tok, seq_len=64)
    r = evaluate(model, [s])["ko"]
    assert r["loss"] == pytest.approx(math.log(len(tok)), rel=0.05)
    assert r["bits_per_char"] == pytest.approx(r["loss"] / r["chars_per_token"] / math.log(2), rel=1e-6)


def test_eval_cli_ppl_table_json_and_generate(tiny, tmp_path, capsys):
    """`python -m trainer.eval ppl` on a saved HF directory: table + JSON equal the library's numbers;
    `--run` adds a training run's eval.jsonl rows; `generate` prints the prompt and a continuation."""
    import json

    from trainer.eval.__main__ import main
    from trainer.eval.ppl import encode_set, evaluate, load_texts

    model, tok, _ = tiny
    model.save_pretrained(tmp_path / "m")
    tok.save_pretrained(tmp_path / "m")
    run = tmp_path / "run"
    run.mkdir()
    (run / "eval.jsonl").write_text(json.dumps({"step": 0, "stage": "start", "set": "ko", "bits_per_char": 9.5}))
    ko = str(DATA / "ko_small.jsonl")
    assert main(["ppl", "--model", f"tiny={tmp_path / 'm'}", "--input", f"ko={ko}", "--max-docs", "3",
                 "--max-chars", "200", "--seq-len", "32", "--json", str(tmp_path / "r.json"), "--run", str(run)]) == 0  # fmt: skip
    got = json.loads((tmp_path / "r.json").read_text())["tiny"]["ko"]
    want = evaluate(model, [encode_set("ko", load_texts(ko, 3, 200), tok, 32)])["ko"]
    assert got["bits_per_char"] == pytest.approx(want["bits_per_char"], rel=1e-5)
    printed = capsys.readouterr().out
    assert "tiny" in printed and "run step 0 (start)" in printed and "9.5000" in printed
    assert main(["generate", "--model", str(tmp_path / "m"), "--prompt", "대한민국", "--max-new-tokens", "3"]) == 0
    assert capsys.readouterr().out.startswith("대한민국")
