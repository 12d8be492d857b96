"""The peers' Korean PII test cases (tests/data/pii_peers/: Presidio and ko-pii, see the NOTICE there): loading,
judging one case, and recall / wrongly-masked negatives per type."""

import json
from dataclasses import replace
from pathlib import Path

from kocorpus.formatters.pii import PIIConfig, find_pii

PEERS_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "pii_peers"
PEER_FILES = {"presidio": "presidio_kr.jsonl", "ko-pii": "ko_pii.jsonl"}


def load_peer_cases(path: str | Path) -> list[dict]:
    """Cases `{"source", "path", "type", "text", "values", "must_match", "peer_expects", "note"?}`, one per line."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def peer_case_config(case: dict, base: PIIConfig | None = None) -> PIIConfig:
    """The masker config a case is judged with: the defaults, plus `brn: true` for business numbers (an
    option, off by default)."""
    base = base or PIIConfig()
    return replace(base, brn=True) if case["type"] == "brn" else base


def judge_peer_case(case: dict, cfg: PIIConfig) -> dict:
    """`found` values (no longer in the masked text) of a positive; for a negative `wrong`: whether a span of the
    case's type (any type for `any`) was masked."""
    from kocorpus.formatters.pii import mask_pii

    text = case["text"]
    if case["must_match"]:
        masked, _ = mask_pii(text, cfg)
        return {"n": len(case["values"]), "found": sum(v not in masked for v in case["values"])}
    spans = find_pii(text, cfg)
    return {"wrong": any(case["type"] in ("any", sp.type) for sp in spans)}


def evaluate_peer_cases(cases: list[dict], base: PIIConfig | dict | None = None, labels: str = "ours") -> dict:
    """Per type: positives' values `n` and `recall`, `negatives` and `wrongly_masked`; `labels="peer"` judges
    by the peer's own expectation (`peer_expects`) instead of the one kocorpus follows (`must_match`; they
    differ where the peers disagree, see the NOTICE). Also up to 20 `missed` / `masked_negatives` texts."""
    from kocorpus.config import from_dict

    cfg = base if isinstance(base, PIIConfig) else from_dict(PIIConfig, base or {})
    out: dict[str, dict] = {}
    missed, wrong = [], []
    for case in cases:
        if labels == "peer":
            case = {**case, "must_match": case["peer_expects"]}
            if case["must_match"] and not case["values"]:
                case["values"] = [case["text"]]
        r = out.setdefault(case["type"], {"n": 0, "found": 0, "negatives": 0, "wrongly_masked": 0})
        j = judge_peer_case(case, peer_case_config(case, cfg))
        if case["must_match"]:
            r["n"] += j["n"]
            r["found"] += j["found"]
            if j["found"] < j["n"] and len(missed) < 20:
                missed.append((case["type"], case["text"]))
        else:
            r["negatives"] += 1
            r["wrongly_masked"] += j["wrong"]
            if j["wrong"] and len(wrong) < 20:
                wrong.append((case["type"], case["text"]))
    for r in out.values():
        r["recall"] = r["found"] / r["n"] if r["n"] else None
    return {"types": out, "missed": missed, "masked_negatives": wrong}
