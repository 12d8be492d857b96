"""After the MinHash stages: name each removed duplicate's representative and tell exact from near duplicates.

datatrove's filter stage only knows cluster ids; the kept member of a cluster may sit in another task. One
DuckDB pass over OUT/kept and OUT/removed/minhash sets `duplicate_of` (the kept document's id) and the reason
`exact_duplicate` (same text) or `near_duplicate`. Idempotent, so a resumed run can repeat it.
"""

import os
from pathlib import Path


def annotate_duplicates(out: Path) -> int:
    """Rewrite OUT/removed/minhash/*.parquet with `duplicate_of` and exact/near reasons; returns rows updated."""
    import duckdb

    kept = [str(p) for p in sorted((out / "kept").glob("*.parquet"))]
    removed = sorted((out / "removed" / "minhash").glob("*.parquet"))
    if not kept or not removed:
        return 0
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE reps AS SELECT minhash_cluster_id AS cid, min(id) AS rep_id, min(md5(text)) AS rep_hash "
        "FROM read_parquet($kept) WHERE minhash_cluster_id >= 0 GROUP BY 1",
        {"kept": kept},
    )
    updated = 0
    for path in removed:
        tmp = path.with_suffix(".tmp")
        con.execute(
            "COPY (SELECT r.* REPLACE (reps.rep_id AS duplicate_of, CASE WHEN md5(r.text) = reps.rep_hash "
            "THEN 'exact_duplicate' ELSE 'near_duplicate' END AS reason) "
            "FROM read_parquet($f) r LEFT JOIN reps ON r.minhash_cluster_id = reps.cid) "
            "TO $tmp (FORMAT parquet, COMPRESSION zstd)",
            {"f": str(path), "tmp": str(tmp)},
        )
        updated += con.execute("SELECT count(*) FROM read_parquet($f)", {"f": str(tmp)}).fetchone()[0]
        os.replace(tmp, path)
    return updated
