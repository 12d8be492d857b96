"""Turn a datatrove Document into a row of the kept/removed Parquet schema."""

import json
from typing import TYPE_CHECKING

from datatrove.data import Document

from kocorpus import signals as S

if TYPE_CHECKING:
    from kocorpus.formatters.pii import PIIConfig


def document_row(doc: Document, pii: "PIIConfig | None" = None) -> dict:
    """Row dict: id, text, source, file, line, every signal (None when absent) and the other metadata as JSON.
    With `pii` (the pipeline's pii step config), PII in the text and in string metadata is masked first."""
    meta = doc.metadata
    text = doc.text
    if pii is not None:
        from kocorpus.formatters.pii import mask_metadata, redact

        text = redact(text, pii)
        meta = dict(meta)
        mask_metadata(meta, pii)
    row = {
        "id": doc.id,
        "text": text,
        S.SOURCE: meta.get(S.SOURCE),
        S.FILE: meta.get(S.FILE),
        S.LINE: meta.get(S.LINE),
    }
    for signal in S.SIGNALS:
        value = meta.get(signal.name)
        if signal.type == "json":
            # a str is already JSON (read back from an earlier stage's Parquet by FilteredReader)
            if value is not None and not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[signal.name] = value.item() if hasattr(value, "item") else value  # numpy scalars from models
    extra = {
        k: v
        for k, v in meta.items()
        if k not in S.SIGNAL_NAMES and k not in S.BOOKKEEPING and not k.startswith(S.PRIVATE_PREFIX)
    }
    row["metadata"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    return row
