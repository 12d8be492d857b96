"""Continual-pretraining trainer (`accelerate launch trainer/run.py`); arrives with the trainer issue."""
