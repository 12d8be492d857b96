"""FSDP2 on CPU for real: two gloo processes train a tiny Llama through three stages (new rows only, LoRA, all),
checkpoints are sharded (one DCP file per rank, no full model file), a run killed with SIGKILL mid-stage and
resumed with `--resume latest` logs the same losses as the uninterrupted run, and the stage-end checkpoint loads in
one process (another process count) to the same weights as OUT/final."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import torch
from conftest import DATA, REPO
from test_trainer_run import assets, write_config  # noqa: F401  (assets: a pytest fixture)

STAGES = [
    {"name": "emb", "steps": 2, "lr": 1e-2, "trainable": ["new_embeddings"]},
    {"name": "lora", "steps": 3, "lr": 1e-2, "trainable": ["lora"], "lora": {"r": 4}},
    {"name": "all", "steps": 2, "lr": 1e-3},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(cfg: Path, *extra: str) -> subprocess.Popen:
    """Two gloo processes of trainer/run.py (own port: two runs go side by side)."""
    launcher = Path(sys.executable).parent / "accelerate"
    cmd = [str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--main_process_port", str(free_port()),
           "--mixed_precision", "no", "--dynamo_backend", "no", str(REPO / "trainer" / "run.py"),
           "--config", str(cfg), *extra]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="1")
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO,
                            start_new_session=True)  # fmt: skip


def kill_tree(pid: int) -> None:
    """SIGKILL the launcher and every worker it started (torch's launcher puts workers in their own sessions)."""
    import psutil

    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    for p in procs:
        p.send_signal(signal.SIGKILL)
    psutil.wait_procs(procs, timeout=30)


def finish(proc: subprocess.Popen) -> None:
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:]


def losses_by_step(out: Path) -> dict[int, float]:
    """step → loss; a step logged again after a resume keeps its last value."""
    return {r["step"]: r["loss"] for r in map(json.loads, (out / "log.jsonl").read_text().splitlines())}


def config(tmp: Path, assets: dict, out: Path) -> Path:  # noqa: F811
    return write_config(tmp / f"{out.name}.yaml", assets, out, STAGES, fsdp=True, save_every=1, report_to=[],
                        eval={"sets": {"ko": str(DATA / "ko_small.jsonl")}, "max_docs": 2, "max_chars": 200})  # fmt: skip


def test_fsdp_two_processes_stages_lora_sigkill_resume_export(assets, tmp_path):  # noqa: F811
    from transformers import AutoModelForCausalLM

    from trainer.fsdp import export

    full, part = tmp_path / "full", tmp_path / "part"
    first = launch(config(tmp_path, assets, full))
    second = launch(config(tmp_path, assets, part))
    # kill the second run with SIGKILL once it has checkpointed step 4 (mid LoRA stage)
    pointer = part / "checkpoints" / "latest"
    deadline = time.time() + 600
    while time.time() < deadline and second.poll() is None:
        if pointer.is_file() and pointer.read_text().strip() >= "step_000004":
            break
        time.sleep(0.05)
    assert second.poll() is None, "the run ended before it could be killed"
    kill_tree(second.pid)
    second.wait()
    finish(first)
    killed_at = pointer.read_text().strip()
    assert killed_at < "step_000007" and not (part / "final").exists()
    finish(launch(config(tmp_path, assets, part), "--resume", "latest"))

    expected = losses_by_step(full)
    assert sorted(expected) == list(range(1, 8))
    assert losses_by_step(part) == expected  # bitwise: equal JSON floats
    # sharded checkpoints: one DCP shard per rank, no gathered model or optimizer file
    for ckpt in (full / "checkpoints").glob("step_*"):
        assert sorted(p.name for p in (ckpt / "dcp").glob("*.distcp")) == ["__0_0.distcp", "__1_0.distcp"]
        assert not list(ckpt.glob("model*.pt")) and not list(ckpt.glob("optimizer*.pt"))
    # the final stage-end checkpoint, loaded in ONE process, equals OUT/final (saved by two)
    final = AutoModelForCausalLM.from_pretrained(str(full / "final"))
    # a requeued job resumed at the last stage-end checkpoint rewrites OUT/final with the trained weights
    finish(launch(config(tmp_path, assets, full), "--resume", "latest"))
    rewritten = AutoModelForCausalLM.from_pretrained(str(full / "final"))
    for (name, a), (_, b) in zip(final.state_dict().items(), rewritten.state_dict().items(), strict=True):
        assert torch.equal(a, b), name
    exported = export(str(tmp_path / "full.yaml"), str(full / "checkpoints" / "step_000007"), str(tmp_path / "x"))
    again = AutoModelForCausalLM.from_pretrained(str(exported))
    for (name, a), (_, b) in zip(final.state_dict().items(), again.state_dict().items(), strict=True):
        assert torch.equal(a, b), name
    # the new-rows stage left every base row and every other parameter unchanged
    from trainer.run import build_model
    from trainer.stages import load_config

    initial, new_ids = build_model(load_config(str(tmp_path / "full.yaml")))
    after_emb = AutoModelForCausalLM.from_pretrained(
        str(export(str(tmp_path / "full.yaml"), str(full / "checkpoints" / "step_000002"), str(tmp_path / "e")))
    )
    base = assets["base_vocab"]
    for name, tensor in initial.state_dict().items():
        got = after_emb.state_dict()[name]
        if "embed_tokens" in name or "lm_head" in name:
            assert torch.equal(got[:base], tensor[:base]), name
            assert not torch.equal(got[new_ids], tensor[new_ids]), name
        else:
            assert torch.equal(got, tensor), name
    ids = torch.tensor([[1, 2, 3]])
    assert final.generate(ids, max_new_tokens=2, do_sample=False).shape == (1, 5)
