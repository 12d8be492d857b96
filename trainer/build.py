"""Build the model a training config describes (base or random, up-scaled, extended, pruned, factorized)."""

from pathlib import Path

from trainer.stages import TrainConfig


def build_model(cfg: TrainConfig):
    """The base (or random) model, up-scaled, resized to the extended tokenizer, pruned, factorized (as the config
    says); returns (model, new token ids)."""
    from trainer.model_init import extend_embeddings, load_base, random_init

    if cfg.model.random_init is not None:
        model = random_init(cfg.model.random_init, seed=cfg.seed)
    elif cfg.model.base:
        model = load_base(cfg.model.base)
    else:
        raise ValueError("model: give base or random_init")
    if cfg.model.upscale:
        from trainer.upscale import upscale

        upscale(model, [tuple(r) for r in cfg.model.upscale])
    new_ids = []
    if cfg.model.new_tokens:
        new_ids = extend_embeddings(
            model, Path(cfg.model.new_tokens), cfg.model.embedding_init, cfg.shards, cfg.tokenizer
        )
    if cfg.model.prune:
        from trainer.prune import calibration_batches, prune

        pc = cfg.model.prune
        batches = calibration_batches(pc.calib or cfg.shards, pc.calib_rows)
        model = prune(model, batches, pc.target_params, tuple(pc.axes), pc.steps)
    if cfg.model.factorize:
        from trainer.factorize import factorize

        factorize(model, cfg.model.factorize.rank, tuple(cfg.model.factorize.targets))
    return model, new_ids
