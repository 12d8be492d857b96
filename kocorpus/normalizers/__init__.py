"""Normalizers: rewrite document text (and drop documents that become empty)."""

from kocorpus.normalizers.text_normalizer import NormalizeConfig, TextNormalizer

__all__ = ["NormalizeConfig", "TextNormalizer"]
