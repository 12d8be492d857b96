"""Turn a datatrove Document into a row of the kept/removed Parquet schema."""

import json

from datatrove.data import Document

from kocorpus import signals as S


def document_row(doc: Document) -> dict:
    """Row dict: id, text, source, file, line, every signal (None when absent) and the other metadata as JSON."""
    meta = doc.metadata
    row = {
        "id": doc.id,
        "text": doc.text,
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
