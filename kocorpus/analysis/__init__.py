"""The one Kiwi analysis per document, attached by KiwiAnalyzer and reused by every later step."""

from kocorpus.analysis.kiwi_analysis import ANALYSIS_KEY, KiwiAnalysis, get_analysis
from kocorpus.analysis.kiwi_analyzer import KiwiAnalyzer, KiwiConfig

__all__ = ["ANALYSIS_KEY", "KiwiAnalysis", "KiwiAnalyzer", "KiwiConfig", "get_analysis"]
