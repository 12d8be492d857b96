"""Main-text extraction quality on labelled Korean web pages: ours (decode_html + the `extract` step, per generic
extractor) against FineWeb's set-up (datatrove WarcReader + Trafilatura, from a WARC written here), resiliparse
alone (its default decoding) and trafilatura / jusText alone (their own decoding of the bytes).

Pages: kocorpus.evaluation.web_pages (Naver blog SE3/SE2/frame shell, Naver news, Daum news, Tistory, forum,
public-office notice, WordPress-style blog, 404; UTF-8 and CP949 × header/meta/both/none/wrong charset label).
Per system and site family:
  recall    = expected body lines found in the output ÷ expected body lines (whitespace-normalized substring)
  leakage   = boilerplate strings found in the output ÷ boilerplate strings of the pages (menus, comments, related
              posts, categories, like buttons, bylines, copyright)
  lost      = pages with a body whose output is missing or holds < half their body lines (and is not garbled)
  garbled   = pages whose output has U+FFFD or ≥ 5 Latin-1 letters (À–ÿ: cp1252 mojibake of Hangul)
  junk      = pages that should give no document (frame shell, 404) but gave one
  pages/s   = pages ÷ seconds of decode + extract in this process (one core; the WARC read is included for the
              FineWeb set-up)
"ours-resiliparse+boilerplate" adds the pipeline's later boilerplate step (kocorpus/normalizers/boilerplate.py)
on the main text; "ours-resiliparse-norules" is the generic extractor without the site-rules file.
Targets: recall ≥ 0.95, leakage ≤ 0.05, 0 CP949 pages lost or garbled.

    python benchmarks/extraction_eval.py [--per-case 2] [--seed 0] [--systems ours-resiliparse fineweb ...]
"""

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

SYSTEMS = (
    "ours-resiliparse",
    "ours-resiliparse+boilerplate",
    "ours-trafilatura",
    "ours-justext",
    "ours-resiliparse-norules",
    "fineweb",
    "resiliparse",
    "trafilatura",
    "justext",
)


def run_ours(pages, extractor: str, site_rules: bool = True) -> dict[str, str | None]:
    """decode_html (kocorpus.text.decode) → the extract step's filter, in-process (no time-limit sandbox)."""
    from datatrove.data import Document

    from kocorpus.extractors.extract import ExtractConfig, MainTextExtractor
    from kocorpus.text.decode import decode_html

    block = MainTextExtractor(ExtractConfig(extractor=extractor, site_rules=site_rules, timeout_s=None))
    out: dict[str, str | None] = {}
    for p in pages:
        d = decode_html(p.html, p.content_type)
        meta = {"url": p.url, "encoding": d.encoding, "replacement_chars": d.replacements, "format": "html"}
        doc = Document(text=d.text, id=p.id, metadata=meta)
        keep = block.filter(doc)
        out[p.id] = doc.text if keep is True else None
    return out


def run_fineweb(pages, workdir: Path) -> dict[str, str | None]:
    """FineWeb's set-up: datatrove WarcReader → Trafilatura(favour_precision=True), on a WARC of the pages."""
    from io import BytesIO

    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import WarcReader
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = workdir / "pages.warc.gz"
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for p in pages:
            status = "200 OK" if p.status == 200 else "404 Not Found"
            http = StatusAndHeaders(status, [("Content-Type", p.content_type)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                p.url,
                "response",
                payload=BytesIO(p.html),
                http_headers=http,
                warc_headers_dict={"WARC-Identified-Payload-Type": "text/html", "WARC-Page-Id": p.id},
            )
            writer.write_record(rec)
    by_url = {p.url: p.id for p in pages}
    reader = WarcReader(str(workdir), glob_pattern="*.warc.gz")
    extractor = Trafilatura(favour_precision=True, timeout=10.0)
    out: dict[str, str | None] = dict.fromkeys(by_url.values())
    for doc in extractor.run(reader.run()):
        out[by_url[doc.metadata["url"]]] = doc.text
    return out


def run_resiliparse_alone(pages) -> dict[str, str | None]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from resiliparse.parse.html import HTMLTree

    out = {}
    for p in pages:
        html = bytes_to_str(p.html, detect_encoding(p.html))
        text = extract_plain_text(HTMLTree.parse(html), main_content=True)
        out[p.id] = text or None
    return out


def run_trafilatura_alone(pages) -> dict[str, str | None]:
    import trafilatura

    return {p.id: trafilatura.extract(p.html, url=p.url, include_comments=False) for p in pages}


def run_justext_alone(pages) -> dict[str, str | None]:
    import justext

    stop = justext.get_stoplist("Korean")
    out = {}
    for p in pages:
        paras = [x.text for x in justext.justext(p.html, stop) if not x.is_boilerplate]
        out[p.id] = "\n".join(paras) or None
    return out


def run_system(name: str, pages, workdir: Path) -> tuple[dict[str, str | None], float]:
    """(output text or None per page id, seconds) after a warm-up run on 5 pages (imports, models)."""
    if name != "fineweb":
        _run(name, pages[:5], workdir)
    start = time.perf_counter()
    result = _run(name, pages, workdir)
    return result, time.perf_counter() - start


def _run(name: str, pages, workdir: Path) -> dict[str, str | None]:
    if name.startswith("ours-"):
        base = name.split("+")[0]
        result = run_ours(pages, base.split("-")[1], site_rules=not base.endswith("norules"))
        if name.endswith("+boilerplate"):  # the pipeline's later line-level boilerplate step on the main text
            from kocorpus.normalizers.boilerplate import BoilerplateConfig, Stripper

            stripper = Stripper(BoilerplateConfig())
            result = {k: stripper.strip(v)[0] if v else v for k, v in result.items()}
    elif name == "fineweb":
        result = run_fineweb(pages, workdir)
    elif name == "resiliparse":
        result = run_resiliparse_alone(pages)
    elif name == "trafilatura":
        result = run_trafilatura_alone(pages)
    elif name == "justext":
        result = run_justext_alone(pages)
    else:
        raise SystemExit(f"unknown system {name!r} (known: {', '.join(SYSTEMS)})")
    return result


class Score:
    """Counts for one (system, group)."""

    def __init__(self):
        self.lines = self.found = self.boiler = self.leaked = 0
        self.pages = self.lost = self.garbled = self.junk = self.cp949_bad = 0

    def add(self, page, text: str | None) -> None:
        from kocorpus.evaluation.web_pages import norm, page_score

        self.pages += 1
        out = norm(text or "")
        found, leaked, is_garbled = page_score(page, text)
        self.lines += len(page.body)
        self.found += found
        self.leaked += leaked
        self.boiler += len(page.boilerplate)
        self.garbled += is_garbled
        lost = page.expect == "keep" and not is_garbled and found < len(page.body) / 2
        self.lost += lost
        self.junk += page.expect != "keep" and bool(out)
        self.cp949_bad += page.encoding == "cp949" and page.expect == "keep" and (lost or is_garbled)

    @property
    def recall(self) -> float:
        return self.found / self.lines if self.lines else float("nan")

    @property
    def leakage(self) -> float:
        return self.leaked / self.boiler if self.boiler else float("nan")


def score(pages, result: dict[str, str | None], key) -> dict[str, Score]:
    groups: dict[str, Score] = defaultdict(Score)
    from kocorpus.evaluation.web_pages import HELD_OUT

    for p in pages:
        groups[key(p)].add(p, result.get(p.id))
        groups["ALL"].add(p, result.get(p.id))
        if p.family in HELD_OUT:
            groups["held-out families"].add(p, result.get(p.id))
    return groups


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-case", type=int, default=2, help="variants per family × charset case (default 2)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--systems", nargs="+", default=list(SYSTEMS), help=f"default: {' '.join(SYSTEMS)}")
    ap.add_argument("--by-family", action="store_true", help="also print the per-family table of every system")
    args = ap.parse_args()

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from kocorpus.evaluation.web_pages import generate

    pages = list(generate(per_case=args.per_case, seed=args.seed))
    console = Console(width=140)
    n_cp = sum(p.encoding == "cp949" for p in pages)
    console.print(f"{len(pages)} pages ({n_cp} CP949), {sum(len(p.body) for p in pages)} body lines")
    totals = Table(title="all pages, per system", box=box.SIMPLE_HEAD)
    for col in ("system", "recall", "leakage", "lost", "garbled", "CP949 lost/garbled", "junk kept", "pages/s"):
        totals.add_column(col, justify="right")
    per_family: dict[str, dict[str, Score]] = {}
    with tempfile.TemporaryDirectory(prefix="kocorpus_extract_") as tmp:
        for name in args.systems:
            result, seconds = run_system(name, pages, Path(tmp))
            groups = score(pages, result, key=lambda p: p.family)
            per_family[name] = groups
            s = groups["ALL"]
            totals.add_row(
                name,
                f"{s.recall:.3f}",
                f"{s.leakage:.3f}",
                str(s.lost),
                str(s.garbled),
                str(s.cp949_bad),
                str(s.junk),
                f"{len(pages) / seconds:,.0f}",
            )
    console.print(totals)
    families = [k for k in next(iter(per_family.values())) if k not in ("ALL", "held-out families")]
    families.append("held-out families")
    table = Table(title="per site family: recall / leakage (lost, garbled, junk)", box=box.SIMPLE_HEAD)
    table.add_column("family")
    default_shown = ("ours-resiliparse", "ours-trafilatura", "fineweb", "trafilatura")
    shown = args.systems if args.by_family else [s for s in args.systems if s in default_shown]
    for name in shown:
        table.add_column(name, justify="right")
    for fam in families:
        row = [fam]
        for name in shown:
            s = per_family[name][fam]
            extra = f" ({s.lost},{s.garbled},{s.junk})" if s.lost or s.garbled or s.junk else ""
            row.append(f"{s.recall:.2f} / {s.leakage:.2f}{extra}")
        table.add_row(*row)
    console.print(table)


if __name__ == "__main__":
    main()
