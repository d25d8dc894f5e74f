#!/usr/bin/env bash
# Trains the same architecture, epochs, batch size and thread count with `edgeloop train`
# (DJL/PyTorch) and with Debian's python3-torch (src/main/python/train_reference.py), back to
# back on this machine, and prints both training times, both test accuracies and the ratio
# edgeloop / torch (goal <= 1.0, at most 1.3).
#   usage: tests/bench-training-vs-torch.sh [mlp|cnn] [EPOCHS] [THREADS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:-mlp}"
EPOCHS="${2:-5}"
THREADS="${3:-2}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "torch reference: $MODEL, $EPOCHS epochs, batch 128, Adam 1e-3 with cosine decay, $THREADS threads" >&2
/usr/bin/python3 "$ROOT/tests/src/main/python/train_reference.py" --model "$MODEL" --epochs "$EPOCHS" \
  --threads "$THREADS" > "$WORK/torch.json"

echo "edgeloop train: same settings" >&2
"$ROOT/edgeloop" train --dataset fashion-mnist --model "$MODEL" --epochs "$EPOCHS" --threads "$THREADS" \
  --batch-size 128 --lr 0.001 --schedule cosine --patience 0 --out "$WORK/edgeloop" --data-dir "$WORK/data" >&2

/usr/bin/python3 - "$WORK/torch.json" "$WORK/edgeloop/metrics.json" "$MODEL" "$EPOCHS" "$THREADS" <<'PY'
import json, sys
torch = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
ratio = ours["train_seconds"] / torch["train_seconds"]
print(json.dumps({"model": sys.argv[3], "epochs": int(sys.argv[4]), "threads": int(sys.argv[5]),
                  "edgeloop_train_seconds": round(ours["train_seconds"], 2),
                  "torch_train_seconds": round(torch["train_seconds"], 2),
                  "ratio_edgeloop_over_torch": round(ratio, 3),
                  "edgeloop_test_accuracy": ours["test_accuracy"], "torch_test_accuracy": torch["test_accuracy"],
                  "verdict": "goal met (<= 1.0)" if ratio <= 1.0 else "within limit (<= 1.3)" if ratio <= 1.3 else "too slow (> 1.3)"},
                 indent=2))
PY
