"""Korean text utilities shared by the pipeline blocks (no heavy imports)."""

from kocorpus.text.hangul import hangul_ratio, is_hangul

__all__ = ["hangul_ratio", "is_hangul"]
