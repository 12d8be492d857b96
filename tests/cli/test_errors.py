"""User errors through the real command lines (subprocesses): one line `error: <file/key>: …` on stderr, exit 2,
no traceback, nothing written — for `kocorpus`, `trainer/run.py` and `python -m trainer.*` alike."""

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import REPO, SAMPLE

ENV = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO))


def one_line_error(cmd: list[str], cwd: Path, env: dict | None = None) -> str:
    """Run `cmd`; assert exit 2 and exactly one stderr line `error: …` (no traceback); return that line."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=env or ENV)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-2000:]
    return lines[0]


def kocorpus(*args: str) -> list[str]:
    return [sys.executable, "-m", "kocorpus.cli", *args]


def trainer(config: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "trainer" / "run.py"), "--config", str(config), *args]


@pytest.fixture(scope="module")
def tiny_tokenizer(tmp_path_factory) -> Path:
    from conftest import DATA, load_jsonl

    from kocorpus.tokens.train import save_hf, train_bpe

    out = tmp_path_factory.mktemp("tok") / "tokenizer"
    return save_hf(train_bpe([d["text"] for d in load_jsonl(DATA / "ko_small.jsonl")], 400), out)


# -- kocorpus run: pipeline files ----------------------------------------------------------------------------
PIPELINE_CASES = {
    "syntax": ("name: broken\nsteps:\n  - normalize: {form: NFC\n", "line 4, column 1: invalid YAML"),
    "duplicate": ("name: dup\nsteps:\n  - hangul_ratio:\n      min_ratio: 0.3\n      min_ratio: 0.9\n",
                  "line 5: duplicate key 'min_ratio' (first at line 4)"),
    "unknown": ("name: typo\nsteps:\n  - hangul_ratio: {min_ration: 0.3}\n", "hangul_ratio.min_ration: unknown key"),
}  # fmt: skip


@pytest.mark.parametrize("case", PIPELINE_CASES)
def test_pipeline_yaml_errors(tmp_path: Path, case: str):
    text, expected = PIPELINE_CASES[case]
    (tmp_path / "p.yaml").write_text(text)
    line = one_line_error(kocorpus("run", "p.yaml", "--input", str(SAMPLE / "klue.jsonl"), "--output", "out"), tmp_path)
    assert line.startswith("error: p.yaml: ") and expected in line, line
    assert not (tmp_path / "out").exists()


def test_slurm_without_sbatch_fails_before_writing(tmp_path: Path):
    no_sbatch = dict(ENV, PATH=str(Path(sys.executable).parent))  # the venv only: no sbatch
    cmd = kocorpus("run", "korean_web", "--input", str(SAMPLE / "klue.jsonl"), "--output", "out", "--executor", "slurm")
    line = one_line_error(cmd, tmp_path, no_sbatch)
    assert "--executor slurm: `sbatch` is not on PATH" in line and "--dry-run" in line
    assert not (tmp_path / "out").exists()


# -- kocorpus tokenize: the tokenizer --------------------------------------------------------------------------
def test_tokenize_with_a_folder_that_is_not_a_tokenizer(tmp_path: Path, ko_docs):
    kept = tmp_path / "kept"
    kept.mkdir()
    pq.write_table(pa.table({"id": ["a"], "text": [ko_docs[0]["text"]], "metadata": [None]}), kept / "0.parquet")
    for bad in (kept, tmp_path / "missing"):  # a folder of Parquet files, a path that does not exist
        cmd = kocorpus("tokenize", "--input", str(kept), "--tokenizer", str(bad), "--seq-len", "32", "-o", "shards")
        line = one_line_error(cmd, tmp_path)
        assert line.startswith(f"error: --tokenizer {bad}"), line
        assert not (tmp_path / "shards").exists()


# -- trainer/run.py and python -m trainer.* ------------------------------------------------------------------
def trainer_config(tmp_path: Path, tokenizer: Path, **changes) -> dict:
    shards = tmp_path / "shards"
    shards.mkdir(exist_ok=True)
    (shards / "manifest.json").write_text("{}")
    cfg = {"model": {"random_init": {"hidden_size": 16}}, "tokenizer": str(tokenizer), "shards": str(shards),
           "output": str(tmp_path / "run"), "stages": [{"name": "s", "steps": 1}]}  # fmt: skip
    return cfg | changes


def test_trainer_config_errors(tmp_path: Path, tiny_tokenizer: Path):
    cfg_path = tmp_path / "train.yaml"
    # missing config file
    assert "missing.yaml: config file not found" in one_line_error(trainer(tmp_path / "missing.yaml"), tmp_path)
    # YAML syntax error
    cfg_path.write_text("model: {random_init: {hidden_size: 16}\ntokenizer: x\n")
    assert f"{cfg_path}: line 2, column 1: invalid YAML" in one_line_error(trainer(cfg_path), tmp_path)
    # duplicate key (PyYAML would keep the last one)
    good = trainer_config(tmp_path, tiny_tokenizer)
    cfg_path.write_text(yaml.safe_dump(good) + "batch_size: 4\nbatch_size: 8\n")
    assert "duplicate key 'batch_size'" in one_line_error(trainer(cfg_path), tmp_path)
    # typo'd key, also through --set
    cfg_path.write_text(yaml.safe_dump(good | {"batch_sise": 4}))
    assert f"{cfg_path}: batch_sise: unknown key" in one_line_error(trainer(cfg_path), tmp_path)
    cfg_path.write_text(yaml.safe_dump(good))
    line = one_line_error(trainer(cfg_path, "--set", "stages.0.lrr=1e-4"), tmp_path)
    assert f"{cfg_path}: stages[0].lrr: unknown key" in line
    # missing tokenizer, a folder that is not one, missing shards manifest
    cases = {
        "tokenizer": (str(tmp_path / "no_tok"), f"tokenizer: {tmp_path / 'no_tok'}: no such file or directory"),
        "shards": (str(tmp_path / "no_shards"), f"shards: {tmp_path / 'no_shards'}: no manifest.json"),
    }
    for key, (value, expected) in cases.items():
        cfg_path.write_text(yaml.safe_dump(good | {key: value}))
        assert f"{cfg_path}: {expected}" in one_line_error(trainer(cfg_path), tmp_path)
    cfg_path.write_text(yaml.safe_dump(good | {"tokenizer": str(tmp_path / "shards")}))
    assert "not a tokenizer directory" in one_line_error(trainer(cfg_path), tmp_path)
    assert not (tmp_path / "run").exists()  # nothing was written, no Accelerator started


def test_python_m_trainer_commands_share_the_error_path(tmp_path: Path):
    cmd = [sys.executable, "-m", "trainer.upscale", "--model", str(tmp_path / "nope"), "--drop", "1", "-o", "x"]
    cmd[-2] = "--output"
    line = one_line_error(cmd, REPO)
    assert line.startswith(f"error: {tmp_path / 'nope'}: no such file or directory"), line
