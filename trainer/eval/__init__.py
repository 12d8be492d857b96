"""Evaluation of checkpoints: `python -m trainer.eval ppl|generate …` (bits per character, generation)."""
