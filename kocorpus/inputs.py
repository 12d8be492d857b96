"""Input discovery: files and directories from `--input` grouped by format under one common root."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from kocorpus.config import ConfigError

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "jsonl": (".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz", ".ndjson"),
    "parquet": (".parquet",),
    "text": (".txt", ".txt.gz", ".txt.zst", ".text"),
    "wet": (".wet", ".wet.gz"),  # before warc: `.warc.wet.gz`
    "warc": (".warc", ".warc.gz"),
    "html": (".html", ".htm", ".html.gz", ".htm.gz"),
}
# Index slices (Common Crawl columnar index / CDXJ rows) when a WARC root is configured.
INDEX_EXTENSIONS: tuple[str, ...] = (
    ".parquet", ".csv", ".csv.gz", ".tsv", ".jsonl", ".jsonl.gz", ".json.gz", ".cdxj", ".cdxj.gz",
)  # fmt: skip


def detect_format(path: str, index_tables: bool = False) -> str | None:
    """Format name for a file name by extension, or None; with `index_tables`, tables are `cc_index` slices."""
    name = path.lower()
    if index_tables and name.endswith(INDEX_EXTENSIONS):
        return "cc_index"
    for fmt, exts in EXTENSIONS.items():
        if name.endswith(exts):
            return fmt
    return None


@dataclass
class InputSet:
    """Input files relative to `root`, by format (sorted, so task sharding is deterministic)."""

    root: Path
    files: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def n_files(self) -> int:
        return sum(len(v) for v in self.files.values())

    def write_paths_files(self, folder: Path) -> dict[str, Path]:
        """One paths file per format (datatrove `paths_file`), returns {format: path}."""
        folder.mkdir(parents=True, exist_ok=True)
        out = {}
        for fmt, files in self.files.items():
            path = folder / f"{fmt}.txt"
            path.write_text("".join(f + "\n" for f in files), encoding="utf-8")
            out[fmt] = path
        return out


def _usable(path: Path, exclude: Path | None) -> str | None:
    """Why `path` cannot be an input (inside the output directory, undecodable name), or None."""
    if exclude is not None and (path == exclude or exclude in path.parents):
        return "inside the output directory"
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    return None


def discover_inputs(
    paths: list[str], fmt: str = "auto", exclude: Path | None = None, index_tables: bool = False
) -> InputSet:
    """Expand files and directories (recursively); an explicit file of unknown format is an error, unknown
    files inside a directory, files under `exclude` (the run's output) and files whose name is not valid UTF-8
    are listed in `skipped` as "path (why)". `index_tables`: tables are Common Crawl index slices (`cc_index`)."""
    exclude = exclude.resolve() if exclude is not None else None
    if not paths:
        raise ConfigError("--input: give at least one file or directory")
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for p in paths:
        path = Path(p).resolve()
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                if exclude is not None and (Path(dirpath) == exclude or exclude in Path(dirpath).parents):
                    dirnames[:] = []
                    continue
                for name in sorted(filenames):
                    f = Path(dirpath) / name
                    kind = fmt if fmt != "auto" else detect_format(name, index_tables)
                    why = _usable(f, exclude) or (None if kind else "unknown format")
                    if why:
                        skipped.append(f"{str(f).encode('utf-8', 'replace').decode()} ({why})")
                    else:
                        found.append((f, kind))
        elif path.is_file():
            kind = fmt if fmt != "auto" else detect_format(path.name, index_tables)
            if kind is None:
                raise ConfigError(f"--input {p}: unknown format (extensions: {EXTENSIONS}); set reader.format")
            if why := _usable(path, exclude):
                raise ConfigError(f"--input {p}: {why}")
            found.append((path, kind))
        else:
            raise ConfigError(f"--input {p}: no such file or directory")
    if not found:
        raise ConfigError(f"--input: no readable files in {paths} (skipped: {skipped[:5]})")
    files = [f for f, _ in found]
    root = Path(os.path.commonpath([f.parent for f in files]))
    grouped: dict[str, list[str]] = {}
    for f, kind in sorted(set(found)):
        grouped.setdefault(kind, []).append(f.relative_to(root).as_posix())
    return InputSet(root=root, files=grouped, skipped=skipped)
