"""The one reader of plain example texts for training commands (tokenizer train/extend/eval, quality train,
trainer eval sets): Parquet (a run's OUT/kept), JSONL and plain-text files or directories of them.

- Parquet: the `text_key` column, batch by batch.
- JSONL (`.jsonl`, `.json`, `.ndjson`, optionally `.gz` / `.zst`): the `text_key` field of each object; lines that are
  not JSON objects with a non-empty string there are skipped and counted (a warning names the file).
- Anything else: text (optionally `.gz` / `.zst`), one document per non-blank line.

Text is decoded as UTF-8 (a BOM is dropped; invalid bytes become U+FFFD). Directories are searched recursively for
the extensions above. A missing path or an input without files is a `MissingFileError` (one line, exit 2).
"""

import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from kocorpus.errors import MissingFileError

PARQUET = (".parquet",)
JSONL = (".jsonl", ".json", ".ndjson")
TEXT = (".txt", ".text")
COMPRESSED = ("", ".gz", ".zst")
EXTENSIONS = PARQUET + tuple(e + c for e in JSONL + TEXT for c in COMPRESSED)

log = logging.getLogger(__name__)


def _kind(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".gz", ".zst"):
        name = name.removesuffix(suffix)
    if name.endswith(PARQUET):
        return "parquet"
    return "jsonl" if name.endswith(JSONL) else "text"


def text_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files of `paths` (directories searched recursively for EXTENSIONS, sorted); MissingFileError when a path
    does not exist or nothing is found."""
    paths = [Path(p) for p in paths]
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.name.lower().endswith(EXTENSIONS))
        elif p.is_file():
            out.append(p)
        else:
            raise MissingFileError(f"{p}: no such file or directory")
    if not out:
        raise MissingFileError(f"{', '.join(map(str, paths))}: no {' / '.join(PARQUET + JSONL + TEXT)} files in it")
    return out


def iter_texts(paths: Iterable[str | Path], text_key: str = "text", limit_chars: int | None = None) -> Iterator[str]:
    """Non-empty texts of `paths` in file order (see the module docstring); stops after `limit_chars` characters."""
    seen = 0
    for path in text_files(paths):
        for text in _read(path, text_key):
            yield text
            seen += len(text)
            if limit_chars and seen >= limit_chars:
                return


def _read(path: Path, text_key: str) -> Iterator[str]:
    kind = _kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        if text_key not in pf.schema_arrow.names:
            raise MissingFileError(f"{path}: no column {text_key!r} (columns: {pf.schema_arrow.names[:10]})")
        for batch in pf.iter_batches(columns=[text_key], batch_size=1024):
            yield from (t for t in batch.column(0).to_pylist() if isinstance(t, str) and t.strip())
        return
    import fsspec

    skipped = 0
    with fsspec.open(str(path), "rt", compression="infer", encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            if kind == "text":
                yield line.rstrip("\r\n")
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            text = record.get(text_key) if isinstance(record, dict) else None
            if isinstance(text, str) and text.strip():
                yield text
            else:
                skipped += 1
    if skipped:
        log.warning("%s: skipped %d line(s) without a %r string (not JSON, or no such field)", path, skipped, text_key)
