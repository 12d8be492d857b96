"""After the dedup stages: name each removed duplicate's kept copy (`duplicate_of`), one DuckDB pass per family.

datatrove's filters only know that a document is a duplicate; the copy kept may sit in another task. For
`url` and `exact` the kept copy is the survivor of that stage with the same key; for `minhash` it is the
survivor with the same cluster id, and the reason becomes `exact_duplicate` (same text) or `near_duplicate`.
Idempotent (a resumed run repeats it); DuckDB joins on disk-backed Parquet, so it scales with the corpus.
"""

import os
from pathlib import Path

from kocorpus.dedup.exact import normalize_url


def _rewrite(con, path: Path, select: str) -> int:
    """Replace one removed/ Parquet file by `select` (which reads `$f`); returns its rows."""
    tmp = path.with_suffix(".tmp")
    con.execute(f"COPY ({select}) TO $tmp (FORMAT parquet, COMPRESSION zstd)", {"f": str(path), "tmp": str(tmp)})
    rows = con.execute("SELECT count(*) FROM read_parquet($f)", {"f": str(tmp)}).fetchone()[0]
    os.replace(tmp, path)
    return rows


def annotate_duplicates(out: Path, survivors: dict[str, Path]) -> int:
    """Set `duplicate_of` on OUT/removed/<family>/*.parquet; `survivors[family]` is the folder of documents that
    family kept. Returns rows rewritten."""
    import duckdb

    con = duckdb.connect()
    con.create_function("url_key", normalize_url, ["VARCHAR"], "VARCHAR", null_handling="special")
    updated = 0
    for family, folder in survivors.items():
        kept = [str(p) for p in sorted(folder.glob("*.parquet"))]
        removed = sorted((out / "removed" / family).glob("*.parquet"))
        if not kept or not removed:
            continue
        if family == "minhash":
            con.execute(
                "CREATE OR REPLACE TABLE reps AS SELECT minhash_cluster_id AS k, min(id) AS rep_id, "
                "min(md5(text)) AS rep_hash FROM read_parquet($kept) WHERE minhash_cluster_id >= 0 GROUP BY 1",
                {"kept": kept},
            )
            select = (
                "SELECT r.* REPLACE (reps.rep_id AS duplicate_of, CASE WHEN md5(r.text) = reps.rep_hash "
                "THEN 'exact_duplicate' ELSE 'near_duplicate' END AS reason) "
                "FROM read_parquet($f) r LEFT JOIN reps ON r.minhash_cluster_id = reps.k"
            )
        else:
            key = "md5({t}text)" if family == "exact" else "url_key(json_extract_string({t}metadata, '$.url'))"
            con.execute(
                f"CREATE OR REPLACE TABLE reps AS SELECT {key.format(t='')} AS k, min(id) AS rep_id "
                "FROM read_parquet($kept) WHERE k IS NOT NULL GROUP BY 1",
                {"kept": kept},
            )
            select = (
                "SELECT r.* REPLACE (reps.rep_id AS duplicate_of) "
                f"FROM read_parquet($f) r LEFT JOIN reps ON {key.format(t='r.')} = reps.k"
            )
        for path in removed:
            updated += _rewrite(con, path, select)
    return updated
