#!/usr/bin/env bash
# The study of docs/results.md, run by run. Each run is one command; this script just runs them in
# order (two at a time where they do not depend on each other). From the repository root:
#   bash study/run.sh            # everything (≈ 4 h of CPU with the current engine: ≈ 2–2.5 h on 2 cores)
#   bash study/run.sh pretrain   # one run
set -euo pipefail
cd "$(dirname "$0")/.."
mass() { node dist/cli.js "$@"; }
mkdir -p study/logs

prepare() {
  node study/sample-pairs.mjs 10000 study/data/train10k
  node study/sample-pairs.mjs 50000 study/data/train50k
  for c in pretrain sup10k-scratch sup50k-scratch summ-scratch; do mass preprocess --config "study/configs/$c.json"; done
}
run() { mass train --config "study/configs/$1.json" > "study/logs/$1.log" 2>&1; }
# The 2,000-update pre-training continued to 6,000 updates: a copy of its run, resumed exactly.
pretrain_long() {
  rm -rf study/dumped/study/pretrain-long
  cp -r study/dumped/study/pretrain study/dumped/study/pretrain-long
  mass train --config study/configs/pretrain-long.json --reload_checkpoint study/dumped/study/pretrain-long/checkpoint.safetensors > study/logs/pretrain-long.log 2>&1
}

if [ $# -gt 0 ]; then
  for r in "$@"; do case "$r" in prepare) prepare ;; pretrain-long) pretrain_long ;; *) run "$r" ;; esac; done
  exit 0
fi
npm run -s build
mkdir -p study/data
prepare
run pretrain & run sup10k-scratch & wait
run sup10k-mass & run sup50k-scratch & wait
run sup50k-mass & run unsup-bt & wait
run summ-mass & run summ-scratch & wait
pretrain_long
run unsup-bt-long & run summ-mass-long & wait
node --import tsx study/baselines.ts > study/logs/baselines.json
/usr/bin/python3 study/plot.py
