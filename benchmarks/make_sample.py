"""Build the bundled demo corpus and the unit-test fixtures from the shared Korean test collection.

Reads ``<src>/*.jsonl`` (default ``../shared/data/korean`` relative to the repository root) and its
``../SOURCES.md``; writes ``kocorpus/data/sample/*.jsonl`` + ``SOURCES.md`` and ``tests/data/*.jsonl`` +
``NOTICE.md``. Documents are copied as whole original lines, byte for byte (ids, text and source untouched).
Every random choice uses ``random.Random(SEED)`` created afresh per file, so the output is deterministic.

    python benchmarks/make_sample.py [--src DIR] [--root REPO_ROOT]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SEED = 0
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SRC = REPO_ROOT.parent / "shared" / "data" / "korean"
SAMPLE_DIR = Path("kocorpus/data/sample")
FIXTURE_DIR = Path("tests/data")

KOREAN_FILES = (
    "nsmc",
    "hate_speech",
    "chatbot",
    "kornli",
    "korsts",
    "klue",
    "ud_korean",
    "park_news",
    "nk_news",
    "jhe",
    "kiwi_eval",
    "kiwipiepy_text",
)
OTHER_FILES = ("english", "code", "noise")
SHARE_ALIKE_NOTE = {
    **dict.fromkeys(
        ("hate_speech", "kornli", "korsts", "klue", "ud_korean", "park_news", "nk_news", "jhe"),
        " (ShareAlike: this subset stays under this licence)",
    ),
    "english": " (ShareAlike: the Park news part stays under CC BY-SA 3.0)",
    "noise": " (ShareAlike: the UD GSD and KLUE parts stay under CC BY-SA 4.0)",
}

KOREAN_FRACTION = 0.19  # share of docs taken from each Korean file (park_news/nk_news: NEWS_PAIRS instead)
NEWS_PAIRS = 30  # park_news/nk_news docs with the same '#split-linesA-B' suffix
ENGLISH_SHAKESPEARE = 15
ENGLISH_PARK = 10  # English side of the chosen news pairs (translation of the same line range)
CODE_DOCS = 4  # the shortest files
NOISE_PER_PART = (3, 2)  # docs per noise part: parts with >= 15 docs, smaller parts
MAX_LINE_BYTES = 60_000

# Fixture composition: (file, docs); only lines <= FIXTURE_MAX_BYTES are eligible.
KO_SMALL_PLAN = (
    ("nsmc", 8),
    ("chatbot", 7),
    ("kornli", 5),
    ("klue", 6),
    ("park_news", 4),
    ("ud_korean", 3),
    ("kiwipiepy_text", 4),
    ("kiwi_eval", 3),
)
FIXTURE_MAX_BYTES = 2_500
# Korean prose with many Latin-letter terms, chosen by hand among the docs with the lowest Hangul ratio
# (see the ratios printed by this script and benchmarks/hangul_ratio_threshold.py).
KO_TECHNICAL_IDS = (
    "kiwipiepy_text-000119",  # Wikipedia: GPT-3, OpenAI, generative pre-training
    "kiwipiepy_text-000051",  # blog explaining English idioms with example sentences
    "kiwipiepy_text-000021",  # blog: installing the 'linkclump' Chrome extension
    "park_news-000046",  # news: BT, Virgin Media, BSkyB ... file-sharing rules
    "kiwipiepy_text-000123",  # Wikipedia: electric guitar (Fender, Gibson, Telecaster ...)
    "kiwipiepy_text-000114",  # Wikipedia: Salesforce (SaaS, PaaS, CRM, Force.com ...)
    "kornli-000182",  # translated premises: LNL, SCR, CCS, 5-Digit ZIP
    "klue-000347",  # policy briefings with URLs (http://www.work.go.kr/...)
    "kornli-000215",  # translated premises: Windows dll files
)
EN_SMALL = (4, 4)  # (Shakespeare, Park news English), lines <= FIXTURE_MAX_BYTES
CODE_SMALL = 2  # the shortest code files
NOISE_SMALL_PARTS = (
    "#inline-tags",
    "#markup",
    "#space-markers",
    "synthetic-mojibake:utf8-as-cp1252",
    "synthetic-mojibake:utf8-as-latin1",
    "synthetic-mojibake:cp949-as-utf8",
    "synthetic-mojibake:utf8-as-cp949",
)
NOISE_SMALL_MAX_BYTES = 1_500

HANGUL_RANGES = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))


@dataclass(frozen=True)
class Doc:
    """One original JSONL line (without its newline) plus the parsed fields we select on."""

    raw: bytes
    id: str
    source: str
    text: str

    @property
    def size(self) -> int:
        return len(self.raw) + 1

    @property
    def line_range(self) -> str:
        """The '#split-linesA-B' suffix shared by park_news, nk_news and the Park part of english."""
        return self.source.rsplit("#", 1)[-1]

    @property
    def part(self) -> str:
        """Source with the per-document detail replaced by a placeholder (for breakdowns by part)."""
        if self.source.startswith("synthetic-mojibake:"):
            return self.source.split("(", 1)[0]
        part = re.sub(r"#chunk\d+$", "#chunk<N>", self.source)
        return re.sub(r"#\w+-lines\d+-\d+$", "#<split>-lines<A>-<B>", part)


def hangul_ratio(text: str) -> float:
    """Hangul syllables/jamo divided by non-whitespace characters (0.0 when there are none)."""
    chars = [c for c in text if not c.isspace()]
    hangul = sum(any(lo <= ord(c) <= hi for lo, hi in HANGUL_RANGES) for c in chars)
    return hangul / len(chars) if chars else 0.0


def read_docs(path: Path) -> list[Doc]:
    docs = []
    for raw in path.read_bytes().split(b"\n"):
        if raw:
            obj = json.loads(raw)
            docs.append(Doc(raw, obj["id"], obj["source"], obj["text"]))
    return docs


def write_docs(path: Path, docs: list[Doc]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(d.raw + b"\n" for d in docs))


def pick(docs: list[Doc], k: int, rng: random.Random) -> list[Doc]:
    """k docs chosen at random, returned in their original file order."""
    idx = sorted(rng.sample(range(len(docs)), min(k, len(docs))))
    return [docs[i] for i in idx]


def in_order(chosen: list[Doc], docs: list[Doc]) -> list[Doc]:
    ids = {d.id for d in chosen}
    return [d for d in docs if d.id in ids]


def select_sample(src: dict[str, list[Doc]]) -> dict[str, list[Doc]]:
    out: dict[str, list[Doc]] = {}
    ok = {name: [d for d in docs if d.size <= MAX_LINE_BYTES] for name, docs in src.items()}
    for name in KOREAN_FILES:
        if name not in ("park_news", "nk_news"):
            out[name] = pick(ok[name], max(3, round(len(src[name]) * KOREAN_FRACTION)), random.Random(SEED))
    park = pick(ok["park_news"], NEWS_PAIRS, random.Random(SEED))
    ranges = {d.line_range for d in park}
    out["park_news"] = park
    out["nk_news"] = [d for d in ok["nk_news"] if d.line_range in ranges]
    assert len(out["nk_news"]) == len(park), "nk_news/park_news line ranges do not match"

    rng = random.Random(SEED)
    shakespeare = [d for d in ok["english"] if "tinyshakespeare" in d.source]
    park_en = [d for d in ok["english"] if "korean-english-park" in d.source and d.line_range in ranges]
    chosen = rng.sample(shakespeare, ENGLISH_SHAKESPEARE) + rng.sample(park_en, ENGLISH_PARK)
    out["english"] = in_order(chosen, src["english"])

    out["code"] = in_order(sorted(ok["code"], key=lambda d: (d.size, d.id))[:CODE_DOCS], src["code"])

    rng = random.Random(SEED)
    parts: dict[str, list[Doc]] = {}
    for d in ok["noise"]:
        parts.setdefault(d.part, []).append(d)
    chosen = []
    for part_docs in parts.values():
        chosen += rng.sample(part_docs, NOISE_PER_PART[0] if len(part_docs) >= 15 else NOISE_PER_PART[1])
    out["noise"] = in_order(chosen, src["noise"])
    return {name: out[name] for name in KOREAN_FILES + OTHER_FILES}


def select_fixtures(src: dict[str, list[Doc]]) -> dict[str, list[Doc]]:
    small = {name: [d for d in docs if d.size <= FIXTURE_MAX_BYTES] for name, docs in src.items()}
    small = {name: [d for d in docs if d.id not in KO_TECHNICAL_IDS] for name, docs in small.items()}
    ko: list[Doc] = []
    for name, k in KO_SMALL_PLAN:
        ko += pick(small[name], k, random.Random(SEED))

    by_id = {d.id: d for name in KOREAN_FILES for d in src[name]}
    technical = [by_id[i] for i in KO_TECHNICAL_IDS]

    rng = random.Random(SEED)
    n_shakespeare, n_park = EN_SMALL
    en = rng.sample([d for d in small["english"] if "tinyshakespeare" in d.source], n_shakespeare)
    en += rng.sample([d for d in small["english"] if "korean-english-park" in d.source], n_park)

    code = sorted(src["code"], key=lambda d: (d.size, d.id))[:CODE_SMALL]

    rng = random.Random(SEED)
    noise = []
    for marker in NOISE_SMALL_PARTS:
        cands = [d for d in src["noise"] if marker in d.part and d.size <= NOISE_SMALL_MAX_BYTES]
        noise.append(rng.choice(cands))
    return {
        "ko_small": ko,
        "ko_technical": technical,
        "en_small": in_order(en, src["english"]),
        "code_small": in_order(code, src["code"]),
        "noise_small": in_order(noise, src["noise"]),
    }


def parse_sources_md(path: Path) -> dict[str, dict[str, str]]:
    """Per-file metadata ('Repository', 'Commit', 'Paths', 'Licence') from the collection's SOURCES.md."""
    meta: dict[str, dict[str, str]] = {}
    for block in re.split(r"^### ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        block = block.split("\n## ", 1)[0]  # stop at the next level-2 section
        m = re.match(r"korean/(\w+)\.jsonl", block)
        if m:
            fields = dict(re.findall(r"^- (Repository|Commit|Paths|Licence): (.*)$", block, flags=re.M))
            missing = {"Repository", "Commit", "Paths", "Licence"} - set(fields)
            assert not missing, f"{m.group(1)}: SOURCES.md lacks {missing}"
            meta[m.group(1)] = fields
    return meta


def doc_origin(doc: Doc, meta: dict[str, str]) -> str:
    """'repo@commit (licence)' for a doc of a multi-repository file, looked up in its Commit field."""
    repo = re.sub(r"^synthetic-mojibake:.*\(from \S+ ([^:]+):.*$", r"\1", doc.source).split(":", 1)[0]
    m = re.search(rf"{re.escape(repo)}@([0-9a-f]{{40}})(?: \((.*?)\))?(?=[;`]|$)", meta["Commit"])
    assert m, f"{doc.id}: {repo} not in the Commit field"
    return f"{repo}@{m.group(1)}" + (f" ({m.group(2)})" if m.group(2) else "")


def parts_breakdown(docs: list[Doc]) -> list[str]:
    counts = Counter(d.part for d in docs)
    return [f"  - `{part}`: {n}" for part, n in counts.items()]


def sources_md(sample: dict[str, list[Doc]], meta: dict[str, dict[str, str]]) -> str:
    names = list(sample)
    total = sum(d.size for n in names for d in sample[n])
    ko_bytes = sum(d.size for n in KOREAN_FILES for d in sample[n])
    lines = [
        "# Demo corpus: sources and licences",
        "",
        "Every `*.jsonl` file here is a subset of the file of the same name in the project's shared Korean test",
        "collection (`shared/data/korean/`, documented in its `SOURCES.md`). Whole original lines were copied byte",
        "for byte: `id`, `text` and `source` are unchanged, and the upstream provenance of each document is in its",
        "`source` field. The selection is made by `benchmarks/make_sample.py` (seeded with `random.Random(0)`;",
        "re-running it on the same collection gives identical files).",
        "",
        "**These files are not covered by the project's Apache-2.0 licence.** Each stays under its upstream licence",
        "(below). The ShareAlike files (CC BY-SA 3.0/4.0) remain under CC BY-SA: redistribute or adapt them only",
        "under the same licence with this attribution; the LGPL-2.1 files remain under LGPL-2.1-or-later.",
        "",
        "Selection: ~19% of the docs of each Korean file (at least 3); park_news and nk_news hold the same",
        f"{NEWS_PAIRS} line ranges (`#split-linesA-B` suffix of `source`), so nk_news doc *i* is a North-Korean-",
        "orthography near-duplicate of park_news doc *i*; english = Tiny Shakespeare chunks plus the English side",
        "of some of those park_news line ranges; code = the shortest files; noise = 2-3 docs of each noise kind.",
        "No line is longer than 60 KB.",
        "",
        f"Total: {sum(len(sample[n]) for n in names)} docs, {total:,} bytes; the 12 Korean files are "
        f"{ko_bytes:,} bytes ({ko_bytes / total:.0%}).",
        "",
        "| file | docs | bytes | licence |",
        "|---|---:|---:|---|",
    ]
    for n in names:
        lines.append(f"| {n}.jsonl | {len(sample[n])} | {sum(d.size for d in sample[n]):,} | {meta[n]['Licence']} |")
    for n in names:
        m = meta[n]
        lines += [
            "",
            f"## {n}.jsonl",
            "",
            f"- Repository: {m['Repository']}",
            f"- Commit: {m['Commit']}",
            f"- Paths: {m['Paths']}",
            f"- Licence: {m['Licence']}" + SHARE_ALIKE_NOTE.get(n, ""),
            f"- In this subset: {len(sample[n])} docs, {sum(d.size for d in sample[n]):,} bytes",
        ]
        if n in OTHER_FILES:
            lines += ["- Parts (`source`, docs):", *parts_breakdown(sample[n])]
        if n in ("code", "noise"):
            lines += ["- Per document (repository@commit):"]
            lines += [f"  - {d.id}: `{d.source}` from {doc_origin(d, m)}" for d in sample[n]]
    return "\n".join(lines) + "\n"


FIXTURE_NOTES = {
    "ko_small": "Korean docs from several files (reviews, chat, translated NLI, news, policy, wiki, blogs, dialect).",
    "ko_technical": (
        "Korean prose with many Latin-letter terms (English words, acronyms, product names, URLs), picked by hand "
        "among the Korean docs with the lowest Hangul ratio. Used to check that a Hangul-ratio filter keeps Korean "
        "technical text."
    ),
    "en_small": "English prose: Tiny Shakespeare chunks and English side of the Park news corpus.",
    "code_small": "The two shortest source files, whole and verbatim (no truncation was needed).",
    "noise_small": "Markup (inline NER tags, <n e=..> markup, spacing markers) and the four kinds of synthetic mojibake.",
}


def notice_md(fixtures: dict[str, list[Doc]], meta: dict[str, dict[str, str]]) -> str:
    lines = [
        "# Test fixtures: origin, licence and attribution",
        "",
        "Each `*.jsonl` here holds whole original lines copied byte for byte from the project's shared Korean test",
        "collection (`shared/data/korean/*.jsonl`; see its `SOURCES.md`), selected by `benchmarks/make_sample.py`.",
        "The `id` prefix names the collection file, and `source` names the upstream repository and path.",
        "",
        "**These files are not covered by the project's Apache-2.0 licence**: each document stays under the licence",
        "of its upstream file (tables below). CC BY-SA documents (ShareAlike) remain under CC BY-SA; LGPL documents",
        "remain under LGPL-2.1-or-later.",
    ]
    for name, docs in fixtures.items():
        lines += [
            "",
            f"## {name}.jsonl",
            "",
            FIXTURE_NOTES[name],
            f"{len(docs)} docs, {sum(d.size for d in docs):,} bytes.",
            "",
        ]
        if name == "ko_technical":
            lines += ["| id | Hangul ratio | source |", "|---|---:|---|"]
            lines += [f"| {d.id} | {hangul_ratio(d.text):.3f} | `{d.source}` |" for d in docs]
            lines.append("")
        origins = Counter(d.id.rsplit("-", 1)[0] for d in docs)
        if name in ("code_small", "noise_small"):
            m = meta[next(iter(origins))]
            lines += [f"Licence: {m['Licence']}", "", "Per document (repository@commit):"]
            lines += [f"- {d.id}: `{d.source}` from {doc_origin(d, m)}" for d in docs]
            continue
        lines += ["| from file | docs | repository @ commit | licence |", "|---|---:|---|---|"]
        for origin, n in origins.items():
            m = meta[origin]
            lines.append(f"| {origin}.jsonl | {n} | {m['Repository']} @ {m['Commit']} | {m['Licence']} |")
    return "\n".join(lines) + "\n"


def malformed_lines(docs: list[Doc]) -> bytes:
    """A few deliberately broken records built from real sample lines, so that `make demo` shows rejected/:
    a line cut in half, a line with an invalid UTF-8 byte, a null text, a record without text, and two
    good records without ids (they get `file:line` ids)."""
    a, b, c, d, e, f = docs[:6]
    lines = [
        a.raw[: len(a.raw) // 2],  # truncated JSON
        b.raw.replace(b'"text": "', b'"text": "\xff', 1),  # invalid UTF-8 byte inside the text
        json.dumps({"id": f"{c.id}-null", "text": None, "source": c.source}).encode(),
        json.dumps({"id": f"{d.id}-notext", "body": d.text}, ensure_ascii=False).encode(),
        json.dumps({"text": e.text, "source": e.source}, ensure_ascii=False).encode(),
        json.dumps({"text": f.text, "source": f.source}, ensure_ascii=False).encode(),
    ]
    return b"\n".join(lines) + b"\n"


def web_junk(sample: dict[str, list[Doc]], seed: int = 0) -> bytes:
    """Generated web-like documents for the demo (no upstream text except the bodies noted): spam pages,
    real news bodies wrapped in news-site boilerplate, boilerplate-only pages, word salad, and real news
    paragraphs with PII sentences appended, so that `make demo` shows every Korean quality step at work."""
    from kocorpus.evaluation.quality_synthetic import word_salad
    from kocorpus.evaluation.spam import make_boilerplate_page, make_spam_page
    from kocorpus.formatters.pii_eval import make_pii_eval_set

    rng = random.Random(seed)
    news = [d.text for d in sample["klue"] + sample["park_news"] if 300 < len(d.text) < 2500]
    docs: list[tuple[str, str]] = []
    docs += [("spam", make_spam_page(rng)) for _ in range(8)]
    docs += [("boilerplate-wrapped", make_boilerplate_page(rng, body)) for body in rng.sample(news, 6)]
    docs += [("boilerplate-only", make_boilerplate_page(rng, "")) for _ in range(4)]
    docs += [("word-salad", word_salad(t, rng)) for t in rng.sample(news, 6)]
    pii = make_pii_eval_set(6, seed)
    docs += [("pii", f"{body}\n{ex['text']}") for body, ex in zip(rng.sample(news, 6), pii, strict=True)]
    lines = [
        json.dumps({"id": f"web_junk-{i:06d}", "text": text, "source": f"generated:{kind}"}, ensure_ascii=False)
        for i, (kind, text) in enumerate(docs, start=1)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC, help="folder with the collection's *.jsonl")
    ap.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root to write into")
    args = ap.parse_args()

    src = {n: read_docs(args.src / f"{n}.jsonl") for n in KOREAN_FILES + OTHER_FILES}
    meta = parse_sources_md(args.src.parent / "SOURCES.md")
    sample = select_sample(src)
    fixtures = select_fixtures(src)

    sample_dir, fixture_dir = args.root / SAMPLE_DIR, args.root / FIXTURE_DIR
    for name, docs in sample.items():
        write_docs(sample_dir / f"{name}.jsonl", docs)
    note = (
        "\n## malformed.jsonl\n\n6 records built by `malformed_lines()` in `benchmarks/make_sample.py` from "
        "chatbot.jsonl documents that are not otherwise in the sample (songys/Chatbot_data, MIT): a line cut "
        "in half, an invalid UTF-8 byte, a null text, a record without text, and two records without ids. "
        "They exist so that `make demo` shows rejected/ and generated ids.\n"
        "\n## web_junk.jsonl\n\n30 documents generated by `web_junk()` in `benchmarks/make_sample.py` with the "
        "project's own generators (kocorpus/evaluation/spam.py, kocorpus/formatters/pii_eval.py, "
        "kocorpus/evaluation/quality_synthetic.py; Apache-2.0): spam pages, boilerplate-only pages, and news bodies from this "
        "sample's klue.jsonl / park_news.jsonl (CC BY-SA 4.0 / 3.0, see above) wrapped in generated news-site "
        "boilerplate, shuffled into word salad, or followed by generated sentences with fake personal data "
        "(all numbers random). They exist so that `make demo` shows the boilerplate, spam, quality and PII steps.\n"
    )
    (sample_dir / "SOURCES.md").write_text(sources_md(sample, meta) + note, encoding="utf-8")
    # built from chatbot docs that are NOT in the sample, so the demo's good records stay unique
    chosen = {d.id for d in sample["chatbot"]}
    spare = [d for d in src["chatbot"] if d.id not in chosen and d.size < 2000]
    (sample_dir / "malformed.jsonl").write_bytes(malformed_lines(spare))
    (sample_dir / "web_junk.jsonl").write_bytes(web_junk(sample))
    for name, docs in fixtures.items():
        write_docs(fixture_dir / f"{name}.jsonl", docs)
    (fixture_dir / "NOTICE.md").write_text(notice_md(fixtures, meta), encoding="utf-8")

    for title, group in (("sample", sample), ("fixtures", fixtures)):
        print(f"\n{title:<24} {'docs':>6} {'bytes':>10}")
        for name, docs in group.items():
            print(f"{name + '.jsonl':<24} {len(docs):>6} {sum(d.size for d in docs):>10,}")
        print(f"{'total':<24} {sum(map(len, group.values())):>6} {sum(d.size for g in group.values() for d in g):>10,}")
    print("\nko_technical Hangul ratios:")
    for d in fixtures["ko_technical"]:
        print(f"  {d.id:<24} {hangul_ratio(d.text):.3f}")


if __name__ == "__main__":
    main()
