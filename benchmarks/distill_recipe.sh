#!/usr/bin/env bash
# Teacher → pruned + factorized student → logit distillation on the demo shards; prints sizes and bits/char.
# Run after `make demo` (needs demo_out/train/final, demo_out/shards). CPU, a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
$PY -m trainer.prune --model demo_out/train/final --calib demo_out/shards --target-params 9e7 --steps 2 \
    --output demo_out/student_pruned
$PY -m trainer.factorize --model demo_out/student_pruned --rank 128 --targets mlp --output demo_out/student_factorized
.venv/bin/accelerate launch --cpu --num_processes 1 --num_machines 1 --mixed_precision no --dynamo_backend no \
    trainer/run.py --config trainer/configs/distill_smollm2_ko.yaml
$PY -m trainer.eval ppl --model teacher=demo_out/train/final --model pruned=demo_out/student_pruned \
    --model student=demo_out/student_factorized --model distilled=demo_out/distill/final \
    --max-docs 8 --max-chars 400 --seq-len 512
for d in train/final student_pruned student_factorized distill/final; do
  $PY - "$d" <<'PYEOF'
import sys
from pathlib import Path
from trainer.model_init import load_base
d = Path("demo_out") / sys.argv[1]
m = load_base(str(d))
size = sum(f.stat().st_size for f in d.glob("*.safetensors"))
print(f"{sys.argv[1]:<20} {sum(p.numel() for p in m.parameters()):>13,} parameters {size / 2**20:>8.1f} MiB")
PYEOF
done
