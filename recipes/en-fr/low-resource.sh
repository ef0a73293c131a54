#!/usr/bin/env bash
# Low resource (issue 13): 10,000 of the 320k en-fr training pairs — every 32nd line — fine-tuned from
# the bundled MASS pre-trained model (models/en-fr/pretrained.safetensors, which saw monolingual text
# only) and, with the same data, architecture, settings and number of updates, from scratch. Both
# score the 1,040 held-out pairs (greedy sacreBLEU) every ~250 updates; the table goes to
# docs/results/low-resource.json. From the repository root:
#   bash recipes/en-fr/low-resource.sh data      # the 10k pairs, split with the pre-trained model's BPE
#   bash recipes/en-fr/low-resource.sh train     # both runs side by side, one thread each (resumable)
#   bash recipes/en-fr/low-resource.sh table     # their validation scores → docs/results/low-resource.json
#   SCHEDULE=fast bash recipes/en-fr/low-resource.sh train   # the same pair with lr 1e-3, 400 warm-up updates
set -euo pipefail
cd "$(dirname "$0")/../.."
mass() { node dist/cli.js "$@"; }
R=recipes/en-fr
CONFIG=$R/low-resource.json
RAW=$R/processed/low-resource/raw
D=$R/dumped/low-resource
mkdir -p "$R/logs"

# MAX_STEPS=n: train to n updates instead of the config's 1,000 (also when resuming)
steps=()
[ -n "${MAX_STEPS:-}" ] && steps=(--max_steps "$MAX_STEPS")
# SCHEDULE=fast: the full-data recipe's learning rate (1e-3, 400 warm-up updates) instead of the
# config's 5e-4 with 100, in runs of their own (pretrained-fast, scratch-fast)
suffix=""
sched=()
case "${SCHEDULE:-}" in
  "") ;;
  fast) suffix=-fast sched=(--optimizer 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=400') ;;
  *) echo "unknown SCHEDULE '$SCHEDULE' (fast, or unset)" >&2; exit 2 ;;
esac
run() { # run EXP_ID [flags]: resume it if it has a checkpoint, else start it
  local id=$1
  shift
  if [ -f "$D/$id/checkpoint.safetensors" ]; then
    mass train --reload_checkpoint "$D/$id/checkpoint.safetensors" "${steps[@]}"
  else
    mass train --config "$CONFIG" --exp_id "$id" "$@" "${sched[@]}" "${steps[@]}"
  fi
}

for phase in "$@"; do
  case "$phase" in
    data)
      mkdir -p "$RAW"
      for l in en fr; do zcat "data/corpora/en-fr/train.$l.gz" | awk 'NR % 32 == 1' > "$RAW/train.$l"; done
      wc -l "$RAW/train.en" "$RAW/train.fr"
      mass preprocess --config "$CONFIG" ;;
    train)
      run "pretrained$suffix" > "$R/logs/low-resource-pretrained$suffix.log" 2>&1 &
      a=$!
      run "scratch$suffix" --reload_model '' > "$R/logs/low-resource-scratch$suffix.log" 2>&1 &
      b=$!
      trap 'kill -TERM $a $b 2>/dev/null; wait' INT TERM
      wait $a $b ;;
    table) node "$R/low-resource-table.mjs" ;;
    *) echo "unknown phase '$phase' (data, train, table)" >&2; exit 2 ;;
  esac
done
