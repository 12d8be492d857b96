"""The one place that lists per-document signals (output columns) and reader stat keys.

Every step that records a value on a document writes it to `doc.metadata[name]` under a name listed in
`SIGNALS`; writers turn each signal into a typed Parquet column (null when the step did not run or is
disabled), so kept/ and removed/ share one schema and the SQL store can rely on the columns. When the
definition of a signal changes, its name changes (dolma's `_v1` convention), keeping runs comparable.
"""

from dataclasses import dataclass

# Metadata keys that hold bookkeeping, not signals; never written as extra metadata.
SOURCE = "source"
FILE = "file"  # input file path relative to the input root
LINE = "line"  # 1-based line (JSONL/text) or row (Parquet) of the record in its file
REMOVED_BY = "removed_by"
REASON = "reason"
FILTER_REASON = "filter_reason"  # set by datatrove's BaseFilter before writing an excluded document
PRIVATE_PREFIX = "_"
BOOKKEEPING = frozenset(
    {SOURCE, FILE, LINE, REMOVED_BY, REASON, FILTER_REASON}
)  # metadata keys starting with this (e.g. the Kiwi analysis) are never written


@dataclass(frozen=True)
class Signal:
    """A per-document value recorded by a step. `type`: string, float32, int32, int64, or json (a dict or list
    stored as a JSON string column; query it with DuckDB's json functions)."""

    name: str
    type: str
    step: str
    doc: str


SIGNALS: tuple[Signal, ...] = (
    Signal("chars_in", "int64", "reader", "characters of the text as read (before normalization)"),
    Signal("encoding", "string", "reader", "encoding the record was decoded from"),
    Signal("norm_chars_removed", "int32", "normalize", "characters removed by the normalizer"),
    Signal("lang", "string", "language", "top fasttext lid.176 label"),
    Signal("lang_score", "float32", "language", "fasttext probability of `lang`, 0–1"),
    Signal("hangul_ratio", "float32", "hangul_ratio", "Hangul characters ÷ non-whitespace characters, 0–1"),
    Signal("hangul_letter_ratio", "float32", "hangul_ratio", "Hangul characters ÷ letters (any script), 0–1"),
    Signal("boilerplate_chars", "int32", "boilerplate", "characters of news/web boilerplate stripped"),
    Signal("boilerplate_lines", "int32", "boilerplate", "lines removed or trimmed as boilerplate"),
    Signal("spam_score", "float32", "spam", "weighted spam keyword hits per 100 Hangul syllables + contact bonus"),
    Signal("spam_hits", "int32", "spam", "spam keyword occurrences (obfuscation-robust)"),
    Signal("spam_ad_score", "float32", "spam", "prose-ad score: offer terms + 2·call-to-action + 2·contacts + 2·list"),
    Signal("spam_ad_signals", "string", "spam", "prose-ad signals that matched, e.g. domain=3,cta=2,contact=1"),
    Signal("dup_line_frac", "float32", "gopher_repetition", "fraction of lines repeating an earlier line"),
    Signal(
        "line_end_ratio",
        "float32",
        "fineweb_quality",
        "fraction of non-empty lines terminated: punctuation, 다/요/죠/까/네, nominal ending, list item, table row",
    ),
    Signal("newlines_per_eojeol", "float32", "fineweb_quality", "newlines per eojeol (whitespace token)"),
    Signal(
        "unfinished_line_ratio",
        "float32",
        "fineweb_quality",
        "prose lines holding a finished sentence that stop mid-sentence ÷ such lines, 0–1",
    ),
    Signal("n_eojeols", "int32", "gopher_quality", "eojeols with a letter or digit"),
    Signal("avg_eojeol_len", "float32", "gopher_quality", "mean characters per eojeol, edge punctuation excluded"),
    Signal("alpha_eojeol_ratio", "float32", "gopher_quality", "eojeols with a letter ÷ eojeols (bullets excluded)"),
    Signal("stop_suffix_count", "int32", "gopher_quality", "distinct Korean stop particles/endings ending an eojeol"),
    Signal("n_morphemes", "int32", "morph_stats", "Kiwi morphemes (whitespace-only spans excluded)"),
    Signal("n_sentences", "int32", "morph_stats", "Kiwi sentences"),
    Signal("pos_counts", "json", "morph_stats", 'morphemes per Sejong tag, JSON: {"NNG": 12, "JKS": 3}'),
    Signal("noun_ratio", "float32", "morph_stats", "NNG+NNP+NNB+NR+NP ÷ morphemes, 0–1"),
    Signal("particle_ratio", "float32", "morph_stats", "J* (particles) ÷ morphemes, 0–1"),
    Signal("ending_ratio", "float32", "morph_stats", "E* (endings) ÷ morphemes, 0–1"),
    Signal("foreign_ratio", "float32", "morph_stats", "SL (Latin-script words) ÷ morphemes, 0–1"),
    Signal("hanja_ratio", "float32", "morph_stats", "SH (Hanja) ÷ morphemes, 0–1"),
    Signal("mean_sent_morphemes", "float32", "morph_stats", "morphemes per sentence"),
    Signal("ttr", "float32", "morph_stats", "type-token ratio: distinct (form, tag) ÷ morphemes, 0–1"),
    Signal("quality_score", "float32", "quality_classifier", "fasttext probability of the hq label, 0–1"),
    Signal("url_dup_count", "int32", "url", "kept document: other documents with its URL that were removed"),
    Signal("exact_dup_count", "int32", "exact", "kept document: exact copies of its text that were removed"),
    Signal(
        "minhash_cluster_size", "int32", "minhash", "documents in this document's near-duplicate cluster (1: unique)"
    ),
    Signal("minhash_cluster_id", "int64", "minhash", "near-duplicate cluster id (-1: not in a cluster)"),
    Signal("duplicate_of", "string", "dedup", "removed duplicates: id of the copy kept by the url/exact/minhash stage"),
    Signal("dup_lines_removed", "int32", "line_dedup", "lines removed because they repeat lines of other documents"),
    Signal("pii_counts", "json", "pii", 'masked values per type, JSON: {"phone": 2, "email": 1}'),
    Signal("pii_total", "int32", "pii", "masked values, all types"),
)
SIGNAL_NAMES: frozenset[str] = frozenset(s.name for s in SIGNALS)

# Reader stat keys (datatrove stat_update labels). `read` = every record seen, including rejected ones.
STAT_READ = "read"
STAT_REJECTED = "rejected"
STAT_DOCUMENTS = "documents"


def arrow_schema(removed: bool = False):
    """pyarrow schema of kept/ (and, with `removed=True`, removed/) Parquet files."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "json": pa.string(),
        "float32": pa.float32(),
        "int32": pa.int32(),
        "int64": pa.int64(),
    }
    fields = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field(SOURCE, pa.string()),
        pa.field(FILE, pa.string()),
        pa.field(LINE, pa.int64()),
    ]
    if removed:
        fields += [pa.field(REMOVED_BY, pa.string()), pa.field(REASON, pa.string())]
    fields += [pa.field(s.name, types[s.type]) for s in SIGNALS]
    fields.append(pa.field("metadata", pa.string()))  # remaining input fields, JSON-encoded
    return pa.schema(fields)
