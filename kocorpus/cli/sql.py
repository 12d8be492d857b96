"""`kocorpus sql DB "SELECT …"` / `kocorpus sql DB -f sql/NAME.sql`: query a run's DuckDB store."""

import argparse
import sys
from pathlib import Path

FORMATS = ("table", "csv", "json", "parquet")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sql",
        help="run SQL on a run's DuckDB store",
        description="DB is a .duckdb file or a run's OUT directory (OUT/corpus.duckdb). Tables: documents, "
        "morphemes; views: funnel, funnel_reasons, funnel_by_source. Ready-made queries: sql/*.sql.",
    )
    p.add_argument("db", type=Path, metavar="DB", help=".duckdb file or run directory")
    p.add_argument("query", nargs="?", help="SQL text (or use -f)")
    p.add_argument("-f", "--file", type=Path, help="read the SQL from this file")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout (required for parquet)")
    p.add_argument("--max-rows", type=int, default=100, help="table format: rows shown (default 100)")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    import duckdb

    from kocorpus.errors import UserError
    from kocorpus.stats.store import resolve_db

    if (args.query is None) == (args.file is None):
        raise UserError("give either a query or -f FILE")
    if args.format == "parquet" and not args.output:
        raise UserError("--format parquet needs --output FILE")
    db = resolve_db(args.db)
    try:
        sql = args.file.read_text(encoding="utf-8") if args.file else args.query
    except (FileNotFoundError, IsADirectoryError) as e:
        raise UserError(f"-f {args.file}: {e.strerror or e}") from None
    con = duckdb.connect(str(db), read_only=True)
    try:
        rel = con.sql(sql)
        if rel is None:
            raise UserError("the SQL returns no rows (give a SELECT)")
        if args.format == "parquet":
            rel.write_parquet(str(args.output))
            print(f"wrote {args.output}")
            return 0
        cols, rows = rel.columns, rel.fetchall()
    except duckdb.Error as e:
        raise UserError(f"{type(e).__name__}: {e}".strip()) from None
    text = render(cols, rows, args.format, args.max_rows)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(rows):,} rows)")
    else:
        sys.stdout.write(text)
    return 0


def render(cols: list[str], rows: list[tuple], fmt: str, max_rows: int = 100) -> str:
    """Rows as an aligned text table, CSV or JSON (one object per row, in a list)."""
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        import json

        return (
            json.dumps([dict(zip(cols, r, strict=True)) for r in rows], ensure_ascii=False, indent=1, default=str)
            + "\n"
        )
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for c in cols:
        table.add_column(c, overflow="ellipsis", no_wrap=True, max_width=60)
    for r in rows[:max_rows]:
        table.add_row(*(_cell(v) for v in r))
    import io
    import shutil

    console = Console(width=max(120, shutil.get_terminal_size((200, 40)).columns), record=True, file=io.StringIO())
    console.print(table)
    more = f"({len(rows):,} rows, {max_rows} shown)\n" if len(rows) > max_rows else f"({len(rows):,} rows)\n"
    return console.export_text() + more


def _cell(value, width: int = 80) -> str:
    """A table cell: ∅ for NULL, 4 significant digits for floats, long text cut at `width` characters."""
    if value is None:
        return "∅"
    if isinstance(value, float):
        return f"{value:,.4g}"
    text = str(value).replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"
