"""Filters: drop documents with a step name and a reason; signals recorded on every document they see."""

from kocorpus.filters.hangul_ratio import HangulRatioConfig, HangulRatioFilter
from kocorpus.filters.language import LanguageConfig, LanguageIdFilter

__all__ = ["HangulRatioConfig", "HangulRatioFilter", "LanguageConfig", "LanguageIdFilter"]
