"""Data integrity through the CLI: tokenize settings are stored and enforced, a foreign --output is refused, the
funnel identity holds by id (a lost + a duplicated record no longer cancel out), `stats build` / `report` on a
missing directory write nothing."""

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write_jsonl
from datatrove.pipeline.base import PipelineStep

from kocorpus.cli import main
from kocorpus.steps import STEP_TYPES, StepType


@pytest.fixture(scope="module")
def kept_and_tokenizer(tmp_path_factory, ko_docs) -> tuple[Path, Path]:
    """A folder of four kept-schema Parquet files (40 real Korean documents) and a tiny BPE tokenizer."""
    from kocorpus.tokens.train import save_hf, train_bpe

    root = tmp_path_factory.mktemp("tokenize")
    kept = root / "kept"
    kept.mkdir()
    for i in range(4):
        docs = ko_docs[i * 10 : (i + 1) * 10]
        table = pa.table({"id": [d["id"] for d in docs], "text": [d["text"] for d in docs], "metadata": [None] * 10})
        pq.write_table(table, kept / f"{i:05d}.parquet")
    return kept, save_hf(train_bpe([d["text"] for d in ko_docs], 400), root / "tok")


def shard_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("default/*.parquet"))}


def test_tokenize_refuses_other_settings_and_resumes_the_same(tmp_path, kept_and_tokenizer, capsys):
    kept, tok = kept_and_tokenizer
    out = tmp_path / "shards"
    base = ["tokenize", "--input", str(kept), "--tokenizer", str(tok), "-o", str(out), "--workers", "1"]
    first = ["--seq-len", "64", "--tasks", "2"]
    assert main([*base, *first]) == 0
    capsys.readouterr()
    manifest = json.loads((out / "manifest.json").read_text())
    shards = shard_bytes(out)
    # another task count (which used to add the rows of tasks 2-3 again: +50% tokens), seq-len or mixture
    for other in (
        ["--seq-len", "64", "--tasks", "4"],
        ["--seq-len", "32", "--tasks", "2"],
        [*first, "--mix", "default=2"],
    ):
        assert main([*base, *other]) == 2, other
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"error: --output {out}: holds shards of different settings") and "\n" not in err
    assert json.loads((out / "manifest.json").read_text()) == manifest and shard_bytes(out) == shards
    # same settings: resumes (a lost task is redone) with identical shards
    (out / "logs" / "default" / "completions" / "00001").unlink()
    for p in out.glob("default/00001_*.parquet"):
        p.unlink()
    assert main([*base, *first]) == 0
    assert json.loads((out / "manifest.json").read_text()) == manifest and shard_bytes(out) == shards
    # --overwrite starts fresh with the new settings
    assert main([*base, "--seq-len", "64", "--tasks", "4", "--overwrite"]) == 0
    assert json.loads((out / "manifest.json").read_text())["tokens"] == manifest["tokens"]
    assert json.loads((out / "tokenize.json").read_text())["tasks"] == 4


def test_tokenize_refuses_a_foreign_output(tmp_path, kept_and_tokenizer, capsys):
    kept, tok = kept_and_tokenizer
    (tmp_path / "notes.txt").write_text("mine")
    args = ["tokenize", "--input", str(kept), "--tokenizer", str(tok), "--seq-len", "64", "-o", str(tmp_path)]
    assert main(args) == 2
    assert "holds no tokenize.json" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_run_refuses_a_non_empty_output_without_run_json(tmp_path, ko_docs, capsys):
    write_jsonl(tmp_path / "in.jsonl", ko_docs[:3])
    out = tmp_path / "out"
    (out / "kept").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["foreign"], "text": ["남의 파일"]}), out / "kept" / "x.parquet")
    for extra in ([], ["--overwrite"]):
        assert (
            main(["run", "korean_web", "--no-progress", "-i", str(tmp_path / "in.jsonl"), "-o", str(out), *extra]) == 2
        )
        err = capsys.readouterr().err.strip()
        assert "is not a kocorpus run directory (no run.json)" in err and "\n" not in err
    assert [str(p.relative_to(out)) for p in out.rglob("*")] == ["kept", "kept/x.parquet"]


# -- the funnel identity by id ---------------------------------------------------------------------------------
@dataclass(kw_only=True)
class TamperConfig:
    enabled: bool = True


class Tamper(PipelineStep):
    """A broken step: silently loses the first document and emits the second one twice."""

    name = "tamper"

    def __init__(self, config: TamperConfig, exclusion_writer=None):
        super().__init__()

    def run(self, data, rank: int = 0, world_size: int = 1):
        for i, doc in enumerate(data):
            if i == 0:
                continue
            yield doc
            if i == 1:
                yield doc


PIPELINE = "name: t\nsteps:\n  - normalize: {}\n  - tamper: {}\n"


def test_identity_by_id_catches_a_lost_and_a_duplicated_record(tmp_path, ko_docs, monkeypatch, capsys):
    monkeypatch.setitem(STEP_TYPES, "tamper", StepType(TamperConfig, Tamper, drops=False))
    (tmp_path / "p.yaml").write_text(PIPELINE)
    write_jsonl(tmp_path / "in.jsonl", [*ko_docs[:4], b"not json"])
    out = tmp_path / "out"
    rc = main(["run", str(tmp_path / "p.yaml"), "--no-progress", "--workers", "1", "-i", str(tmp_path / "in.jsonl"),
               "-o", str(out)])  # fmt: skip
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["read"] == funnel["rejected"] + funnel["removed_total"] + funnel["kept"] == 5  # counts cancel out
    assert rc == 1 and not funnel["identity_ok"]
    assert (funnel["ids_lost"], funnel["ids_extra"]) == (1, 1)
    assert set(funnel["id_examples"]) == {ko_docs[0]["id"], ko_docs[1]["id"]}
    err = capsys.readouterr().err
    assert "1 record(s) lost and 1 written twice" in err
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    rows = con.execute("SELECT id, read, written FROM identity_by_id ORDER BY written").fetchall()
    assert rows == [(ko_docs[0]["id"], 1, 0), (ko_docs[1]["id"], 1, 2)]
    assert con.execute("SELECT count(*) FROM read_ids").fetchone()[0] == 5


def test_identity_by_id_holds_for_a_sound_run(tmp_path, ko_docs):
    (tmp_path / "p.yaml").write_text("name: t\nsteps:\n  - normalize: {}\n  - hangul_ratio: {min_ratio: 0.6}\n")
    write_jsonl(tmp_path / "in.jsonl", [*ko_docs[:6], b"not json", {"id": "en", "text": "only English here"}])
    out = tmp_path / "out"
    assert (
        main(["run", str(tmp_path / "p.yaml"), "--no-progress", "-i", str(tmp_path / "in.jsonl"), "-o", str(out)]) == 0
    )
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["identity_ok"] and funnel["ids_checked"] and funnel["ids_lost"] == funnel["ids_extra"] == 0
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM identity_by_id").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM read_ids").fetchone()[0] == 8


# -- stats / report on a missing directory -----------------------------------------------------------------------
@pytest.mark.parametrize("command", [["stats", "build"], ["report"]])
def test_stats_and_report_on_a_missing_directory_write_nothing(tmp_path, command, capsys):
    missing = tmp_path / "no_run"
    assert main([*command, str(missing)]) == 2
    assert (
        capsys.readouterr().err.strip()
        == f"error: {missing}: no such run directory; give the --output of a `kocorpus run`"
    )
    assert list(tmp_path.iterdir()) == []
