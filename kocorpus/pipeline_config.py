"""PipelineConfig: a `pipelines/*.yaml` file (step list + thresholds), validated at start-up, with `--set` overrides."""

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kocorpus.config import ConfigError, from_dict, load_yaml, parse_override, to_dict
from kocorpus.dedup.exact import ExactStageConfig
from kocorpus.dedup.lines import LineDedupConfig
from kocorpus.dedup.minhash_signature import MinhashDedupConfig
from kocorpus.readers.base import ReaderConfig
from kocorpus.steps import STEP_TYPES

PIPELINES_DIR = Path(__file__).resolve().parent.parent / "pipelines"


@dataclass(kw_only=True)
class OutputConfig:
    """Output files."""

    compression: Literal["zstd", "snappy", "gzip"] = "zstd"
    """Parquet compression codec of kept/ and removed/."""
    keep_raw_removed: bool = False
    """Debugging only: write removed/ and rejected/ text unmasked even when the pipeline has a pii step (then raw
    personal data of documents dropped before that step reaches removed/, rejected/, the store and the report).
    `kocorpus run --keep-raw-removed` sets it."""


@dataclass(kw_only=True)
class DedupConfig:
    """Deduplication stages after the filter steps (absent section: none)."""

    url: ExactStageConfig = field(default_factory=ExactStageConfig)
    """Same normalized `url` field → keep one (datatrove's ExactDedup; documents without a url pass)."""
    exact: ExactStageConfig = field(default_factory=ExactStageConfig)
    """Same normalized text → keep one (datatrove's ExactDedup on a content hash)."""
    minhash: MinhashDedupConfig = field(default_factory=lambda: MinhashDedupConfig(enabled=False))
    """MinHash near-dedup (datatrove's 4 stages, Korean character shingles, rensa signatures)."""
    lines: LineDedupConfig = field(default_factory=LineDedupConfig)
    """Corpus-wide repeated-line removal (datatrove's SentenceDedup on lines)."""

    @property
    def enabled(self) -> bool:
        return any(f.enabled for f in (self.url, self.exact, self.minhash, self.lines))


@dataclass(kw_only=True)
class Step:
    """One entry of `steps:`: the registered step name and its typed config."""

    name: str
    config: Any

    @property
    def enabled(self) -> bool:
        return getattr(self.config, "enabled", True)


@dataclass(kw_only=True)
class PipelineConfig:
    """A whole pipeline: reader settings, ordered steps, output settings."""

    name: str
    description: str = ""
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    steps: list[Step] = field(default_factory=list)
    output: OutputConfig = field(default_factory=OutputConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def redaction(self) -> Any:
        """The enabled pii step's PIIConfig that removed/ and rejected/ writers mask with (None without such a
        step, or with `output.keep_raw_removed`)."""
        pii = self.step("pii")
        if pii is None or not pii.enabled or not pii.config.enabled or self.output.keep_raw_removed:
            return None
        return pii.config

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "reader": to_dict(self.reader),
            "steps": [{s.name: to_dict(s.config)} for s in self.steps],
            "output": to_dict(self.output),
            "dedup": to_dict(self.dedup),
        }


def resolve_pipeline_path(pipeline: str) -> Path:
    """A path to a YAML file, or the name of one in the repository's pipelines/ (`korean_web`)."""
    path = Path(pipeline)
    if path.is_file():
        return path
    for candidate in (PIPELINES_DIR / pipeline, PIPELINES_DIR / f"{pipeline}.yaml"):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"pipeline {pipeline!r}: no such file (looked in . and {PIPELINES_DIR})")


def _apply_override(data: dict, parts: list[str], value: Any, item: str) -> None:
    head, *rest = parts
    if not rest:
        raise ConfigError(f"--set {item}: name a key inside a section, e.g. {head}.<key>=…")
    if head in ("reader", "output", "dedup"):
        target = data.setdefault(head, {}) or {}
        data[head] = target
    else:
        entries = [e for e in data.get("steps") or [] if isinstance(e, dict) and head in e]
        if not entries and head in ("kiwi", "analyze"):  # the analysis step under either of its names
            head = "analyze" if head == "kiwi" else "kiwi"
            entries = [e for e in data.get("steps") or [] if isinstance(e, dict) and head in e]
        if not entries:
            steps = [next(iter(e)) for e in data.get("steps") or [] if isinstance(e, dict) and e]
            raise ConfigError(f"{head}: unknown section in --set {item} (reader, output, dedup, or a step: {steps})")
        entry = entries[0]
        entry[head] = target = entry[head] or {}
    where = head
    for part in rest[:-1]:
        where = f"{where}.{part}"
        target = target.setdefault(_key(part), {})
        if not isinstance(target, dict):
            raise ConfigError(f"{where}: is a value, not a section (in --set {item})")
    target[_key(rest[-1])] = value


def _key(part: str) -> str | int:
    """`--set` key parts that are integers address integer keys (`top_n_grams.2=0.3`)."""
    return int(part) if part.isdigit() else part


def parse_pipeline(data: dict, overrides: list[str] = ()) -> PipelineConfig:
    """Validate a pipeline mapping (as loaded from YAML) after applying `key=value` overrides."""
    data = copy.deepcopy(data)
    for item in overrides:
        parts, value = parse_override(item)
        _apply_override(data, parts, value, item)
    known = {"name", "description", "reader", "steps", "output", "dedup"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown key (known keys: {', '.join(sorted(known))})")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ConfigError("name: required, a non-empty string")
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list):
        raise ConfigError("steps: expected a list of `- step_name: {settings}` entries")
    steps, seen = [], set()
    for i, entry in enumerate(raw_steps):
        if not isinstance(entry, dict) or len(entry) != 1:
            raise ConfigError(f"steps[{i}]: expected one `step_name: {{settings}}` mapping, got {entry!r}")
        ((name, settings),) = entry.items()
        if name not in STEP_TYPES:
            raise ConfigError(f"steps[{i}].{name}: unknown step (known steps: {', '.join(STEP_TYPES)})")
        if name in seen:
            raise ConfigError(f"steps[{i}].{name}: listed twice")
        seen.add(name)
        steps.append(Step(name=name, config=from_dict(STEP_TYPES[name].config, settings, f"{name}")))
    analyzers = [s.name for s in steps if STEP_TYPES[s.name].analyzes]
    if len(analyzers) > 1:
        raise ConfigError(f"{analyzers[1]}: `kiwi` is the earlier name of `analyze`; list only one of them")
    kiwi_at = next((i for i, s in enumerate(steps) if STEP_TYPES[s.name].analyzes and s.enabled), None)
    enabled = [(i, s) for i, s in enumerate(steps) if s.enabled]
    for i, step in enabled:
        if STEP_TYPES[step.name].needs_kiwi and (kiwi_at is None or kiwi_at > i):
            raise ConfigError(
                f"{step.name}: needs the morphological analysis; put an enabled `analyze` (or `kiwi`) step before it"
            )
    pii_at = next((i for i, s in enabled if s.name == "pii"), None)
    if pii_at is not None and kiwi_at is not None and kiwi_at < pii_at and steps[kiwi_at].enabled:
        raise ConfigError(
            "pii: comes after `kiwi`, so morpheme statistics would count raw personal data; put `pii` first "
            "(before normalize)"
        )
    last_user = max((i for i, s in enabled if STEP_TYPES[s.name].needs_kiwi), default=-1)
    for i, step in enabled:
        if kiwi_at is not None and kiwi_at < i < last_user and STEP_TYPES[step.name].rewrites:
            raise ConfigError(
                f"{step.name}: rewrites the text between `{steps[kiwi_at].name}` and steps that use its analysis; "
                f"move it before `{steps[kiwi_at].name}` or after them"
            )
    return PipelineConfig(
        name=data["name"],
        description=str(data.get("description") or ""),
        reader=from_dict(ReaderConfig, data.get("reader"), "reader"),
        steps=steps,
        output=from_dict(OutputConfig, data.get("output"), "output"),
        dedup=from_dict(DedupConfig, data.get("dedup"), "dedup"),
    )


def load_pipeline(pipeline: str, overrides: list[str] = ()) -> tuple[Path, PipelineConfig]:
    """Resolve, read and validate a pipeline file; errors name the file and the key."""
    path = resolve_pipeline_path(pipeline)
    data = load_yaml(path)  # its errors name the file already
    try:
        return path, parse_pipeline(data, overrides)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None
