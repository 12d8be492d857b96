"""The text a fasttext quality model sees: Kiwi word units joined by spaces, one line, lower-cased Latin.

Training (`kocorpus quality train`) and scoring (the `quality_classifier` step) both go through
`fasttext_line`, so the features can never drift apart.
"""

from kocorpus.analysis.kiwi_analysis import KiwiAnalysis

MAX_WORDS = 5_000  # long documents: the first 5,000 Kiwi units are plenty for a document-level label


def fasttext_line(analysis: KiwiAnalysis) -> str:
    """One line of space-separated Kiwi units (no newlines, Latin lower-cased)."""
    return " ".join(w.lower() for w in analysis.words[:MAX_WORDS]).replace("\n", " ")
