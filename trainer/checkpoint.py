"""Checkpoints: written to a temp directory and renamed (atomic), then `latest` points at them.

OUT/checkpoints/step_000012/ holds model.pt (full state dict) and optimizer.pt — or, for a model sharded by
trainer/fsdp.py, dcp/ (each rank's shard of model and optimizer, torch.distributed.checkpoint) —
state.json (stage, step in stage, global step, tokens seen, data positions of every rank) and rng_rank<R>.pt
(Python, NumPy, torch RNG states).
"""

import json
import random
import shutil
from pathlib import Path

import numpy as np


def _rng_state() -> dict:
    import torch

    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    import torch

    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save(accelerator, out: Path, model, optimizer, state: dict, data_position: dict) -> Path | None:
    """Save a checkpoint (a collective: call on every rank); returns its path. The model's full state dict is
    gathered with `accelerator.get_state_dict` (DDP); the optimizer state is saved by the main process. A model
    sharded by trainer/fsdp.py is saved sharded instead (each rank its shard; at a stage end — `stage_step` 0 —
    the merged weights without the optimizer)."""
    import torch

    root = Path(out) / "checkpoints"
    name = f"step_{state['step']:06d}"
    tmp = root / f".{name}.tmp"
    positions = accelerator.gather_for_metrics([json.dumps(data_position)], use_gather_object=True)
    if accelerator.is_main_process:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    accelerator.wait_for_everyone()
    fsdp2 = is_fsdp2(model)
    if fsdp2:
        from trainer import fsdp

        stage_end = state["stage_step"] == 0
        fsdp.save(tmp, model, None if stage_end else optimizer, merged=stage_end)
    model_state = None if fsdp2 else accelerator.get_state_dict(model)
    torch.save(_rng_state(), tmp / f"rng_rank{accelerator.process_index}.pt")
    if sharded(accelerator) and not fsdp2:
        torch.save(optimizer.state_dict(), tmp / f"optimizer_rank{accelerator.process_index}.pt")
    if accelerator.is_main_process:
        if model_state is not None:
            torch.save(model_state, tmp / "model.pt")
        if not sharded(accelerator) and not fsdp2:
            torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
        full = dict(state, data=[json.loads(p) for p in positions], world_size=accelerator.num_processes)
        (tmp / "state.json").write_text(json.dumps(full, indent=1))
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        final = root / name
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
        (root / "latest.tmp").write_text(name)
        (root / "latest.tmp").replace(root / "latest")
    accelerator.wait_for_everyone()
    return root / name


def is_fsdp2(model) -> bool:
    """A model sharded with `fully_shard` (trainer/fsdp.py)."""
    from torch.distributed.fsdp import FSDPModule

    return isinstance(model, FSDPModule)


def sharded(accelerator) -> bool:
    """FSDP: parameters and optimizer state are sharded over the ranks."""
    from accelerate.utils import DistributedType

    return accelerator.distributed_type == DistributedType.FSDP


def resolve(out: Path, spec: str) -> Path | None:
    """`latest` → the checkpoint the pointer names (an error if none); `auto` → the same, or None (start fresh)
    when there is none yet — for requeued cluster jobs; otherwise a checkpoint directory."""
    if spec in ("latest", "auto"):
        pointer = Path(out) / "checkpoints" / "latest"
        if not pointer.is_file() and spec == "auto":
            return None
        if not pointer.is_file():
            raise FileNotFoundError(f"{pointer}: no checkpoint to resume from")
        return pointer.parent / pointer.read_text().strip()
    return Path(spec)


def load_state(path: Path) -> dict:
    return json.loads((path / "state.json").read_text())


def restore(path: Path, accelerator, model) -> None:
    """Model weights (into the plain model, before `accelerator.prepare`) and this rank's RNG states."""
    import torch

    accelerator.unwrap_model(model).load_state_dict(torch.load(path / "model.pt", map_location="cpu"))
    restore_rng(path, accelerator)


def restore_rng(path: Path, accelerator) -> None:
    """This rank's Python, NumPy and torch RNG states of a checkpoint."""
    import torch

    rng = path / f"rng_rank{accelerator.process_index}.pt"
    if rng.is_file():
        _set_rng_state(torch.load(rng, weights_only=False))


def restore_optimizer(path: Path, accelerator, optimizer) -> None:
    """Optimizer state, after `accelerator.prepare` (under FSDP the optimizer then holds this rank's shards)."""
    import torch

    per_rank = path / f"optimizer_rank{accelerator.process_index}.pt"
    f = per_rank if per_rank.is_file() else path / "optimizer.pt"
    if f.is_file():
        optimizer.load_state_dict(torch.load(f, map_location="cpu", weights_only=False))
