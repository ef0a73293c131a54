#!/usr/bin/env bash
# The recipe study (issue 13, item 2): supervised en↔fr runs on the 320k pairs with different model
# sizes and batch / learning-rate settings, each scored on the 1,040 held-out pairs (greedy sacreBLEU)
# about every 120 updates, so their BLEU can be read against training time on this 2-core CPU.
# From the repository root (after `bash recipes/en-fr/run.sh preprocess`):
#   bash recipes/en-fr/study.sh run NAME MINUTES   # train setting NAME for MINUTES more (resumes where it stopped)
#   bash recipes/en-fr/study.sh table              # every run's curve → docs/results/recipe-study.{json,png}
# Settings (all from scratch unless said; recipes/en-fr/finetune.json otherwise):
#   warmup400  emb 256, 4 heads, 3+3 layers, tokens_per_batch 4000, lr 1e-3, 400 warm-up updates
#              (the shipped recipe without its MASS pre-training: what pre-training adds)
#   batch8k    the same with tokens_per_batch 8000 and lr 1.4e-3 (twice the tokens per update)
#   wide       emb 384, 6 heads, 3+3 layers, FFN 1536, lr 7e-4 (2× the parameters)
#   small      emb 128, 4 heads, 2+2 layers, lr 1.5e-3 (a quarter of the parameters)
# Two more curves come from elsewhere: the shipped recipe (MASS pre-trained, docs/results/en-fr-training.json)
# and the untuned baseline measured before it (lr 1e-3, 800 warm-up updates: the model card's table).
set -euo pipefail
cd "$(dirname "$0")/../.."
mass() { node dist/cli.js "$@"; }
R=recipes/en-fr
D=$R/dumped/study
mkdir -p "$R/logs"

settings() {
  case "$1" in
    warmup400) echo "--optimizer adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=400" ;;
    batch8k) echo "--tokens_per_batch 8000 --optimizer adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0014,warmup_updates=400" ;;
    wide) echo "--emb_dim 384 --n_heads 6 --optimizer adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0007,warmup_updates=400" ;;
    small) echo "--emb_dim 128 --n_layers 2 --n_dec_layers 2 --optimizer adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0015,warmup_updates=400" ;;
    *) echo "unknown setting '$1' (warmup400, batch8k, wide, small)" >&2; return 2 ;;
  esac
}

case "${1:-}" in
  run)
    name=${2:?setting name}
    minutes=${3:?minutes}
    flags=$(settings "$name")
    # SIGTERM at the end of the budget: the trainer saves a resumable checkpoint and exits 0
    if [ -f "$D/$name/checkpoint.safetensors" ]; then
      timeout -s TERM "${minutes}m" node dist/cli.js train --reload_checkpoint "$D/$name/checkpoint.safetensors" 2>&1 | tee -a "$R/logs/study-$name.log" || true
    else
      # shellcheck disable=SC2086 # the flags are words
      timeout -s TERM "${minutes}m" node dist/cli.js train --config "$R/finetune.json" --exp_name study --exp_id "$name" --reload_model '' \
        --epoch_size 13000 --save_periodic 0 $flags 2>&1 | tee -a "$R/logs/study-$name.log" || true
    fi ;;
  table) node "$R/study.mjs" ;;
  *) echo "usage: study.sh run NAME MINUTES | table" >&2; exit 2 ;;
esac
