"""The Korean PII test cases of Presidio and ko-pii (tests/data/pii_peers/, see the NOTICE there), one test each.

`must_match` is what kocorpus follows; where it differs from the peer's own expectation (`peer_expects`) the case
carries a `note` saying why, and the NOTICE lists those disagreements.
"""

import pytest

from kocorpus.evaluation.pii_peers import PEER_FILES, PEERS_DIR, judge_peer_case, load_peer_cases, peer_case_config

CASES = [case for name in PEER_FILES.values() for case in load_peer_cases(PEERS_DIR / name)]


def _id(case: dict) -> str:
    return f"{case['source']}-{case['type']}-{'pos' if case['must_match'] else 'neg'}-{case['text'][:40]!r}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_peer_case(case: dict):
    result = judge_peer_case(case, peer_case_config(case))
    if case["must_match"]:
        assert result["found"] == result["n"], case
    else:
        assert not result["wrong"], case


def test_peer_files_are_complete():
    sources = {c["source"] for c in CASES}
    assert sources == {"presidio", "ko-pii"}
    for source in sources:
        mine = [c for c in CASES if c["source"] == source]
        assert sum(c["must_match"] for c in mine) >= 40 and sum(not c["must_match"] for c in mine) >= 30
    assert all(c.get("note") for c in CASES if c["must_match"] != c["peer_expects"])
    types = {c["type"] for c in CASES if c["must_match"]}
    assert types == {"rrn", "phone", "email", "ip", "account", "card", "passport", "driver_license", "brn"}
