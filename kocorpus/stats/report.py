"""`kocorpus report OUT`: a self-contained HTML report of a run (charts embedded as PNG data URIs) plus the PNGs.

Everything comes from the run's DuckDB store (built first when missing): funnel, length and Hangul-ratio
histograms kept vs removed, POS distribution kept vs removed, duplicate-cluster sizes, top morphemes and nouns,
and samples of removed documents per reason. Chart labels are ASCII (tags, step names), so no Hangul font is
needed; Korean text appears in the HTML tables, which the browser renders.
"""

import base64
import html
import io
from datetime import UTC, datetime
from pathlib import Path

KEPT, REMOVED, REJECTED = "#2e7d32", "#c62828", "#757575"


def _fig():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.6), dpi=110)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _save(fig, folder: Path, name: str) -> str:
    """Write `name`.png and return it as a data URI."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    (folder / f"{name}.png").write_bytes(buf.getvalue())
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def chart_funnel(con, folder: Path) -> str:
    rows = con.execute(
        "SELECT CASE status WHEN 'removed' THEN removed_by ELSE status END, status, count(*) FROM documents "
        "GROUP BY 1, 2 ORDER BY CASE status WHEN 'kept' THEN 0 WHEN 'removed' THEN 1 ELSE 2 END, 3 DESC"
    ).fetchall()
    fig, ax = _fig()
    fig.set_size_inches(7.5, 0.32 * len(rows) + 1.2)
    labels = [r[0] for r in rows][::-1]
    values = [r[2] for r in rows][::-1]
    colors = [{"kept": KEPT, "removed": REMOVED}.get(r[1], REJECTED) for r in rows][::-1]
    bars = ax.barh(labels, values, color=colors)
    ax.bar_label(bars, labels=[f"{v:,}" for v in values], padding=3, fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("documents (log scale)")
    ax.set_title("Where every input record ended")
    return _save(fig, folder, "funnel")


def _kept_removed(con, column: str) -> tuple[list[float], list[float]]:
    rows = con.execute(f"SELECT status, {column} FROM documents WHERE {column} IS NOT NULL AND status <> 'rejected'")
    kept, removed = [], []
    for status, value in rows.fetchall():
        (kept if status == "kept" else removed).append(float(value))
    return kept, removed


def chart_lengths(con, folder: Path) -> str:
    import numpy as np

    kept, removed = _kept_removed(con, "n_chars")
    fig, ax = _fig()
    top = max([*kept, *removed, 10.0])
    bins = np.logspace(0, np.log10(top) + 0.05, 40)
    ax.hist([max(v, 1) for v in kept], bins=bins, histtype="stepfilled", alpha=0.55, color=KEPT, label="kept")
    ax.hist([max(v, 1) for v in removed], bins=bins, histtype="step", lw=2, color=REMOVED, label="removed")
    ax.set_xscale("log")
    ax.set_xlabel("characters per document (log scale)")
    ax.set_ylabel("documents")
    ax.set_title("Document length, kept vs removed")
    ax.legend(frameon=False)
    return _save(fig, folder, "lengths")


def chart_hangul(con, folder: Path) -> str:
    import numpy as np

    kept, removed = _kept_removed(con, "hangul_ratio")
    fig, ax = _fig()
    bins = np.linspace(0, 1, 41)
    ax.hist(kept, bins=bins, histtype="stepfilled", alpha=0.55, color=KEPT, label="kept")
    ax.hist(removed, bins=bins, histtype="step", lw=2, color=REMOVED, label="removed")
    ax.set_xlabel("Hangul characters / non-space characters")
    ax.set_ylabel("documents")
    ax.set_title("Hangul ratio, kept vs removed")
    ax.legend(frameon=False)
    return _save(fig, folder, "hangul_ratio")


def chart_pos(con, folder: Path) -> str:
    import numpy as np

    rows = con.execute(
        "WITH t AS (SELECT d.status, j.key AS tag, sum(j.value::BIGINT) AS n FROM documents d, json_each(d.pos_counts) j "
        "WHERE d.status <> 'rejected' AND d.pos_counts IS NOT NULL GROUP BY ALL) "
        "SELECT tag, coalesce(sum(n) FILTER (status = 'kept') / (SELECT sum(n) FROM t WHERE status = 'kept'), 0), "
        "coalesce(sum(n) FILTER (status = 'removed') / (SELECT sum(n) FROM t WHERE status = 'removed'), 0) "
        "FROM t GROUP BY tag ORDER BY sum(n) DESC LIMIT 18"
    ).fetchall()
    fig, ax = _fig()
    x = np.arange(len(rows))
    ax.bar(x - 0.2, [100 * r[1] for r in rows], 0.4, color=KEPT, label="kept")
    ax.bar(x + 0.2, [100 * r[2] for r in rows], 0.4, color=REMOVED, label="removed")
    ax.set_xticks(x, [r[0] for r in rows], rotation=45, fontsize=8)
    ax.set_ylabel("% of morphemes")
    ax.set_title("Part-of-speech distribution (Kiwi Sejong tags)")
    ax.legend(frameon=False)
    return _save(fig, folder, "pos")


def chart_clusters(con, folder: Path) -> str:
    rows = con.execute(
        "SELECT minhash_cluster_size, count(*) FROM documents WHERE status = 'kept' AND minhash_cluster_size "
        "IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    fig, ax = _fig()
    if rows:
        ax.bar([str(r[0]) for r in rows], [r[1] for r in rows], color="#1565c0")
        ax.set_yscale("log")
    else:
        ax.text(0.5, 0.5, "MinHash dedup was off", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("near-duplicate cluster size (1 = unique)")
    ax.set_ylabel("kept documents (log)")
    ax.set_title("MinHash cluster sizes")
    return _save(fig, folder, "clusters")


def _table(cols: list[str], rows: list[tuple], cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{_fmt(v)}</td>" for v in r) + "</tr>" for r in rows
    )  # fmt: skip
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _fmt(value) -> str:
    if value is None:
        return '<span class="null">–</span>'
    if isinstance(value, float):
        return f"{value:,.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return html.escape(str(value))


def _query(con, sql: str) -> tuple[list[str], list[tuple]]:
    rel = con.sql(sql)
    return rel.columns, rel.fetchall()


CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans KR","Apple SD Gothic Neo",sans-serif;margin:0;background:#f6f7f9;
color:#1d2329}
header{background:#13315c;color:#fff;padding:22px 36px}header h1{margin:0;font-size:24px}
header p{margin:6px 0 0;opacity:.85}main{max-width:1180px;margin:0 auto;padding:18px 28px 60px}
.cards{display:flex;gap:14px;flex-wrap:wrap;margin:18px 0}
.card{background:#fff;border-radius:10px;padding:14px 20px;box-shadow:0 1px 3px rgba(0,0,0,.08);min-width:150px}
.card b{display:block;font-size:26px}.card span{color:#5b6770;font-size:13px}
section{background:#fff;border-radius:10px;padding:16px 22px;margin:18px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:18px;margin:4px 0 12px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
img{max-width:100%}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e4e7eb;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;position:sticky;top:0}td.snip,table.samples td:last-child{max-width:520px;color:#333}
.null{color:#aaa}.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}
@media(max-width:900px){.grid{grid-template-columns:1fr}}
"""


# Per source (the `source` field, else the input file's top directory): read/kept/removed and the removal reasons
# that cost it documents, so a user sees which kinds of text a threshold takes out.
REASONS_BY_SOURCE = """
WITH d AS (SELECT coalesce(source, split_part(file, '/', 1), '(none)') AS source, status, removed_by, reason
           FROM documents),
r AS (SELECT source, removed_by || ': ' || coalesce(reason, '?') AS why, count(*) AS n
      FROM d WHERE status = 'removed' GROUP BY ALL),
ranked AS (SELECT *, row_number() OVER (PARTITION BY source ORDER BY n DESC, why) AS k FROM r),
s AS (SELECT source, count(*) AS read, count(*) FILTER (status = 'kept') AS kept,
             count(*) FILTER (status = 'removed') AS removed, count(*) FILTER (status = 'rejected') AS rejected
      FROM d GROUP BY source)
SELECT s.source, read, kept, round(100.0 * kept / read, 1) AS "kept %", removed, rejected,
       coalesce(string_agg(why || ' ' || n, ' · ' ORDER BY n DESC, why), '') AS "removal reasons (step: reason docs)"
FROM s LEFT JOIN ranked ON ranked.source = s.source AND k <= 6
GROUP BY ALL ORDER BY read DESC, s.source LIMIT 50
"""


def write_report(out: Path, db: Path | None = None, output: Path | None = None, samples: int = 2) -> Path:
    """Write OUT/report/index.html (+ PNGs); returns the HTML path. Builds the store first when missing."""
    import json

    import duckdb

    from kocorpus.stats.store import build_store

    out = Path(out)
    db = Path(db) if db else out / "corpus.duckdb"
    if not db.is_file():
        build_store(out, db)
    folder = Path(output) if output else out / "report"
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    funnel = json.loads((out / "funnel.json").read_text()) if (out / "funnel.json").is_file() else {}
    counts = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY 1").fetchall())
    total = sum(counts.values())
    chars = con.execute("SELECT coalesce(sum(n_chars), 0) FROM documents WHERE status = 'kept'").fetchone()[0]
    identity = funnel.get("read") == total if funnel else None
    charts = {
        "funnel": chart_funnel(con, folder),
        "lengths": chart_lengths(con, folder),
        "hangul": chart_hangul(con, folder),
        "pos": chart_pos(con, folder),
        "clusters": chart_clusters(con, folder),
    }
    reasons = _table(*_query(con, "SELECT removed_by AS step, reason, documents FROM funnel_reasons"))
    by_source = _table(*_query(con, REASONS_BY_SOURCE))
    top = _table(*_query(con, "SELECT form, tag, filtered_count AS count, filtered_docs AS docs FROM morphemes "
                              "WHERE filtered_count > 0 ORDER BY filtered_count DESC LIMIT 30"))  # fmt: skip
    nouns = _table(*_query(con, "SELECT form, tag, filtered_count AS count, filtered_docs AS docs FROM morphemes "
                                "WHERE tag IN ('NNG','NNP') AND filtered_count > 0 ORDER BY filtered_count DESC "
                                "LIMIT 30"))  # fmt: skip
    sample_rows = _query(
        con,
        "SELECT removed_by AS step, reason, id, left(snippet, 160) AS text FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY removed_by, reason ORDER BY hash(id)) AS k FROM documents WHERE status <> 'kept') "
        f"WHERE k <= {int(samples)} ORDER BY status, step, reason, k",
    )
    samples_html = _table(*sample_rows, cls="samples")
    con.close()

    def card(value, label: str) -> str:
        return f"<div class='card'><b>{_fmt(value)}</b><span>{html.escape(label)}</span></div>"

    status = (
        "<span class='ok'>identity holds</span>"
        if identity
        else "<span class='bad'>identity broken</span>"
        if identity is False
        else ""
    )
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>kocorpus report — {html.escape(out.name)}</title>
<style>{CSS}</style></head><body>
<header><h1>kocorpus corpus report</h1><p>{html.escape(str(out))} · {created} · {status}</p></header><main>
<div class="cards">{card(total, "input records")}{card(counts.get("kept", 0), "kept")}
{card(counts.get("removed", 0), "removed")}{card(counts.get("rejected", 0), "rejected (malformed)")}
{card(chars, "characters kept")}{card(round(100 * counts.get("kept", 0) / total, 1) if total else 0, "% kept")}</div>
<section><h2>Funnel</h2><div class="grid"><img src="{charts["funnel"]}" alt="funnel chart"><div>{reasons}</div></div>
</section>
<section><h2>Removal reasons by source</h2><p style="color:#5b6770;font-size:13px">Which kinds of text each step
costs: per source, the six most frequent removal reasons (top 50 sources by size).</p>{by_source}</section>
<section><h2>Length and Hangul ratio</h2><div class="grid"><img src="{charts["lengths"]}" alt="length histogram">
<img src="{charts["hangul"]}" alt="Hangul ratio histogram"></div></section>
<section><h2>Morphology</h2><img src="{charts["pos"]}" alt="POS distribution">
<div class="grid"><div><h3>Top morphemes (passed the filters)</h3>{top}</div><div><h3>Top nouns</h3>{nouns}</div></div>
</section>
<section><h2>Duplicates</h2><img src="{charts["clusters"]}" alt="cluster sizes"></section>
<section><h2>Samples of removed and rejected records, per reason</h2>{samples_html}</section>
<p style="color:#5b6770;font-size:12px">Query the same data: <code>kocorpus sql {html.escape(str(db))} -f sql/NAME.sql</code></p>
</main></body></html>"""
    path = folder / "index.html"
    path.write_text(body, encoding="utf-8")
    return path
