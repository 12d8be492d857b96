"""The one morphological analysis per document (Kiwi or mecab-ko), attached by the `analyze` step (alias `kiwi`)
and reused by every later step."""

from kocorpus.analysis.analyzer import AnalyzeConfig, MorphAnalyzer
from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY, KiwiAnalysis, get_analysis

# earlier names, kept for callers of the Kiwi-only step
KiwiAnalyzer = MorphAnalyzer
KiwiConfig = AnalyzeConfig

__all__ = [
    "ANALYSIS_KEY",
    "AnalyzeConfig",
    "KiwiAnalysis",
    "KiwiAnalyzer",
    "KiwiConfig",
    "MorphAnalyzer",
    "get_analysis",
]
