"""Checkpoints: written to a temp directory and renamed (atomic), then `latest` points at them.

OUT/checkpoints/step_000012/ holds model.pt (state dict), optimizer.pt, state.json (stage, step in stage,
global step, tokens seen, data positions of every rank) and rng_rank<R>.pt (Python, NumPy, torch RNG states).
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
    """Save on every rank's part (RNG, data position), model/optimizer on the main process; returns the path."""
    import torch

    root = Path(out) / "checkpoints"
    name = f"step_{state['step']:06d}"
    tmp = root / f".{name}.tmp"
    positions = accelerator.gather_for_metrics([json.dumps(data_position)], use_gather_object=True)
    if accelerator.is_main_process:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    accelerator.wait_for_everyone()
    torch.save(_rng_state(), tmp / f"rng_rank{accelerator.process_index}.pt")
    if accelerator.is_main_process:
        torch.save(accelerator.unwrap_model(model).state_dict(), tmp / "model.pt")
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


def resolve(out: Path, spec: str) -> Path:
    """`latest` → the checkpoint the pointer names; otherwise a checkpoint directory."""
    if spec == "latest":
        pointer = Path(out) / "checkpoints" / "latest"
        if not pointer.is_file():
            raise FileNotFoundError(f"{pointer}: no checkpoint to resume from")
        return pointer.parent / pointer.read_text().strip()
    return Path(spec)


def load_state(path: Path) -> dict:
    return json.loads((path / "state.json").read_text())


def restore(path: Path, accelerator, model, optimizer=None) -> None:
    """Model weights (before prepare is fine), optimizer state, this rank's RNG."""
    import torch

    accelerator.unwrap_model(model).load_state_dict(torch.load(path / "model.pt", map_location="cpu"))
    if optimizer is not None and (path / "optimizer.pt").is_file():
        optimizer.load_state_dict(torch.load(path / "optimizer.pt", map_location="cpu"))
    rng = path / f"rng_rank{accelerator.process_index}.pt"
    if rng.is_file():
        _set_rng_state(torch.load(rng, weights_only=False))
