#!/usr/bin/env bash
# Interleaved A/B of training speed: a git revision against the working tree, in alternating order
# (old new, new old, ...), so that a machine whose speed moves by the minute weighs on both alike.
#
#   bench/ab_train_speed.sh REV [DATASET] [SOFTMAX] [THREADS] [ROUNDS] [BATCHES]
#   e.g. bench/ab_train_speed.sh e7b02a8 ml-latest-small full 2 4 60
#
# Each run is one `python -m evaluation.train_speed` configuration of BATCHES batches (the epoch
# extrapolated), in its own process; it prints "side seconds-per-epoch share-of-floor GEMM-GFLOP/s"
# and the mean of each side. DRIFTREC_DATA_DIR chooses the releases (default ../shared/data).
set -euo pipefail
rev=${1:?usage: bench/ab_train_speed.sh REV [DATASET] [SOFTMAX] [THREADS] [ROUNDS] [BATCHES]}
dataset=${2:-ml-latest-small} softmax=${3:-full} threads=${4:-2} rounds=${5:-4} batches=${6:-60}
here=$(git rev-parse --show-toplevel)
data=${DRIFTREC_DATA_DIR:-$here/../shared/data}
python=${PYTHON:-$here/.venv/bin/python}
old=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
git -C "$here" worktree add --detach --force "$old" "$rev" >/dev/null
results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  sides="old new"; [ $((round % 2)) = 0 ] && sides="new old"
  for side in $sides; do
    dir=$([ "$side" = old ] && echo "$old" || echo "$here")
    line=$(cd "$dir" && HF_HUB_OFFLINE=1 OMP_NUM_THREADS=$threads "$python" -m evaluation.train_speed \
             --one "$dataset" "$softmax" "$threads" --epochs 1 --data-dir "$data" --history-samples auto \
             --text-widths auto --batch-sizes auto --max-batches "$batches" 2>/dev/null | tail -1)
    echo "$line" | "$python" -c "import json, sys; r = json.load(sys.stdin); print('$side', round(r['epoch_s'], 2), round(r['share_of_floor'], 3), round(r['gemm_gflops']))" | tee -a "$results"
  done
done
"$python" - "$results" <<'EOF'
import sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    side, seconds, *_ = line.split()
    runs[side].append(float(seconds))
old, new = (sum(runs[s]) / len(runs[s]) for s in ("old", "new"))
print(f"mean s/epoch: old {old:.2f}, new {new:.2f} ({new / old - 1:+.1%}); runs old {runs['old']}, new {runs['new']}")
EOF
