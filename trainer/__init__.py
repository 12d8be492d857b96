"""Staged continual-pretraining trainer: `accelerate launch trainer/run.py --config trainer/configs/NAME.yaml`."""
