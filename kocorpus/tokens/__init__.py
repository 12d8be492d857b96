"""Tokenizers (train, extend an English base, evaluate fertility) and tokenized Parquet shards."""
