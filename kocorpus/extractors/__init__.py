"""Main-text extraction from decoded HTML: the `extract` step, Korean site rules, generic extractors."""
