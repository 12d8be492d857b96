"""Tokenizer training, extension of a byte-level base (the packaged SmolLM2) and of a SentencePiece base, fertility."""

import json
from pathlib import Path

import pytest
from conftest import DATA, REPO, load_jsonl

from kocorpus.cli import main
from kocorpus.tokens.base import load, load_hf
from kocorpus.tokens.evaluate import fertility
from kocorpus.tokens.extend import extend

SAMPLE = REPO / "kocorpus" / "data" / "sample"


@pytest.fixture(scope="module")
def korean_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ko") / "tok"
    args = ["tokenizer", "train", "--input", str(SAMPLE / "klue.jsonl"), str(SAMPLE / "park_news.jsonl")]
    assert main([*args, "--vocab-size", "3000", "--output", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def english() -> list[str]:
    return [d["text"] for d in load_jsonl(DATA / "en_small.jsonl")] + ["The capital of France is Paris.", "e.g. 12"]


@pytest.fixture(scope="module")
def korean_heldout() -> list[str]:
    return [d["text"] for d in load_jsonl(DATA / "ko_small.jsonl")]


def test_trained_tokenizer_loads_in_transformers_and_round_trips(korean_dir, korean_heldout):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(korean_dir))
    assert 2900 <= len(tok) <= 3000 and tok.eos_token == "<|endoftext|>"
    for text in korean_heldout[:10]:
        assert tok.decode(tok(text)["input_ids"]) == text
    assert fertility(tok.backend_tokenizer, korean_heldout).chars_per_token > 1.3


def check_extension(base, ext, out: Path, english: list[str], korean: list[str]) -> dict:
    """Invariants of every extension: base ids kept, English unchanged, new ids appended, sub-token ids exact."""
    vocab = base.get_vocab()
    assert all(ext.token_to_id(t) == i for t, i in vocab.items()), "a base token changed id"
    for text in english:
        assert base.encode(text, add_special_tokens=False).ids == ext.encode(text, add_special_tokens=False).ids
    meta = json.loads((out / "new_tokens.json").read_text())
    ids = [t["id"] for t in meta["tokens"]]
    assert ids == list(range(len(vocab), len(vocab) + len(ids))) and ids
    for t in meta["tokens"][:300]:
        assert ext.token_to_id(t["token"]) == t["id"]
        assert t["base_ids"] and all(i < len(vocab) for i in t["base_ids"])
        assert base.decode(t["base_ids"]) == ext.decode([t["id"]])  # the same text (bytes) in the base's tokens
    for text in korean[:10]:  # round trip as the base does it (a SentencePiece base may normalize, e.g. NFKC)
        expected = base.decode(base.encode(text, add_special_tokens=False).ids)
        assert ext.decode(ext.encode(text, add_special_tokens=False).ids) == expected
    before, after = fertility(base, korean).chars_per_token, fertility(ext, korean).chars_per_token
    assert after > 2 * before
    return meta


def test_extend_the_packaged_smollm2_byte_level_base(korean_dir, tmp_path, english, korean_heldout):
    out = tmp_path / "ext"
    assert main(["tokenizer", "extend", "--base", "smollm2", "--add", str(korean_dir), "--output", str(out)]) == 0
    base, ext = load("smollm2"), load(out)
    meta = check_extension(base, ext, out, english, korean_heldout)
    assert meta["base_kind"] == "bytelevel" and meta["base_vocab_size"] == 49152
    assert load_hf(out).eos_token == load_hf("smollm2").eos_token


def test_extend_a_sentencepiece_base_with_max_new(korean_dir, tmp_path, english, korean_heldout):
    import sentencepiece as spm

    corpus = tmp_path / "en.txt"
    corpus.write_text("\n".join(english * 3), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(tmp_path / "sp"), vocab_size=400,
                                   model_type="bpe", byte_fallback=True, character_coverage=1.0)  # fmt: skip
    model = tmp_path / "sp.model"
    out = tmp_path / "ext"
    args = ["tokenizer", "extend", "--base", str(model), "--add", str(korean_dir), "--output", str(out)]
    assert main([*args, "--max-new", "1500"]) == 0
    base, ext = load(model), load(out)
    sp = spm.SentencePieceProcessor(model_file=str(model))
    assert base.encode(english[0], add_special_tokens=False).tokens == sp.encode(english[0], out_type=str)
    meta = check_extension(base, ext, out, english, korean_heldout)
    assert meta["base_kind"] == "sentencepiece" and len(meta["tokens"]) == 1500
    assert "▁" in "".join(t["token"] for t in meta["tokens"])  # word-initial Korean tokens in the base's spelling


def test_min_freq_keeps_only_frequent_tokens(korean_dir):
    korean = load(korean_dir)
    texts = [d["text"] for d in load_jsonl(SAMPLE / "klue.jsonl")][:50]
    from kocorpus.tokens.extend import token_frequencies

    freq = token_frequencies(korean, texts)
    allowed = {t for t, n in freq.items() if n >= 5}
    ext = extend(load("smollm2"), korean, allowed=allowed)
    assert ext.new_tokens and all(t["token"] in allowed for t in ext.new_tokens)


def test_eval_cli_table(korean_dir, capsys):
    args = ["tokenizer", "eval", f"ko={korean_dir}", "--input", str(DATA / "ko_small.jsonl")]
    assert main([*args, "--english", str(DATA / "en_small.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "ko chars/tok" in out and "en fallback %" in out and "3,000" in out
    assert main(["tokenizer", "eval", "nope/", "--input", str(DATA / "ko_small.jsonl")]) == 2


def test_extend_accepts_a_bare_tokenizer_json(korean_dir, tmp_path, english, korean_heldout):
    base_file = tmp_path / "base.json"
    load("smollm2").save(str(base_file))
    out = tmp_path / "ext"
    assert main(["tokenizer", "extend", "--base", str(base_file), "--add", str(korean_dir), "-o", str(out)]) == 0
    check_extension(load(base_file), load(out), out, english, korean_heldout)
    assert main(["tokenizer", "extend", "--base", str(tmp_path / "missing.json"), "--add", str(korean_dir),
                 "-o", str(tmp_path / "x")]) == 2  # fmt: skip
