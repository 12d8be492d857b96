"""The DuckDB store of a run: every input record as a row beside its signals and morphology statistics.

`build_store(OUT)` streams OUT/kept, OUT/removed/<step> and OUT/rejected through DuckDB (nothing is loaded into
Python) into OUT/stats/documents.parquet (one row per input record, no full text) and OUT/corpus.duckdb with

- `documents`: id, source, file, line, status ('kept' | 'removed' | 'rejected'), removed_by, reason, every
  signal of `kocorpus.signals`, n_chars and n_eojeol of the text as written, a 200-character snippet, metadata;
- `morphemes`: form, tag, count, docs (documents containing it) over every document the `morph_stats` step saw,
  and filtered_count / filtered_docs over the documents that passed every filter step (before dedup);
- `input_records`: web input only — WARC records seen per type (request/metadata/warcinfo are counted, not
  documents);
- `run_info`: key, value pairs from OUT/run.json (`pipeline`, `analyzer_backend`, `analyzer_model`, `tasks`);
- `read_ids`: the id of every input record the readers saw (their ledger, OUT/logs/read_ids);
- views `funnel` (documents and characters per status and step), `funnel_reasons`, `funnel_by_source`, and
  `identity_by_id` (ids read and written a different number of times: empty for a sound run).
"""

from pathlib import Path

from kocorpus import signals as S
from kocorpus.errors import MissingFileError

SNIPPET_CHARS = 200
REJECTED_COLUMNS = {
    "id": "VARCHAR", "file": "VARCHAR", "line": "BIGINT", "offset": "BIGINT", "error": "VARCHAR",
    "snippet": "VARCHAR", "records": "BIGINT",
}  # fmt: skip


def _written(files: list[str], status: str) -> str:
    """SELECT of kept/ or removed/ Parquet rows in the store's column order (`$<status>` is the file list)."""
    signals = ", ".join(f'"{s.name}"' for s in S.SIGNALS)
    removed = "removed_by, reason" if status == "removed" else "NULL::VARCHAR AS removed_by, NULL::VARCHAR AS reason"
    return (
        f"SELECT id, source, file, line::BIGINT AS line, '{status}' AS status, {removed}, {signals}, "
        "length(text)::BIGINT AS n_chars, "
        "CASE WHEN trim(text) = '' THEN 0 ELSE len(string_split_regex(trim(text), '\\s+')) END::INTEGER AS n_eojeol, "
        f"left(text, {SNIPPET_CHARS}) AS snippet, metadata "
        f"FROM read_parquet(${status}, union_by_name=true)"
    )


def _rejected() -> str:
    """SELECT of rejected/ JSONL lines, one row per unreadable record (a line may stand for `records` of them)."""
    signals = ", ".join(f'NULL::{_duck(s.type)} AS "{s.name}"' for s in S.SIGNALS)
    return (
        "SELECT CASE WHEN coalesce(records, 1) = 1 THEN id ELSE id || '#' || (i + 1) END AS id, NULL::VARCHAR AS source, "
        "file, line, 'rejected' AS status, NULL::VARCHAR AS removed_by, error AS reason, "
        f"{signals}, NULL::BIGINT AS n_chars, NULL::INTEGER AS n_eojeol, left(snippet, {SNIPPET_CHARS}) AS snippet, "
        "NULL::VARCHAR AS metadata "
        "FROM read_json($rejected, format='newline_delimited', columns=$columns), "
        "range(coalesce(records, 1)) AS r(i)"
    )


def _duck(signal_type: str) -> str:
    return {"string": "VARCHAR", "json": "VARCHAR", "float32": "FLOAT", "int32": "INTEGER", "int64": "BIGINT"}[
        signal_type
    ]


def build_store(out: Path, db: Path | None = None, memory_limit: str | None = None) -> Path:
    """Build OUT/stats/documents.parquet and the DuckDB file (default OUT/corpus.duckdb); returns the DB path.
    Rebuilds from scratch, so it can be re-run after a resumed run. `memory_limit` (e.g. "1GB") caps DuckDB,
    which then spills to disk."""
    import duckdb

    out = Path(out)
    if not out.is_dir():
        raise MissingFileError(f"{out}: no such run directory; give the --output of a `kocorpus run`")
    db = Path(db) if db else out / "corpus.duckdb"
    stats = out / "stats"
    files = {
        "kept": [str(p) for p in sorted((out / "kept").glob("*.parquet"))],
        "removed": [str(p) for p in sorted((out / "removed").glob("*/*.parquet"))],
        "rejected": [str(p) for p in sorted((out / "rejected").glob("*.jsonl")) if p.stat().st_size],
    }
    parts, params = [], {}
    for status, builder in (("kept", _written), ("removed", _written)):
        if files[status]:
            parts.append(builder(files[status], status))
            params[status] = files[status]
    if files["rejected"]:
        parts.append(_rejected())
        params["rejected"] = files["rejected"]
        params["columns"] = REJECTED_COLUMNS
    if not parts:
        raise MissingFileError(f"{out}: no kept/, removed/ or rejected/ outputs; is it a kocorpus run directory?")
    stats.mkdir(parents=True, exist_ok=True)
    docs_parquet = stats / "documents.parquet"
    tmp_db = db.with_suffix(".tmp")
    tmp_db.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp_db))
    con.execute("SET preserve_insertion_order = false")  # rows need no order; lets COPY stream with less memory
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    try:
        con.execute(
            f"COPY ({' UNION ALL BY NAME '.join(parts)}) TO '{_quote(docs_parquet)}' (FORMAT parquet, COMPRESSION zstd)",
            params,
        )
        con.execute(f"CREATE TABLE documents AS SELECT * FROM read_parquet('{_quote(docs_parquet)}')")
        _read_ids(con, out)
        _morphemes(con, stats / "morphemes")
        _run_info(con, out / "run.json")
        _views(con)
        _input_records(con, out)
        con.close()
    except BaseException:
        con.close()
        tmp_db.unlink(missing_ok=True)
        raise
    tmp_db.replace(db)
    return db


def _read_ids(con, out: Path) -> None:
    """Table `read_ids` (one row per input record, ids numbered as in `documents` for a rejected line standing for
    several records) from the readers' ledger, and view `identity_by_id`: ids read and written a different number
    of times (empty when every input record ends exactly once as kept, removed or rejected)."""
    from kocorpus.readers.ledger import READ_IDS

    ledger = [str(p) for p in sorted((out / "logs" / READ_IDS).glob("*.parquet"))]
    if ledger:
        con.execute(
            "CREATE TABLE read_ids AS SELECT CASE WHEN records = 1 THEN id ELSE id || '#' || (i + 1) END AS id "
            "FROM read_parquet($ledger), range(records) AS r(i)",
            {"ledger": ledger},
        )
    else:  # a run of an older kocorpus: nothing to compare with
        con.execute("CREATE TABLE read_ids (id VARCHAR)")
    con.execute(
        "CREATE VIEW identity_by_id AS WITH r AS (SELECT id, count(*) AS n FROM read_ids GROUP BY id), "
        "w AS (SELECT id, count(*) AS n FROM documents GROUP BY id) "
        "SELECT coalesce(r.id, w.id) AS id, coalesce(r.n, 0) AS read, coalesce(w.n, 0) AS written "
        "FROM r FULL OUTER JOIN w ON r.id = w.id WHERE coalesce(r.n, 0) <> coalesce(w.n, 0) "
        "AND (SELECT count(*) FROM read_ids) > 0"
    )


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _morphemes(con, folder: Path) -> None:
    analysed = [str(p) for p in sorted(folder.glob("analysed_*.parquet"))]
    filtered = [str(p) for p in sorted(folder.glob("filtered_*.parquet"))]
    if not analysed:
        con.execute(
            "CREATE TABLE morphemes (form VARCHAR, tag VARCHAR, count BIGINT, docs BIGINT, filtered_count BIGINT, "
            "filtered_docs BIGINT)"
        )
        return
    survivors = (
        "SELECT form, tag, sum(count) AS filtered_count, sum(docs) AS filtered_docs FROM read_parquet($f) GROUP BY 1, 2"
        if filtered
        else "SELECT NULL::VARCHAR AS form, NULL::VARCHAR AS tag, 0::BIGINT AS filtered_count, "
        "0::BIGINT AS filtered_docs WHERE false"
    )
    params = {"a": analysed} | ({"f": filtered} if filtered else {})
    con.execute(
        "CREATE TABLE morphemes AS "
        "WITH a AS (SELECT form, tag, sum(count)::BIGINT AS count, sum(docs)::BIGINT AS docs "
        "           FROM read_parquet($a) GROUP BY 1, 2), "
        f"f AS ({survivors}) "
        "SELECT a.form, a.tag, a.count, a.docs, coalesce(f.filtered_count, 0)::BIGINT AS filtered_count, "
        "coalesce(f.filtered_docs, 0)::BIGINT AS filtered_docs "
        "FROM a LEFT JOIN f USING (form, tag) ORDER BY a.count DESC, a.form, a.tag",
        params,
    )


def _input_records(con, out: Path) -> None:
    """Table `input_records`: WARC records seen per type (web input), and whether that type makes documents."""
    from kocorpus.funnel import reader_stats

    records = reader_stats(out / "logs")[3]
    con.execute("CREATE TABLE input_records (type VARCHAR, records BIGINT, documents BOOLEAN)")
    if records:
        con.executemany(
            "INSERT INTO input_records VALUES (?, ?, ?)",
            [(kind, n, kind in ("response", "resource", "conversion")) for kind, n in records.items()],
        )


def _run_info(con, run_json: Path) -> None:
    """`run_info(key, value)` from run.json: which pipeline and analyzer backend produced the signals."""
    import json

    spec = json.loads(run_json.read_text(encoding="utf-8")) if run_json.is_file() else {}
    analyzer = spec.get("analyzer") or {}
    rows = [
        ("pipeline", (spec.get("pipeline") or {}).get("name")),
        ("analyzer_backend", analyzer.get("backend")),
        ("analyzer_model", analyzer.get("model")),
        ("tasks", None if spec.get("tasks") is None else str(spec["tasks"])),
    ]
    con.execute("CREATE TABLE run_info (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO run_info VALUES (?, ?)", rows)


def _views(con) -> None:
    con.execute(
        "CREATE VIEW funnel AS SELECT status, removed_by, count(*) AS documents, sum(n_chars) AS characters "
        "FROM documents GROUP BY status, removed_by ORDER BY CASE status WHEN 'rejected' THEN 0 WHEN 'removed' THEN 1 ELSE 2 END, "
        "documents DESC"
    )
    con.execute(
        "CREATE VIEW funnel_reasons AS SELECT status, removed_by, reason, count(*) AS documents "
        "FROM documents WHERE status <> 'kept' GROUP BY status, removed_by, reason ORDER BY removed_by, documents DESC"
    )
    con.execute(
        "CREATE VIEW funnel_by_source AS SELECT coalesce(source, '(none)') AS source, count(*) AS read, "
        "count(*) FILTER (status = 'kept') AS kept, count(*) FILTER (status = 'removed') AS removed, "
        "count(*) FILTER (status = 'rejected') AS rejected, "
        "round(count(*) FILTER (status = 'kept') / count(*), 4) AS kept_share FROM documents GROUP BY 1 ORDER BY read DESC"
    )


def resolve_db(target: Path) -> Path:
    """A `.duckdb` file, or a run's OUT directory (→ OUT/corpus.duckdb); FileNotFoundError when absent."""
    target = Path(target)
    db = target / "corpus.duckdb" if target.is_dir() else target
    if not db.is_file():
        hint = f"; build it with: kocorpus stats build {target}" if target.is_dir() else ""
        raise MissingFileError(f"{db}: no such DuckDB file{hint}")
    return db
