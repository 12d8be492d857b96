"""`kocorpus run` end to end: the bundled sample, broken inputs, resume, overwrite, executors."""

import codecs
import gzip
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import REPO, SAMPLE, write_jsonl

from kocorpus.cli import main
from kocorpus.pipeline_config import load_pipeline
from kocorpus.steps import STEP_TYPES

PIPELINE = str(REPO / "pipelines" / "korean_web.yaml")


def kocorpus(*args: str) -> int:
    return main(["run", PIPELINE, "--no-progress", *args])


def outcome(out: Path) -> dict[str, str]:
    """id → 'kept' / 'removed:<step>' for every document written."""
    con = duckdb.connect()
    rows = []
    if kept := [str(p) for p in (out / "kept").glob("*.parquet")]:
        rows += con.execute("SELECT id, 'kept' FROM read_parquet($f)", {"f": kept}).fetchall()
    if removed := [str(p) for p in (out / "removed").glob("*/*.parquet")]:
        rows += con.execute("SELECT id, 'removed:' || removed_by FROM read_parquet($f)", {"f": removed}).fetchall()
    result = dict(rows)
    assert len(result) == len(rows), "a document was written twice"
    return result


def rejected(out: Path) -> list[dict]:
    return [json.loads(line) for p in sorted((out / "rejected").glob("*.jsonl")) for line in p.open()]


def test_sample_funnel_identity_and_outputs(sample_run):
    funnel = json.loads((sample_run / "funnel.json").read_text())
    n_input = sum(1 for p in SAMPLE.glob("*.jsonl") for line in p.open("rb") if line.strip())
    assert funnel["read"] == n_input
    assert funnel["identity_ok"] and funnel["read"] == funnel["rejected"] + funnel["removed_total"] + funnel["kept"]
    assert funnel["ids_checked"] and funnel["ids_lost"] == funnel["ids_extra"] == 0  # the identity by id
    _, cfg = load_pipeline("korean_web")
    steps = [s.name for s in cfg.steps if s.enabled and STEP_TYPES[s.name].drops]
    assert list(funnel["removed"]) == steps + ["url", "exact", "minhash"]
    assert funnel["rejected"] == 4  # kocorpus/data/sample/malformed.jsonl: 4 broken of 6 records
    written = outcome(sample_run)
    assert len(written) == n_input - funnel["rejected"]
    # the sample's North-Korean-orthography news are near-duplicates of its park_news documents
    assert sum(v == "removed:minhash" for k, v in written.items() if k.startswith("nk_news")) >= 25
    stdout = (sample_run / "stdout.txt").read_text()
    assert "funnel" in stdout and "kept" in stdout and f"{funnel['kept']:,}" in stdout
    # English and code are removed, Korean news kept, with the signals recorded
    assert all(v.startswith("removed") for k, v in written.items() if k.startswith(("english", "code")))
    news = [v for k, v in written.items() if k.startswith(("park_news", "klue", "kornli", "ud_korean"))]
    assert news.count("kept") >= 0.95 * len(news)
    kept = pq.read_table(sample_run / "kept").to_pylist()
    assert {"id", "text", "source", "file", "line", "lang", "lang_score", "hangul_ratio", "metadata"} <= set(kept[0])
    assert all(r["lang"] == "ko" and r["hangul_ratio"] >= 0.3 for r in kept)
    # the Kiwi analysis is never written
    assert not any("_kiwi" in (r["metadata"] or "") for r in kept) and "_kiwi" not in kept[0]
    # the generated web junk of the sample: spam and boilerplate-only pages removed by their steps,
    # boilerplate stripped from wrapped news, PII masked with placeholders
    junk = {k: v for k, v in written.items() if k.startswith("web_junk")}
    assert [junk[f"web_junk-{i:06d}"] for i in range(1, 9)] == ["removed:spam"] * 8
    assert [junk[f"web_junk-{i:06d}"] for i in range(15, 19)] == ["removed:boilerplate"] * 4
    emptied = pq.read_table(sample_run / "removed" / "boilerplate").to_pylist()  # the text as it arrived, not ""
    assert len(emptied) == 4 and all(r["text"] and len(r["text"]) == r["boilerplate_chars"] for r in emptied)
    rows = {r["id"]: r for r in kept if r["id"].startswith("web_junk")}
    assert all(rows[f"web_junk-{i:06d}"]["boilerplate_chars"] > 0 for i in range(9, 15) if f"web_junk-{i:06d}" in rows)
    masked = [r for r in rows.values() if r["pii_total"]]
    # (a masked value can go with its line: `홍길동 기자 <|email|>` is a byline the boilerplate step strips)
    assert len(masked) >= 3 and sum("<|" in r["text"] for r in masked) >= 3
    assert funnel["edits"]["pii_total"] >= 5 and funnel["edits"]["boilerplate_chars"] > 0
    removed = pq.read_table(sample_run / "removed" / "language").to_pylist()
    assert all(r["removed_by"] == "language" and r["reason"].startswith("lang_") for r in removed)


def test_rerun_skips_completed_tasks_and_gives_the_same_result(sample_run, tmp_path):
    before = outcome(sample_run)
    funnel_before = json.loads((sample_run / "funnel.json").read_text())
    done_task = sorted((sample_run / "kept").glob("*00000.parquet"))
    stamp = [p.stat().st_mtime_ns for p in done_task]
    # simulate task 1 of the last stage dying: no completion marker, its outputs gone
    (sample_run / "logs" / "minhash_filter" / "completions" / "00001").unlink()
    for p in (sample_run / "kept").glob("*00001.parquet"):
        p.unlink()
    assert kocorpus("--input", str(SAMPLE), "--output", str(sample_run), "--tasks", "2") == 0
    assert [p.stat().st_mtime_ns for p in done_task] == stamp  # task 0 was not run again
    assert (sample_run / "logs" / "minhash_filter" / "completions" / "00001").is_file()
    assert outcome(sample_run) == before
    assert json.loads((sample_run / "funnel.json").read_text()) == funnel_before
    # a task of the filter stage dying: it re-runs, and so does every dedup stage after it
    (sample_run / "logs" / "completions" / "00000").unlink()
    assert kocorpus("--input", str(SAMPLE), "--output", str(sample_run), "--tasks", "2") == 0
    assert outcome(sample_run) == before
    # a complete re-run does nothing and reports the same funnel
    assert kocorpus("--input", str(SAMPLE), "--output", str(sample_run), "--tasks", "2") == 0
    assert json.loads((sample_run / "funnel.json").read_text()) == funnel_before


def test_different_settings_on_same_output_refused_then_overwrite(sample_run, tmp_path, capsys):
    out = tmp_path / "o"
    assert kocorpus("--input", str(SAMPLE / "klue.jsonl"), "--output", str(out)) == 0
    assert kocorpus("--input", str(SAMPLE / "klue.jsonl"), "--output", str(out), "--set", "language.threshold=0.9") == 2
    assert "pipeline" in capsys.readouterr().err
    (out / "marker").write_text("x")
    args = [
        "--input",
        str(SAMPLE / "klue.jsonl"),
        "--output",
        str(out),
        "--overwrite",
        "--set",
        "language.threshold=0.9",
    ]
    assert kocorpus(*args) == 0
    assert not (out / "marker").exists()


def test_broken_inputs_every_record_accounted_for(tmp_path, mixed_broken_file, ko_docs):
    path, good_ids, n_bad = mixed_broken_file
    folder = path.parent
    # truncated gzip
    full = gzip.compress(("\n".join(json.dumps(d, ensure_ascii=False) for d in ko_docs[10:20]) + "\n").encode())
    (folder / "trunc.jsonl.gz").write_bytes(full[: len(full) // 2])
    # UTF-16 JSONL with BOM, UTF-8 with BOM, CP949 text file, NFD Hangul
    body = "\n".join(json.dumps(d, ensure_ascii=False) for d in ko_docs[20:23]) + "\n"
    (folder / "u16.jsonl").write_bytes(body.encode("utf-16"))
    (folder / "bom.jsonl").write_bytes(codecs.BOM_UTF8 + body.replace('"id": "', '"id": "bom-').encode())
    (folder / "legacy.txt").write_bytes(ko_docs[24]["text"].encode("cp949", errors="ignore"))
    nfd = dict(ko_docs[25], id="nfd", text=unicodedata.normalize("NFD", ko_docs[25]["text"]))
    big = {"id": "big", "text": "\n".join(d["text"] for d in ko_docs) * 130}
    write_jsonl(folder / "more.jsonl", [nfd, big])
    pq.write_table(pa.table({"text": [ko_docs[26]["text"], None]}), folder / "rows.parquet")

    out = tmp_path / "out"
    assert kocorpus("--input", str(folder), "--output", str(out)) == 0
    funnel = json.loads((out / "funnel.json").read_text())
    written = outcome(out)
    rejects = rejected(out)
    assert funnel["identity_ok"] and funnel["read"] == len(written) + len(rejects)
    for doc_id in [*good_ids, "nfd", "big", "legacy.txt", "rows.parquet:1"] + [d["id"] for d in ko_docs[20:23]]:
        assert doc_id in written, doc_id
    assert "bom-" + ko_docs[20]["id"] in written
    assert len(big["text"].encode()) > 5_000_000  # processed through every step (kept or removed with a reason)
    assert {r["file"] for r in rejects} == {"mixed.jsonl", "trunc.jsonl.gz", "rows.parquet"}
    assert sum(r["file"] == "mixed.jsonl" for r in rejects) == n_bad
    assert all({"file", "line", "error", "snippet"} <= set(r) for r in rejects)
    nfd_text = duckdb.sql(f"SELECT text FROM read_parquet('{out}/kept/*.parquet') WHERE id = 'nfd'").fetchall()[0][0]
    assert nfd_text == unicodedata.normalize("NFC", nfd_text) and len(nfd_text) < len(nfd["text"])


def test_any_jsonl_with_other_keys(tmp_path, ko_docs):
    records = [{"content": d["text"], "meta_url": f"u{i}"} for i, d in enumerate(ko_docs[:5])]
    write_jsonl(tmp_path / "any.jsonl", records)
    out = tmp_path / "out"
    assert kocorpus("--input", str(tmp_path / "any.jsonl"), "--output", str(out), "--text-key", "content") == 0
    assert sorted(outcome(out)) == [f"any.jsonl:{i}" for i in range(1, 6)]
    rows = duckdb.sql(f"SELECT metadata FROM read_parquet('{out}/*/**.parquet', union_by_name=true)").fetchall()
    assert rows and all(json.loads(m)["meta_url"].startswith("u") for (m,) in rows)


def test_config_error_exit_code_and_message(tmp_path, capsys):
    rc = kocorpus("--input", str(SAMPLE / "klue.jsonl"), "--output", str(tmp_path / "o"), "--set", "hangul_ratio.x=1")
    assert rc == 2
    assert "hangul_ratio.x: unknown key" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()  # nothing was started


def test_set_override_changes_the_result(tmp_path):
    out = tmp_path / "strict"
    assert kocorpus("--input", str(SAMPLE / "kiwipiepy_text.jsonl"), "--output", str(out), "--set",
                    "hangul_ratio.min_ratio=0.95") == 0  # fmt: skip
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["removed"]["hangul_ratio"] > 0 and funnel["identity_ok"]


def test_slurm_dry_run_writes_sbatch_scripts(tmp_path):
    out = tmp_path / "slurm"
    args = ["--input", str(SAMPLE), "--output", str(out), "--executor", "slurm", "--dry-run", "--tasks", "4"]
    args += ["--partition", "batch", "--time", "01:00:00", "--sbatch-arg", "account=ko-llm"]
    assert kocorpus(*args) == 0
    scripts = sorted((out / "logs" / "slurm_dry_run").glob("*.sbatch"))
    assert scripts, "no sbatch script written"
    main_script = scripts[0].read_text()
    assert "#SBATCH --partition=batch" in main_script and "#SBATCH --array=0-3" in main_script
    assert "#SBATCH --account=ko-llm" in main_script and "launch_pickled_pipeline" in main_script
    assert (out / "logs" / "executor.pik").is_file()
    # the jobs "ran" (here: the local executor on the same OUT); the same slurm command now prints the funnel
    assert kocorpus("--input", str(SAMPLE), "--output", str(out), "--tasks", "4") == 0
    assert kocorpus("--input", str(SAMPLE), "--output", str(out), "--executor", "slurm", "--tasks", "4") == 0
    assert json.loads((out / "funnel.json").read_text())["identity_ok"]


def test_ray_executor_runs_for_real_with_the_local_result(sample_run, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "ray"
    cmd = [sys.executable, "-m", "kocorpus.cli", "run", "korean_web", "--input", str(SAMPLE), "--output", str(out)]
    proc = subprocess.run(
        [*cmd, "--executor", "ray", "--tasks", "2", "--no-progress"], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert outcome(out) == outcome(sample_run)
    assert json.loads((out / "funnel.json").read_text()) == json.loads((sample_run / "funnel.json").read_text())


def test_console_script_installed():
    exe = Path(sys.executable).parent / "kocorpus"
    if not exe.exists():
        pytest.skip("kocorpus console script not installed in this environment")
    proc = subprocess.run([str(exe), "run", "--help"], capture_output=True, text=True, env=os.environ)
    assert proc.returncode == 0 and "--executor" in proc.stdout


def test_output_inside_input_is_not_read_and_resumes(tmp_path, ko_docs):
    write_jsonl(tmp_path / "corpus" / "a.jsonl", ko_docs[:5])
    out = tmp_path / "corpus" / "out [x]'q"  # inside the input, with glob and quote characters
    # datatrove lists dedup files with glob patterns: with dedup on, such an output path is refused up front
    assert kocorpus("--input", str(tmp_path / "corpus"), "--output", str(out)) == 2
    for _ in range(2):  # the second run resumes instead of refusing "different settings"
        args = ["--input", str(tmp_path / "corpus"), "--output", str(out), "--text-key", "text"]
        off = [f"dedup.{f}.enabled=false" for f in ("url", "exact", "minhash")]
        assert kocorpus(*args, *(a for o in off for a in ("--set", o))) == 0
    funnel = json.loads((out / "funnel.json").read_text())
    assert funnel["read"] == 5 and funnel["identity_ok"] and funnel["duplicate_ids"] == 0
    assert sorted(outcome(out)) == sorted(d["id"] for d in ko_docs[:5])


def test_flag_values_are_strings_and_bad_set_paths_are_config_errors(tmp_path, capsys, ko_docs):
    write_jsonl(tmp_path / "a.jsonl", [{"yes": d["text"]} for d in ko_docs[:3]])
    assert kocorpus("--input", str(tmp_path / "a.jsonl"), "--output", str(tmp_path / "o"), "--text-key", "yes") == 0
    assert json.loads((tmp_path / "o" / "funnel.json").read_text())["read"] == 3
    args = ["--input", str(tmp_path / "a.jsonl"), "--output", str(tmp_path / "p")]
    assert kocorpus(*args, "--set", "hangul_ratio.min_ratio.x=1") == 2
    assert "hangul_ratio.min_ratio: is a value, not a section" in capsys.readouterr().err
    assert kocorpus(*args, "--set", "language.languages=[kr]") == 2
    assert "language.languages: ['kr'] are not labels" in capsys.readouterr().err


def test_result_does_not_depend_on_the_task_count(sample_run, tmp_path):
    out = tmp_path / "one_task"
    assert kocorpus("--input", str(SAMPLE), "--output", str(out), "--tasks", "1") == 0
    one, two = outcome(out), outcome(sample_run)
    # every document meets the same fate, except which member of a duplicate cluster is kept
    assert {k: v for k, v in one.items() if v != "removed:minhash" and k in two and two[k] != "removed:minhash"} == {
        k: v for k, v in two.items() if v != "removed:minhash" and k in one and one[k] != "removed:minhash"
    }
    f1, f2 = (json.loads((o / "funnel.json").read_text()) for o in (out, sample_run))
    skip = ("tasks", "tasks_done", "kept_chars", "removed_chars")  # characters depend on the kept representative
    assert {k: v for k, v in f1.items() if k not in skip} == {k: v for k, v in f2.items() if k not in skip}
