"""The DuckDB store of a real run (the README demo on the bundled sample): identity with funnel.json, one row
per input record, morpheme tables consistent with the per-document stats, every sql/*.sql query, the CLI."""

import json
from pathlib import Path

import duckdb
import pytest
from conftest import REPO

from kocorpus.cli import main
from kocorpus.stats.morph_stats import doc_stats

SAMPLE = REPO / "kocorpus" / "data" / "sample"
SQL = sorted((REPO / "sql").glob("*.sql"))


@pytest.fixture(scope="module")
def db(sample_run: Path) -> duckdb.DuckDBPyConnection:
    path = sample_run / "corpus.duckdb"
    assert path.is_file(), "kocorpus run builds the store at the end"
    return duckdb.connect(str(path), read_only=True)


def input_records() -> tuple[int, set[str]]:
    """(records in the sample, ids of the well-formed ones that carry an id)."""
    n, ids = 0, set()
    for path in sorted(SAMPLE.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            if not line.strip():
                continue
            n += 1
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("text"), str) and rec["text"].strip() and rec.get("id"):
                ids.add(str(rec["id"]))
    return n, ids


def test_identity_with_funnel_and_one_row_per_input_record(sample_run, db):
    funnel = json.loads((sample_run / "funnel.json").read_text())
    by_status = dict(db.execute("SELECT status, count(*) FROM documents GROUP BY 1").fetchall())
    assert by_status == {"kept": funnel["kept"], "removed": funnel["removed_total"], "rejected": funnel["rejected"]}
    by_step = dict(
        db.execute("SELECT removed_by, count(*) FROM documents WHERE status = 'removed' GROUP BY 1").fetchall()
    )
    assert by_step == {k: v for k, v in funnel["removed"].items() if v}
    n, ids = input_records()
    rows, distinct = db.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone()
    assert rows == distinct == n == funnel["read"]
    present = {r[0] for r in db.execute("SELECT id FROM documents").fetchall()}
    assert ids <= present
    # the view agrees with the table
    assert db.execute("SELECT sum(documents) FROM funnel").fetchone()[0] == n
    # the stats Parquet under OUT/stats holds the same rows
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{sample_run}/stats/documents.parquet'").fetchone()[0] == n


def test_morphology_columns_and_morpheme_table_agree(db):
    # every document that reached the Kiwi step has its stats; kept ones always did
    assert db.execute("SELECT count(*) FROM documents WHERE status = 'kept' AND n_morphemes IS NULL").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM documents WHERE removed_by = 'language' AND n_morphemes IS NOT NULL"
                      ).fetchone()[0] == 0  # fmt: skip
    analysed = db.execute("SELECT sum(n_morphemes) FROM documents").fetchone()[0]
    passed = db.execute(
        "SELECT sum(n_morphemes) FROM documents WHERE status = 'kept' OR removed_by IN ('url', 'exact', 'minhash')"
    ).fetchone()[0]
    totals = db.execute("SELECT sum(count), sum(filtered_count) FROM morphemes").fetchone()
    assert totals == (analysed, passed)
    pos_total = db.execute(
        "SELECT sum(j.value::BIGINT) FROM documents d, json_each(d.pos_counts) j WHERE d.pos_counts IS NOT NULL"
    ).fetchone()[0]
    assert pos_total == analysed
    bad = db.execute("SELECT count(*) FROM documents WHERE noun_ratio NOT BETWEEN 0 AND 1 OR ttr NOT BETWEEN 0 AND 1")
    assert bad.fetchone()[0] == 0


def test_doc_stats_by_hand():
    # 나는 학교에 갔다. 철수도 왔다.
    forms = ["나", "는", "학교", "에", "가", "었", "다", ".", "철수", "도", "오", "었", "다", "."]
    tags = ["NP", "JX", "NNG", "JKB", "VV", "EP", "EF", "SF", "NNP", "JX", "VV", "EP", "EF", "SF"]
    sents = [0] * 8 + [1] * 6
    s = doc_stats(forms, tags, sents)
    assert s["n_morphemes"] == 14 and s["n_sentences"] == 2 and s["mean_sent_morphemes"] == 7
    assert s["pos_counts"]["EF"] == 2 and s["pos_counts"]["NNG"] == 1
    assert s["noun_ratio"] == pytest.approx(3 / 14)  # NP, NNG, NNP
    assert s["particle_ratio"] == pytest.approx(3 / 14)  # JX, JKB, JX
    assert s["ending_ratio"] == pytest.approx(4 / 14)  # EP, EF ×2
    assert s["ttr"] == pytest.approx(11 / 14)  # 었/EP, 다/EF, ./SF repeat; 는/JX ≠ 도/JX
    assert doc_stats([], [], [])["n_morphemes"] == 0


@pytest.mark.parametrize("path", SQL, ids=[p.stem for p in SQL])
def test_every_sql_file_runs_on_a_real_run(sample_run, path, tmp_path):
    head = path.read_text().splitlines()[0]
    assert head.startswith("-- ") and len(head) > 30, "each query starts with a comment saying what it answers"
    out = tmp_path / "r.json"
    assert main(["sql", str(sample_run), "-f", str(path), "--format", "json", "--output", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert rows, f"{path.name} returned no rows on the sample"
    if path.stem == "funnel_by_step":
        assert sum(r["documents"] for r in rows) == json.loads((sample_run / "funnel.json").read_text())["read"]
    if path.stem == "top_nouns":
        assert {r["tag"] for r in rows} <= {"NNG", "NNP"}
    if path.stem == "pos_distribution":
        assert sum(r["kept_pct"] for r in rows) == pytest.approx(100, abs=0.5)


def test_at_least_ten_documented_queries():
    assert len(SQL) >= 10


def test_sql_cli_formats_and_errors(sample_run, tmp_path, capsys):
    q = "SELECT status, count(*) AS n FROM documents GROUP BY 1 ORDER BY 1"
    assert main(["sql", str(sample_run / "corpus.duckdb"), q]) == 0
    assert "kept" in capsys.readouterr().out
    assert main(["sql", str(sample_run), q, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "status,n"
    pq = tmp_path / "x.parquet"
    assert main(["sql", str(sample_run), q, "--format", "parquet", "--output", str(pq)]) == 0
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{pq}'").fetchone()[0] == 3
    capsys.readouterr()
    assert main(["sql", str(tmp_path / "nope.duckdb"), q]) == 2
    assert "no such DuckDB file" in capsys.readouterr().err
    assert main(["sql", str(sample_run), "SELEC oops"]) == 2
    assert "ParserException" in capsys.readouterr().err
    assert main(["sql", str(sample_run), "SELECT * FROM no_such_table"]) == 2
    assert "no_such_table" in capsys.readouterr().err
    assert main(["sql", str(sample_run)]) == 2


def test_stats_build_cli_writes_another_db(sample_run, tmp_path, capsys):
    target = tmp_path / "copy.duckdb"
    assert main(["stats", "build", str(sample_run), "--db", str(target)]) == 0
    assert "kept" in capsys.readouterr().out
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT count(*) FROM morphemes").fetchone()[0] > 1000
    assert main(["stats", "build", str(tmp_path / "empty")]) == 2
