"""The funnel of a run: records read, rejected, removed per step, kept — in documents and characters.

`read` comes from the readers' own counters (logs/stats/*.json, one file per finished task); the other
numbers are counted in the output files, so the identity read = rejected + Σ removed + kept checks that no
record was lost between reading and writing. The readers' ledger (OUT/logs/read_ids, see
`kocorpus.readers.ledger`) makes the same check by id: every id read must be written exactly as often as it was
read, so a lost record and a duplicated one cannot cancel out.
"""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kocorpus import signals as S

EDIT_SIGNALS = ("norm_chars_removed", "boilerplate_chars", "pii_total", "dup_lines_removed")


@dataclass
class Funnel:
    """Counts of one run (documents; characters are of the text as written)."""

    read: int = 0
    rejected: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    removed_chars: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    kept: int = 0
    kept_chars: int = 0
    read_chars: int = 0
    tasks_done: int = 0
    tasks: int = 0
    duplicate_ids: int = 0
    """Written documents whose id another written document already has (ids should be unique upstream)."""
    skipped_files: list[str] = field(default_factory=list)
    """Input files that were not read (unknown format, inside the output, undecodable name)."""
    input_records: dict[str, int] = field(default_factory=dict)
    """Web input: WARC records seen per type (`response`, `request`, `metadata`, `warcinfo` …); only
    `response`/`resource`/`conversion` records become documents, the others are counted here."""
    edits: dict[str, int] = field(default_factory=dict)
    """Text rewrites summed over every written document: characters removed by normalization and
    boilerplate stripping, PII values masked."""
    ids_checked: bool = False
    """Whether the identity was also checked by id (the read ledger exists)."""
    ids_lost: int = 0
    """Records read but written fewer times than read (summed over ids)."""
    ids_extra: int = 0
    """Records written more times than read, or never read (summed over ids)."""
    id_examples: list[str] = field(default_factory=list)
    """A few ids whose read and written counts differ."""

    @property
    def accounted(self) -> int:
        return self.rejected + sum(self.removed.values()) + self.kept

    @property
    def identity_ok(self) -> bool:
        return self.read == self.accounted and self.ids_lost == 0 and self.ids_extra == 0

    def to_dict(self) -> dict:
        return asdict(self) | {"removed_total": sum(self.removed.values()), "identity_ok": self.identity_ok}


def _total(value: int | dict | None) -> int:
    """datatrove saves a plain counter as an int and a distribution as a dict with `total`."""
    if isinstance(value, dict):
        return int(value.get("total", 0))
    return int(value or 0)


WARC_RECORD_STAT = "warc_records_"  # reader stat prefix: WARC records seen per type


def reader_stats(logs: Path) -> tuple[int, int, int, dict[str, int]]:
    """(read, read_chars, finished tasks, WARC records per type) summed over datatrove's per-task stats files."""
    read = chars = done = 0
    records: dict[str, int] = {}
    for path in sorted((logs / "stats").glob("*.json")):
        done += 1
        for block in json.loads(path.read_text()):
            if "READER" not in block.get("name", ""):
                continue
            stats = block.get("stats", {})
            read += _total(stats.get(S.STAT_READ))
            chars += _total(stats.get("doc_len"))
            for key, value in stats.items():
                if key.startswith(WARC_RECORD_STAT):
                    kind = key[len(WARC_RECORD_STAT) :]
                    records[kind] = records.get(kind, 0) + _total(value)
    return read, chars, done, dict(sorted(records.items()))


def compute_funnel(out: Path, steps: list[str], tasks: int) -> Funnel:
    """Count the outputs of run directory `out` (DuckDB scans the Parquet files; nothing is loaded whole)."""
    import duckdb

    funnel = Funnel(tasks=tasks, removed={s: 0 for s in steps}, removed_chars={s: 0 for s in steps})
    funnel.read, funnel.read_chars, funnel.tasks_done, funnel.input_records = reader_stats(out / "logs")
    for path in sorted((out / "rejected").glob("*.jsonl")):
        with path.open("rb") as f:
            # one line per rejected record, except a line with "records": n standing for n unreadable records
            funnel.rejected += sum(int(json.loads(line).get("records") or 1) for line in f if line.strip())
    con = duckdb.connect()
    # file lists are bound as parameters: output paths may contain quotes or glob characters
    removed = [str(p) for p in sorted((out / "removed").glob("*/*.parquet"))]
    kept = [str(p) for p in sorted((out / "kept").glob("*.parquet"))]
    if removed:
        rows = con.execute(
            "SELECT removed_by, reason, count(*), coalesce(sum(length(text)), 0) "
            "FROM read_parquet($files) GROUP BY ALL ORDER BY ALL",
            {"files": removed},
        ).fetchall()
        for step, reason, n, chars in rows:
            funnel.removed[step] = funnel.removed.get(step, 0) + n
            funnel.removed_chars[step] = funnel.removed_chars.get(step, 0) + chars
            funnel.reasons.setdefault(step, {})[reason] = n
    written = kept + removed
    if written:
        (funnel.duplicate_ids,) = con.execute(
            "SELECT count(*) - count(DISTINCT id) FROM read_parquet($files, union_by_name=true)", {"files": written}
        ).fetchone()
        funnel.edits = dict(
            zip(
                EDIT_SIGNALS,
                con.execute(
                    f"SELECT {', '.join(f'coalesce(sum({c}), 0)' for c in EDIT_SIGNALS)} "
                    "FROM read_parquet($files, union_by_name=true)",
                    {"files": written},
                ).fetchone(),
                strict=True,
            )
        )
    if kept:
        funnel.kept, funnel.kept_chars = con.execute(
            "SELECT count(*), coalesce(sum(length(text)), 0) FROM read_parquet($files)", {"files": kept}
        ).fetchone()
    _check_ids(con, out, written, funnel)
    return funnel


REJECTED_ID_COLUMNS = {"id": "VARCHAR", "records": "BIGINT"}


def id_mismatch_sql(has_written: bool, has_rejected: bool) -> str:
    """SELECT id, read, written for every id whose counts differ; parameters $ledger (Parquet files of the read
    ledger), $written (kept/ + removed/ Parquet), $rejected (rejected/ JSONL) and $columns."""
    written = (
        ["SELECT id, count(*) AS n FROM read_parquet($written, union_by_name=true) GROUP BY id"] if has_written else []
    )
    if has_rejected:
        written.append(
            "SELECT id, sum(coalesce(records, 1)) AS n FROM read_json($rejected, format='newline_delimited', "
            "columns=$columns) GROUP BY id"
        )
    w = " UNION ALL ".join(written) if written else "SELECT NULL::VARCHAR AS id, 0::BIGINT AS n WHERE false"
    return (
        "WITH r AS (SELECT id, sum(records) AS n FROM read_parquet($ledger) GROUP BY id), "
        f"w AS (SELECT id, sum(n) AS n FROM ({w}) GROUP BY id) "
        "SELECT coalesce(r.id, w.id) AS id, coalesce(r.n, 0)::BIGINT AS read, coalesce(w.n, 0)::BIGINT AS written "
        "FROM r FULL OUTER JOIN w ON r.id = w.id WHERE coalesce(r.n, 0) <> coalesce(w.n, 0)"
    )


def _check_ids(con, out: Path, written: list[str], funnel: Funnel) -> None:
    """Compare the read ledger with what was written, by id (DuckDB); fills ids_lost / ids_extra / id_examples."""
    from kocorpus.readers.ledger import READ_IDS

    ledger = [str(p) for p in sorted((out / "logs" / READ_IDS).glob("*.parquet"))]
    if not ledger:
        return  # a run of an older kocorpus: counts only
    rejected = [str(p) for p in sorted((out / "rejected").glob("*.jsonl")) if p.stat().st_size]
    params = {"ledger": ledger} | ({"written": written} if written else {})
    if rejected:
        params |= {"rejected": rejected, "columns": REJECTED_ID_COLUMNS}
    sql = id_mismatch_sql(bool(written), bool(rejected))
    lost, extra, examples = con.execute(
        f"SELECT coalesce(sum(greatest(read - written, 0)), 0), coalesce(sum(greatest(written - read, 0)), 0), "
        f"list(id ORDER BY id)[:5] FROM ({sql})",
        params,
    ).fetchone()
    funnel.ids_checked, funnel.ids_lost, funnel.ids_extra = True, int(lost), int(extra)
    funnel.id_examples = list(examples or [])


def write_funnel(funnel: Funnel, path: Path) -> None:
    path.write_text(json.dumps(funnel.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def render_funnel(funnel: Funnel, title: str = "funnel"):
    """A rich Table of the funnel (documents, share of read, characters)."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("stage")
    table.add_column("documents", justify="right")
    table.add_column("% of read", justify="right")
    table.add_column("characters", justify="right")

    def pct(n: int) -> str:
        return f"{100 * n / funnel.read:.1f}%" if funnel.read else "-"

    if funnel.input_records:  # web input: every WARC record, documents or not
        table.add_row("WARC records", f"{sum(funnel.input_records.values()):,}", "", "", style="dim")
        for kind, n in funnel.input_records.items():
            note = "" if kind in ("response", "resource", "conversion") else " (counted, not a document)"
            table.add_row(f"  └ {kind}{note}", f"{n:,}", "", "", style="dim")
    table.add_row("read", f"{funnel.read:,}", pct(funnel.read), f"{funnel.read_chars:,}")
    table.add_row("rejected (malformed)", f"{funnel.rejected:,}", pct(funnel.rejected), "")
    for step, n in funnel.removed.items():
        table.add_row(f"removed by {step}", f"{n:,}", pct(n), f"{funnel.removed_chars.get(step, 0):,}")
        for reason, count in sorted(funnel.reasons.get(step, {}).items(), key=lambda x: -x[1]):
            table.add_row(f"  └ {reason}", f"{count:,}", pct(count), "", style="dim")
    table.add_row("kept", f"{funnel.kept:,}", pct(funnel.kept), f"{funnel.kept_chars:,}", style="bold")
    status = "ok" + (" (by id)" if funnel.ids_checked else "")
    if funnel.read != funnel.accounted:
        status = f"MISMATCH ({funnel.read:,} read vs {funnel.accounted:,} accounted)"
    elif not funnel.identity_ok:
        status = f"MISMATCH BY ID ({funnel.ids_lost:,} lost, {funnel.ids_extra:,} extra, e.g. {funnel.id_examples[:3]})"
    if funnel.duplicate_ids:
        table.add_row("  (warning) duplicate ids", f"{funnel.duplicate_ids:,}", "", "", style="yellow")
    table.caption = f"identity read = rejected + removed + kept: {status}; tasks {funnel.tasks_done}/{funnel.tasks}"
    for key, label in (("norm_chars_removed", "normalized away"), ("boilerplate_chars", "boilerplate stripped")):
        if funnel.edits.get(key):
            table.add_row(f"  (rewrite) {label}", "", "", f"{funnel.edits[key]:,}", style="dim")
    if funnel.edits.get("pii_total"):
        table.add_row("  (rewrite) PII values masked", f"{funnel.edits['pii_total']:,}", "", "", style="dim")
    if funnel.edits.get("dup_lines_removed"):
        table.add_row("  (rewrite) repeated lines removed", f"{funnel.edits['dup_lines_removed']:,} lines", "", "",
                      style="dim")  # fmt: skip
    return table
