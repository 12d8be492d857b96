"""Training configuration (typed, from YAML) and stages: which parameters train, for how long, at what rate.

A stage trains one of: `new_embeddings` (only the rows of new tokens — the base rows' gradients are zeroed by a
hook, as EEVE does), `embeddings` (input + output embeddings), `lm_head`, `odd_layers` / `even_layers`
(decoder layers by index parity, RedWhale), `all`, `lora` (peft LoRA adapters, merged into the weights at the
stage end; combinable with the others, e.g. `[lora, embeddings]`). Budget: `steps` or `tokens`. Schedule: `cosine` (linear
warmup, cosine to `min_lr_ratio`) or `wsd` (warmup, stable, linear decay over the last `decay_ratio`).
"""

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kocorpus.config import ConfigError, from_dict

Trainable = Literal["new_embeddings", "embeddings", "lm_head", "odd_layers", "even_layers", "all", "lora"]


@dataclass(kw_only=True)
class LoraConfig:
    """peft LoRA adapters for a stage with `trainable: [lora, …]`."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.0
    target_modules: list[str] = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    )

    def __post_init__(self) -> None:
        if self.r < 1:
            raise ConfigError("r: must be >= 1")


@dataclass(kw_only=True)
class DistillConfig:
    """Logit distillation from a frozen teacher that shares the tokenizer (trainer/distill.py)."""

    teacher: str
    """HF directory, .gguf or smollm2."""
    alpha: float = 1.0
    """Weight of the KL term; 1 − alpha goes to the cross-entropy (Kanana: KL only)."""
    temperature: float = 1.0

    def __post_init__(self) -> None:
        if not 0 <= self.alpha <= 1 or self.temperature <= 0:
            raise ConfigError("alpha must be in [0, 1] and temperature > 0")


@dataclass(kw_only=True)
class StageConfig:
    name: str
    trainable: list[Trainable] = field(default_factory=lambda: ["all"])
    steps: int | None = None
    tokens: int | None = None
    lr: float = 3e-4
    warmup_steps: int = 0
    schedule: Literal["cosine", "wsd", "constant"] = "cosine"
    min_lr_ratio: float = 0.1
    decay_ratio: float = 0.2
    """wsd: fraction of the stage spent decaying."""
    mixture: dict[str, float] = field(default_factory=lambda: {"default": 1.0})
    lora: LoraConfig = field(default_factory=LoraConfig)
    """Used when `trainable` has `lora`."""
    new_rows: Literal["all", "batch"] = "all"
    """`new_embeddings` stages: `batch` lets only the new rows of tokens in the current batch learn (otherwise
    the softmax gradient pushes every absent new token down, and Adam's normalisation makes that a full step)."""
    distill: DistillConfig | None = None
    """A distillation stage: the loss is the teacher-student KL (+ CE)."""

    def __post_init__(self) -> None:
        if (self.steps is None) == (self.tokens is None):
            raise ConfigError(f"stage {self.name}: give exactly one of steps or tokens")
        if self.lr <= 0:
            raise ConfigError(f"stage {self.name}: lr must be > 0")


@dataclass(kw_only=True)
class PruneConfig:
    """Structured pruning at model init (trainer/prune.py), after the vocabulary extension."""

    target_params: int
    axes: list[Literal["mlp", "heads", "hidden"]] = field(default_factory=lambda: ["mlp", "heads", "hidden"])
    steps: int = 1
    calib: str | None = None
    """Calibration shards; default: the training shards."""
    calib_rows: int = 32


@dataclass(kw_only=True)
class FactorizeConfig:
    """Low-rank factorization at model init (trainer/factorize.py), after pruning."""

    rank: int
    targets: list[Literal["mlp", "embed"]] = field(default_factory=lambda: ["mlp"])


@dataclass(kw_only=True)
class ModelConfig:
    base: str | None = None
    """HF directory, .gguf, or smollm2; None with random_init."""
    random_init: dict | None = None
    """A config dict (e.g. a tiny Llama) instead of a base model, for tests."""
    new_tokens: str | None = None
    """new_tokens.json of the extended tokenizer: resize and initialise the new rows."""
    embedding_init: Literal["mean_unigram", "mean", "first", "hewitt", "logprob", "hewitt_untied"] = "mean_unigram"
    """New rows: see trainer/embedding_init.py; `mean_unigram` measured best (benchmarks/adaptation.py)."""
    upscale: list[list[int]] | None = None
    """Depth up-scaling before training: decoder-layer ranges [start, end) to stack, e.g. [[0, 24], [8, 32]]."""
    prune: PruneConfig | None = None
    factorize: FactorizeConfig | None = None


@dataclass(kw_only=True)
class KobestEvalConfig:
    """A KoBEST subset before training and at stage ends (trainer/eval/kobest.py); off without `data`."""

    data: str | None = None
    """KoBEST directory (<Task>/{dev,test}.tsv), e.g. kocorpus/data/kobest (24 test rows per task)."""
    tasks: list[Literal["boolq", "copa", "wic", "hellaswag", "sentineg"]] = field(
        default_factory=lambda: ["boolq", "copa", "wic", "hellaswag", "sentineg"]
    )
    split: Literal["test", "dev"] = "test"
    shots: int = 0
    limit: int | None = 50
    """First N examples per task."""
    batch_size: int = 8


@dataclass(kw_only=True)
class EvalConfig:
    """Held-out evaluation (loss, bits/char, bits/byte) before training, every `every` steps and at stage ends."""

    sets: dict[str, str] = field(default_factory=dict)
    """{name: JSONL/Parquet/text file or directory of held-out text}, e.g. {ko: …, en: …}."""
    every: int = 0
    """Evaluate every N optimizer steps (0: only before training and at stage ends)."""
    at_start: bool = True
    max_docs: int = 64
    max_chars: int = 2000
    """Each text is cut to this many characters."""
    batch_size: int = 4
    kobest: KobestEvalConfig = field(default_factory=KobestEvalConfig)

    def __post_init__(self) -> None:
        if self.every < 0 or self.max_docs < 1 or self.max_chars < 1 or self.batch_size < 1:
            raise ConfigError("every/max_docs/max_chars/batch_size: must be positive")


@dataclass(kw_only=True)
class TrainConfig:
    model: ModelConfig
    tokenizer: str
    """The tokenizer the shards were made with (checked against their manifest)."""
    shards: str
    stages: list[StageConfig]
    output: str = "runs/demo"
    seq_len: int | None = None
    """Optional check: must equal the shards' seq_len (rows are packed to it by `kocorpus tokenize`)."""
    batch_size: int = 4
    """Rows per process per micro-step."""
    grad_accum: int = 1
    max_grad_norm: float = 1.0
    weight_decay: float = 0.0
    no_decay_embeddings: bool = True
    document_masking: bool = False
    data_split: Literal["rows", "shards"] = "rows"
    """How ranks share the shards (trainer/data.py): rows — global row i to rank i % processes, the same rows per
    step for any process count; shards — shard k to rank k % processes, each rank opens only its own files."""
    stage_data: Literal["continue", "restart"] = "continue"
    """continue: a stage's data stream starts where the previous stage's left off for each label (every stage
    sees unseen rows first); restart: every stage reads its mixture from the first row again (its own epochs)."""
    seed: int = 0
    log_every: int = 1
    save_every: int = 0
    """Checkpoint every N optimizer steps (0: only at the end)."""
    mixed_precision: Literal["no", "bf16", "fp16"] = "no"
    eval: EvalConfig = field(default_factory=EvalConfig)
    report_to: list[Literal["tensorboard", "wandb"]] = field(default_factory=lambda: ["tensorboard"])
    """Trackers besides the console and OUT/log.jsonl (TensorBoard logs go to OUT/tensorboard)."""
    log_rows: bool = False
    """Write OUT/rows_rank<R>.jsonl: the (label, global row) of every row each rank trains on (debugging)."""
    fsdp: bool = False
    """Shard parameters, gradients and optimizer state over the processes with FSDP2 (trainer/fsdp.py)."""
    peak_tflops: float | None = None
    """Peak TFLOP/s of one device for the MFU estimate; None: looked up for known GPUs, no MFU on CPU."""
    attn_implementation: Literal["auto", "sdpa", "eager", "flash_attention_2"] = "auto"
    """auto: flash_attention_2 on CUDA when flash-attn is installed, else sdpa (trainer/speed.py)."""
    torch_compile: bool = False
    torch_compile_backend: Literal["inductor", "aot_eager", "eager", "cudagraphs"] = "inductor"
    gradient_checkpointing: bool = False
    cross_entropy: Literal["plain", "chunked", "fused"] = "plain"
    """chunked: head + loss over ce_chunk_tokens positions at a time (no full logits); fused: Liger's fused linear
    cross-entropy on CUDA when liger-kernel is installed, else chunked."""
    ce_chunk_tokens: int = 4096

    def __post_init__(self) -> None:
        if self.ce_chunk_tokens < 1:
            raise ConfigError("ce_chunk_tokens: must be >= 1")


def load_config(path: str, overrides: list[str] = ()) -> TrainConfig:
    """YAML → TrainConfig; `overrides` are `key=value` (dotted keys, list items by index as in `stages.1.lr`,
    YAML values); errors (missing file, YAML syntax, duplicate or unknown keys, bad values) name the file and key."""
    from kocorpus.config import load_yaml, parse_override

    data = load_yaml(path)
    try:
        for item in overrides:
            parts, value = parse_override(item)
            node = data
            try:
                for p in parts[:-1]:
                    node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
                node[int(parts[-1]) if isinstance(node, list) else parts[-1]] = value
            except (ValueError, IndexError, TypeError, AttributeError):
                raise ConfigError(f"--set {item}: no such key (list items by index: stages.0.lr=1e-4)") from None
        stages = data.pop("stages", None)
        if not stages:
            raise ConfigError("stages: at least one stage is required")
        if not isinstance(stages, list):
            raise ConfigError("stages: expected a list of stages")
        cfg = from_dict(TrainConfig, data | {"stages": []}, "")
        cfg.stages = [from_dict(StageConfig, s, f"stages[{i}]") for i, s in enumerate(stages)]
        if cfg.cross_entropy != "plain" and any(s.distill for s in cfg.stages):
            raise ConfigError(f"cross_entropy: {cfg.cross_entropy} returns no logits; distillation stages need plain")
        if cfg.fsdp:  # trainer/fsdp.py rebuilds the model from its config at stage boundaries: these would be lost
            unsupported = [k for k, on in (
                ("model.factorize", cfg.model.factorize is not None), ("torch_compile", cfg.torch_compile),
                ("gradient_checkpointing", cfg.gradient_checkpointing), ("cross_entropy", cfg.cross_entropy != "plain"),
            ) if on] + [f"stages[{i}].new_rows: batch" for i, s in enumerate(cfg.stages) if s.new_rows == "batch"]  # fmt: skip
            if unsupported:
                raise ConfigError(f"fsdp: not supported together with {', '.join(unsupported)}; drop one of them")
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None
    return cfg


def lr_at(stage: StageConfig, step: int, total: int) -> float:
    """Learning rate at optimizer step `step` (0-based) of a stage of `total` steps."""
    if stage.warmup_steps and step < stage.warmup_steps:
        return stage.lr * (step + 1) / stage.warmup_steps
    if stage.schedule == "constant":
        return stage.lr
    floor = stage.lr * stage.min_lr_ratio
    if stage.schedule == "wsd":
        decay_steps = max(1, int(total * stage.decay_ratio))
        start = total - decay_steps
        if step < start:
            return stage.lr
        return stage.lr - (stage.lr - floor) * (step - start + 1) / decay_steps
    span = max(1, total - stage.warmup_steps)
    progress = min(1.0, (step - stage.warmup_steps) / span)
    return floor + (stage.lr - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def set_trainable(model, stage: StageConfig, new_ids: list[int]) -> list:
    """requires_grad per the stage; returns hook handles (remove them when the stage ends). For
    `new_embeddings` a gradient hook zeroes every row but the new ones (input and untied output embeddings; of a
    factorized embedding the lookup rows, its shared projection stays frozen)."""
    import torch

    kinds = set(stage.trainable)
    for name, p in model.named_parameters():
        p.requires_grad = "all" in kinds or ("lora" in kinds and "lora_" in name)
    head = model.get_output_embeddings()
    handles = []
    if "embeddings" in kinds:
        for p in embedding_params(model):
            p.requires_grad = True
    rows = embedding_row_params(model)
    if "new_embeddings" in kinds:  # the per-token rows; a factorized embedding's shared projection stays frozen
        for p in rows:
            p.requires_grad = True
    if "lm_head" in kinds and head is not None:
        head.weight.requires_grad = True
    layers = decoder_layers(model)
    for i, layer in enumerate(layers):
        if ("odd_layers" in kinds and i % 2 == 1) or ("even_layers" in kinds and i % 2 == 0):
            for p in layer.parameters():
                p.requires_grad = True
    if "new_embeddings" in kinds and not kinds & {"embeddings", "all"}:
        mask = torch.zeros(rows[0].shape[0], 1, dtype=rows[0].dtype)
        is_new = torch.zeros(rows[0].shape[0], dtype=torch.bool)
        is_new[torch.as_tensor(new_ids, dtype=torch.long)] = True
        mask[is_new] = 1
        if stage.new_rows == "batch":  # before each forward: only the new tokens of this batch

            def gate(module, args, m=mask, new=is_new):
                ids = args[0].detach().reshape(-1).cpu()
                m.zero_()
                m[ids[new[ids]]] = 1

            handles.append(model.get_input_embeddings().register_forward_pre_hook(gate))
        for w in rows:
            handles.append(w.register_hook(lambda g, m=mask: g * m.to(g.device, g.dtype)))
    return handles


def embedding_row_params(model) -> list:
    """The parameters with one row per token: the input table (`nn.Embedding.weight`, or a factorized embedding's
    `lookup.weight` — its `weight` is a computed product, not a parameter) and an untied output head."""
    emb, head = model.get_input_embeddings(), model.get_output_embeddings()
    table = emb.lookup.weight if hasattr(emb, "lookup") else emb.weight
    out = [table]
    if head is not None and head.weight is not table:
        out.append(head.weight)
    return out


def embedding_params(model) -> list:
    """Every parameter of the input embedding module (a factorized one: lookup and projection) and the head."""
    out = list(model.get_input_embeddings().parameters())
    head = model.get_output_embeddings()
    if head is not None:
        out += [p for p in head.parameters() if all(p is not q for q in out)]
    return out


def param_groups(model, weight_decay: float, no_decay_embeddings: bool) -> list[dict]:
    """AdamW groups: no weight decay on norms, biases and (optionally) embeddings."""
    decay, no_decay = [], []
    emb_ids = {id(p) for p in embedding_params(model)}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if p.ndim < 2 or "norm" in name or name.endswith(".bias") or (no_decay_embeddings and id(p) in emb_ids):
            no_decay.append(p)
        else:
            decay.append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def decoder_layers(model) -> list:
    """The decoder layers of a HF causal LM (also under a peft wrapper)."""
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    return list(inner.model.layers) if hasattr(inner, "model") and hasattr(inner.model, "layers") else []


def add_lora(model, lora: LoraConfig):
    """Wrap `model` with peft LoRA adapters (a PeftModel); `merge_lora` folds them back at the stage end."""
    from peft import LoraConfig as PeftLoraConfig
    from peft import get_peft_model

    config = PeftLoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout,
                            target_modules=lora.target_modules, task_type="CAUSAL_LM")  # fmt: skip
    return get_peft_model(model, config)


def merge_lora(model):
    """The plain model with the LoRA updates merged into its weights (no-op without adapters)."""
    return model.merge_and_unload() if hasattr(model, "merge_and_unload") else model


def check_files(cfg: TrainConfig, path: str) -> None:
    """Fail with one ConfigError naming the config file and key when a file the run needs is missing (tokenizer,
    shards manifest, base model, eval sets, …): called before the Accelerator starts and anything is written."""
    from kocorpus.errors import UserError
    from kocorpus.tokens.base import check_tokenizer, resolve

    def exists(key: str, value: str, what: str) -> None:
        try:
            resolve(value)
        except UserError:
            raise ConfigError(f"{path}: {key}: {value}: no such {what}") from None

    if cfg.model.base is None and cfg.model.random_init is None:
        raise ConfigError(f"{path}: model: give base (HF directory, .gguf or smollm2) or random_init")
    try:
        check_tokenizer(cfg.tokenizer, f"{path}: tokenizer:", load=False)
    except UserError as e:
        raise ConfigError(str(e)) from None
    manifests = [("shards", cfg.shards)]
    if cfg.model.prune and cfg.model.prune.calib:
        manifests.append(("model.prune.calib", cfg.model.prune.calib))
    for key, value in manifests:
        folder = Path(value)
        manifest = folder / "manifest.json" if folder.is_dir() else folder
        if not manifest.is_file():
            raise ConfigError(f"{path}: {key}: {manifest}: no manifest.json; write the shards with `kocorpus tokenize`")
        if key == "shards" and cfg.seq_len is not None:
            import json

            seq_len = json.loads(manifest.read_text()).get("seq_len")
            if seq_len is not None and int(seq_len) != cfg.seq_len:
                raise ConfigError(f"{path}: seq_len: {cfg.seq_len}, but the shards have {seq_len}-token rows "
                                  "(re-run kocorpus tokenize, or drop seq_len)")  # fmt: skip
    if cfg.model.base:
        exists("model.base", cfg.model.base, "model (a HF directory, .gguf file or smollm2)")
    if cfg.model.new_tokens and not Path(cfg.model.new_tokens).is_file():
        raise ConfigError(f"{path}: model.new_tokens: {cfg.model.new_tokens}: no such file (`kocorpus tokenizer "
                          "extend` writes new_tokens.json beside the tokenizer)")  # fmt: skip
    for name, value in cfg.eval.sets.items():
        if not Path(value).exists():
            raise ConfigError(f"{path}: eval.sets.{name}: {value}: no such file or directory")
    if cfg.eval.kobest.data and not Path(cfg.eval.kobest.data).is_dir():
        raise ConfigError(f"{path}: eval.kobest.data: {cfg.eval.kobest.data}: no such KoBEST directory")
    for i, stage in enumerate(cfg.stages):
        if stage.distill:
            exists(f"stages[{i}].distill.teacher", stage.distill.teacher, "teacher model")
