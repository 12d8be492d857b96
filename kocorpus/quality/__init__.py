"""fasttext quality classifier (Kanana / FineWeb-Edu style) on Kiwi-tokenized text: features, training, synthetic negatives."""

from kocorpus.quality.features import fasttext_line

__all__ = ["fasttext_line"]
