"""Turn a datatrove Document into a row of the kept/removed Parquet schema."""

import json
from string import Template
from typing import TYPE_CHECKING

from datatrove.data import Document

from kocorpus import signals as S

if TYPE_CHECKING:
    from kocorpus.formatters.pii import PIIConfig

_SIGNAL_COLUMNS: tuple[tuple[str, bool], ...] = tuple((s.name, s.type == "json") for s in S.SIGNALS)
_PLAIN = (type(None), int, float, str)  # stored as they are (no numpy `.item()`, not JSON-encoded again)
_NOT_EXTRA = S.SIGNAL_NAMES | S.BOOKKEEPING


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
    get = meta.get
    row = {"id": doc.id, "text": text, S.SOURCE: get(S.SOURCE), S.FILE: get(S.FILE), S.LINE: get(S.LINE)}
    for name, is_json in _SIGNAL_COLUMNS:
        value = get(name)
        if type(value) in _PLAIN:  # the common case (most signals are absent: None)
            row[name] = value
            continue
        if is_json:  # a dict or list (a str is already JSON: read back by FilteredReader)
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row[name] = value.item() if hasattr(value, "item") else value  # numpy scalars from models
    extra = {k: v for k, v in meta.items() if k not in _NOT_EXTRA and not k.startswith(S.PRIVATE_PREFIX)}
    row["metadata"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    return row


class RankNamedFiles:
    """Writer mixin: datatrove fills the output filename template from the rank, the id and every metadata
    field of each document it writes (twice per document); a template that names only `${rank}` gives one
    name per rank, computed once (datatrove's result: a document's own `rank` metadata field, which would
    take the rank's place, still goes to datatrove)."""

    output_filename: Template

    def _get_output_filename(self, document: Document, rank: int | str = 0, **kwargs) -> str:
        names = self.__dict__.get("_rank_names")
        if names is None:
            only_rank = set(self.output_filename.get_identifiers()) <= {"rank"}
            names = self.__dict__["_rank_names"] = {} if only_rank else False
        if names is False or kwargs or "rank" in document.metadata:
            return super()._get_output_filename(document, rank, **kwargs)  # type: ignore[misc]
        name = names.get(rank)
        if name is None:
            name = names[rank] = self.output_filename.substitute(rank=str(rank).zfill(5))
        return name
