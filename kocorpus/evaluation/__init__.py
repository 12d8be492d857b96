"""Evaluation-set generators and scorers used by benchmarks/ and tests/ (never by pipelines)."""
