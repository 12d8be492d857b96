"""Corpus statistics: the per-document morphology step and the DuckDB store built from a run's outputs."""
