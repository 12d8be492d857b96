"""fasttext quality classifier (Kanana / FineWeb-Edu style) on Kiwi-tokenized text: features, training, eval generators in kocorpus.evaluation."""

from kocorpus.quality.features import fasttext_line

__all__ = ["fasttext_line"]
