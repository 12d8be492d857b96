"""kocorpus: Korean LLM corpus toolkit (datatrove blocks, DuckDB store, tokenizer and trainer)."""

__version__ = "0.1.0"

from kocorpus import _speedups

_speedups.install()
