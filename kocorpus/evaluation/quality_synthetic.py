"""Synthetic low-quality documents built from real text: word salad, jamo noise, mojibake, foreign pages,
code dumps. Used to train the demo quality model and by `benchmarks/quality_eval.py`; all seeded."""

import random

JAMO = "ㅋㅎㅠㅜㄷㄱㅇㅂㅅㅈㅊㅍㅡㅣ"
EMOTICONS = ["^^", "ㅠㅠ", "ㅋㅋ", "ㅎㅎ", ";;", "~~", "!!", "??", "ㄷㄷ", "ㅇㅇ", "ㄱㄱ", "ㅜㅜ"]


def word_salad(text: str, rng: random.Random) -> str:
    """The eojeol (whitespace words) of `text` shuffled across the whole document, lines kept similar in length."""
    words = text.split()
    rng.shuffle(words)
    lines, i = [], 0
    while i < len(words):
        n = rng.randint(5, 25)
        lines.append(" ".join(words[i : i + n]))
        i += n
    return "\n".join(lines)


def jamo_noise(rng: random.Random, n_lines: int | None = None) -> str:
    """Comment-section noise: runs of compatibility jamo and emoticons with a few short words."""
    lines = []
    for _ in range(n_lines or rng.randint(5, 30)):
        parts = []
        for _ in range(rng.randint(1, 8)):
            kind = rng.random()
            if kind < 0.5:
                parts.append(rng.choice(JAMO) * rng.randint(2, 8))
            elif kind < 0.8:
                parts.append(rng.choice(EMOTICONS) * rng.randint(1, 3))
            else:
                parts.append(rng.choice(["헐", "ㄹㅇ", "와", "대박", "진짜", "미쳤다", "굿", "ㅇㅋ"]))
        lines.append(" ".join(parts))
    return "\n".join(lines)


def mojibake(text: str, rng: random.Random) -> str:
    """Korean UTF-8 bytes decoded with a wrong codec (the three kinds seen on the web)."""
    kind = rng.choice(["utf8-as-cp949", "utf8-as-latin1", "cp949-as-utf8"])
    if kind == "utf8-as-cp949":
        return text.encode("utf-8").decode("cp949", errors="replace")
    if kind == "utf8-as-latin1":
        return text.encode("utf-8").decode("latin-1")
    return text.encode("cp949", errors="ignore").decode("utf-8", errors="replace")


def foreign_page(korean: str, foreign: str, rng: random.Random) -> str:
    """A mostly-foreign page with a Korean title or a line or two of Korean."""
    ko_lines = [ln for ln in korean.splitlines() if ln.strip()][: rng.randint(1, 2)]
    return "\n".join([*ko_lines, foreign])


def code_dump(code: str, korean: str, rng: random.Random) -> str:
    """Source code with Korean comments sprinkled in (what scraped developer pages look like)."""
    ko_lines = [ln for ln in korean.splitlines() if ln.strip()]
    out = []
    for line in code.splitlines():
        out.append(line)
        if ko_lines and rng.random() < 0.08:
            out.append(f"# {rng.choice(ko_lines)[:60]}")
    return "\n".join(out)
