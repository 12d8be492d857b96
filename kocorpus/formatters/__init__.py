"""Formatters: rewrite document text in place and never drop documents."""

from kocorpus.formatters.pii import PII_TYPES, KoreanPIIMasker, PIIConfig, PIISpan, find_pii, mask_pii

__all__ = ["PII_TYPES", "KoreanPIIMasker", "PIIConfig", "PIISpan", "find_pii", "mask_pii"]
