"""The real Korean text that `web_pages` puts into page templates.

`kocorpus/evaluation/data/web_text.json` holds pools of paragraphs (licences and origins in
kocorpus/evaluation/data/SOURCES.md); `benchmarks/make_web_text.py` cut it from a Korean text collection.
"""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "web_text.json"


def has_uhc_extra(text: str) -> bool:
    """True if `text` has a Hangul syllable outside EUC-KR's 2,350 (CP949/UHC-only: 됬, 왤, 똠 …)."""
    for ch in text:
        if "\uac00" <= ch <= "\ud7a3":
            b = ch.encode("cp949")
            if not (0xB0 <= b[0] <= 0xC8 and 0xA1 <= b[1] <= 0xFE):
                return True
    return False


def load() -> dict[str, list[str]]:
    """The bundled pools."""
    return json.loads(DATA.read_text(encoding="utf-8"))
