"""Issue 16's privacy guarantee end to end: with a pii step in the pipeline, no raw value of any PII type appears in
any file under OUT — kept, removed by every step (before and after the pii step) and every dedup family,
rejected snippets, the DuckDB store (every VARCHAR column of every table), the morpheme statistics, the HTML
report and the logs. `--keep-raw-removed` is the one, explicit, way to get raw removed text back."""

import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import DATA, load_jsonl, write_jsonl

from kocorpus.cli import main

# every type, every claimed layout; numbers are fake (valid check digits where a type has one)
RAW = {
    "rrn": "900101-1234568",
    "rrn_new": "210301-4555552",  # issued since Oct 2020: check digit fails
    "rrn_bare": "8503155345676",  # foreigner, no separator
    "phone": "010-4731-9796",
    "phone_spaced": "010 4731 9796",
    "phone_intl": "+82 10 2345 6789",
    "email": "hong.gildong@naver.com",
    "ip": "211.234.56.78",
    "account_bank": "123456-01-234567",
    "account_context": "3333-01-1234567",
    "card_dotted": "4532.0151.1283.0366",
    "passport": "M123A4567",
    "passport_old": "S87654321",
    "license": "11-22-123456-12",
    "wrapped": "010-5555-\n1234",
    "fused_rrn": "880101-1234568",
    "fused_phone": "010-9876-5432",
}
PII_BLOCK = (
    f"주민등록번호 {RAW['rrn']}, 새 주민번호 {RAW['rrn_new']}, 외국인등록번호 {RAW['rrn_bare']}.\n"
    f"연락처 {RAW['phone']} 또는 {RAW['phone_spaced']}, 해외에서는 {RAW['phone_intl']} 로 전화 주세요.\n"
    f"메일 {RAW['email']} 접속 IP {RAW['ip']}\n"
    f"국민은행 {RAW['account_bank']} 예금주 홍길동, 입금 계좌: {RAW['account_context']}\n"
    f"카드 {RAW['card_dotted']} 여권 {RAW['passport']} 구여권 {RAW['passport_old']} 운전면허 {RAW['license']}\n"
    f"휴대폰 {RAW['wrapped']} 입니다.\n신청인 {RAW['fused_rrn']}\u200b{RAW['fused_phone']} 확인.\n"
)
TITLE = f"문의 {RAW['phone']} / {RAW['email']}"
PIPELINE = """
name: privacy
reader: {format: jsonl}
steps:
  - language: {languages: [ko], threshold: 0.5}   # before pii: the removed/ writer masks
  - spam: {}                                      # before pii too
  - pii: {}
  - normalize: {}
  - kiwi: {threads: 1}
  - morph_stats: {frequencies: true}
  - gopher_quality: {min_doc_words: 150}
dedup:
  exact: {enabled: true}
  minhash: {enabled: true}
"""


def _compact(s: str) -> str:
    return re.sub(r"[\s\u200b]", "", s)


def _unescape(s: str) -> str:
    """JSON string escapes decoded (files hold `\\n`, `\\uXXXX` where the text had a newline, a syllable)."""
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", lambda m: chr(int(m[1][1:], 16)) if len(m[1]) == 5 else "\n", s)


def leaks(out: Path) -> list[tuple[str, str]]:
    """(where, raw value) for every raw value found in any file under `out`."""
    needles = [_compact(v) for v in RAW.values()]
    found: list[tuple[str, str]] = []

    def scan(where: str, value) -> None:
        if isinstance(value, str) and value:
            for text in {_compact(value), _compact(_unescape(value))}:
                found.extend((where, n) for n in needles if n in text)

    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = str(path.relative_to(out))
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            for name in table.column_names:
                if str(table.schema.field(name).type) in ("string", "large_string"):
                    for value in table.column(name).to_pylist():
                        scan(f"{rel}:{name}", value)
        elif path.suffix == ".duckdb":
            con = duckdb.connect(str(path), read_only=True)
            cols = con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
            ).fetchall()
            assert ("documents", "snippet") in cols and ("morphemes", "form") in cols
            for table, column in cols:
                for (value,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall():
                    scan(f"{rel}:{table}.{column}", value)
            con.close()
        else:  # JSONL, JSON, HTML, logs, dedup signatures: the bytes as text
            scan(rel, path.read_bytes().decode("utf-8", errors="ignore"))
    return found


@pytest.fixture(scope="module")
def privacy_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("privacy")
    ko = " ".join(d["text"] for d in load_jsonl(DATA / "ko_small.jsonl") if d["id"].startswith("klue"))
    short_ko = load_jsonl(DATA / "ko_small.jsonl")[-8]["text"][:300]
    en = load_jsonl(DATA / "en_small.jsonl")[0]["text"]
    spam = load_jsonl(DATA / "spam_pages.jsonl")[0]["text"]
    records = [
        {"id": "kept", "text": f"{ko}\n{PII_BLOCK}", "title": TITLE},
        {"id": "exact-copy", "text": f"{ko}\n{PII_BLOCK}"},  # removed by dedup/exact
        {"id": "near-copy", "text": f"{ko} 덧붙인 문장 하나.\n{PII_BLOCK}"},  # removed by dedup/minhash
        {"id": "english", "text": f"{en}\n{PII_BLOCK}", "title": TITLE},  # removed by language (before pii)
        {"id": "spam", "text": f"{spam}\n{PII_BLOCK}"},  # removed by spam (before pii)
        {"id": "short", "text": f"{short_ko}\n{PII_BLOCK}"},  # removed by gopher_quality (after pii)
        json.dumps({"id": "broken", "text": PII_BLOCK}, ensure_ascii=False)[:-40],  # rejected: truncated JSON
        json.dumps({"id": "broken-ascii", "text": PII_BLOCK})[:-40],  # rejected, Korean as \uXXXX escapes
    ]
    inputs = write_jsonl(tmp / "in" / "docs.jsonl", records)
    (tmp / "privacy.yaml").write_text(PIPELINE, encoding="utf-8")
    out = tmp / "out"
    argv = ["run", str(tmp / "privacy.yaml"), "--input", str(inputs), "--output", str(out), "--no-progress"]
    assert main(argv) == 0
    assert main(["report", str(out), "--output", str(out / "report")]) == 0
    return out


def test_every_step_removes_and_keeps_as_planned(privacy_run: Path):
    con = duckdb.connect(str(privacy_run / "corpus.duckdb"), read_only=True)
    status = dict(con.execute("SELECT id, coalesce(removed_by, status) FROM documents").fetchall())
    rejected = sorted(k for k, v in status.items() if v == "rejected")
    assert len(rejected) == 2 and rejected[0].endswith(":7") and rejected[1].endswith(":8"), status
    assert {k: v for k, v in status.items() if v != "rejected"} == {
        "kept": "kept",
        "exact-copy": "exact",
        "near-copy": "minhash",
        "english": "language",
        "spam": "spam",
        "short": "gopher_quality",
    }, status
    kept = pq.read_table(privacy_run / "kept").to_pylist()
    assert all("<|rrn|>" in r["text"] and "<|passport|>" in r["text"] for r in kept)
    assert con.execute("SELECT count(*) FROM morphemes").fetchone()[0] > 100
    assert (privacy_run / "report" / "index.html").is_file()


def test_no_raw_value_anywhere_under_out(privacy_run: Path):
    assert leaks(privacy_run) == []


def test_keep_raw_removed_is_explicit(tmp_path: Path):
    en = load_jsonl(DATA / "en_small.jsonl")[0]["text"]
    inputs = write_jsonl(tmp_path / "docs.jsonl", [{"id": "english", "text": f"{en}\n{PII_BLOCK}"}])
    (tmp_path / "p.yaml").write_text("name: p\nsteps:\n  - language: {}\n  - pii: {}\n", encoding="utf-8")
    base = ["run", str(tmp_path / "p.yaml"), "--input", str(inputs), "--no-progress"]
    assert main([*base, "--output", str(tmp_path / "masked")]) == 0
    assert leaks(tmp_path / "masked") == []
    assert main([*base, "--output", str(tmp_path / "raw"), "--keep-raw-removed"]) == 0
    removed = pq.read_table(tmp_path / "raw" / "removed" / "language").to_pylist()
    assert RAW["email"] in removed[0]["text"]
    assert json.loads((tmp_path / "raw" / "run.json").read_text())["pipeline"]["output"]["keep_raw_removed"]
    # the same OUT with the default (masked) setting is a different run: refused, not mixed
    assert main([*base, "--output", str(tmp_path / "raw")]) == 2


def test_korean_web_masks_the_issue_22_values_first():
    from kocorpus.formatters.pii import mask_pii
    from kocorpus.pipeline_config import load_pipeline

    _, cfg = load_pipeline("korean_web")
    assert cfg.steps[0].name == "pii" and cfg.redaction() is cfg.steps[0].config
    text = "주민등록번호 210301-4555552, 입금 계좌: 3333-01-1234567, 카드 4532.0151.1283.0366, 여권번호 M123A4567"
    masked, counts = mask_pii(text, cfg.steps[0].config)
    assert counts == {"rrn": 1, "account": 1, "card": 1, "passport": 1} and not re.search(r"\d", masked)
