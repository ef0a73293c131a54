#!/usr/bin/env bash
# The recipe of the bundled en↔fr model (docs/model-card.md), phase by phase, from the repository root:
#   bash recipes/en-fr/run.sh preprocess   # Moses + joint BPE (16k codes) on data/corpora/en-fr, binarized
#   bash recipes/en-fr/run.sh pretrain     # MASS on mono.{en,fr} + the train sides as monolingual text
#   bash recipes/en-fr/run.sh finetune     # supervised en→fr and fr→en in one model, from the pre-trained weights
#   bash recipes/en-fr/run.sh pack-pretrained  # the pre-training's best weights → models/en-fr/pretrained.safetensors
#                                          # (float16; `reload_model: "bundled:pretrained"` starts from it)
#   bash recipes/en-fr/run.sh pack         # the fine-tuning's last weights → models/en-fr/translation.safetensors (float16)
#   bash recipes/en-fr/run.sh pack-average # the mean of the last 3 periodic checkpoints instead (measure it first:
#                                          # at 1,144 updates it scored 6.59 vs 8.67 greedy en→fr, docs/model-card.md)
#   bash recipes/en-fr/run.sh evaluate     # sacreBLEU of the packed model on the 1,040 held-out pairs, both ways
# Each training phase stops cleanly on Ctrl-C / SIGTERM and resumes exactly with the same command
# (its checkpoint.safetensors holds the optimizer and data position). A session that must hand the run
# on without those files continues from the packed float16 weights instead: `finetune-from-packed`,
# `pretrain-from-packed` (a fresh optimizer with a short warm-up).
set -euo pipefail
cd "$(dirname "$0")/../.."
mass() { node dist/cli.js "$@"; }
R=recipes/en-fr
D=$R/dumped/en-fr
mkdir -p "$R/logs"

train() { # train CONFIG EXP_ID [flags]: resume the run if it has a checkpoint, else start it
  local config=$1 id=$2
  shift 2
  if [ -f "$D/$id/checkpoint.safetensors" ]; then
    mass train --reload_checkpoint "$D/$id/checkpoint.safetensors" "$@"
  else
    mass train --config "$config" "$@"
  fi
}

for phase in "$@"; do
  case "$phase" in
    preprocess) mass preprocess --config "$R/pretrain.json" ;;
    pretrain) train "$R/pretrain.json" pretrain 2>&1 | tee -a "$R/logs/pretrain.log" ;;
    finetune) train "$R/finetune.json" finetune 2>&1 | tee -a "$R/logs/finetune.log" ;;
    pretrain-from-packed)
      mass train --config "$R/pretrain.json" --exp_id pretrain-continued --reload_model models/en-fr/pretrained.safetensors \
        --optimizer 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0006,warmup_updates=100' 2>&1 | tee -a "$R/logs/pretrain.log" ;;
    pack-pretrained)
      mass pack "$D/pretrain/best-valid_en-en_mass_ppl.safetensors" --out models/en-fr/pretrained.safetensors --note "recipes/en-fr pretrain (docs/model-card.md)" ;;
    finetune-from-packed)
      mass train --config "$R/finetune.json" --reload_model models/en-fr/translation.safetensors \
        --optimizer 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0005,warmup_updates=100' 2>&1 | tee -a "$R/logs/finetune.log" ;;
    pack) mass pack "$D/finetune/checkpoint.safetensors" --out models/en-fr/translation.safetensors --note "recipes/en-fr (docs/model-card.md)" ;;
    pack-average)
      mapfile -t last < <(ls -1 "$D/finetune"/periodic-*.safetensors | sort -V | tail -n 3)
      mass pack "${last[@]}" --out models/en-fr/translation.safetensors --note "recipes/en-fr (docs/model-card.md)" ;;
    evaluate)
      for pair in en:fr fr:en; do
        s=${pair%:*} t=${pair#*:}
        zcat "data/corpora/en-fr/valid.$s.gz" > "$R/logs/valid.$s"
        zcat "data/corpora/en-fr/valid.$t.gz" > "$R/logs/valid.$t"
        mass translate --model models/en-fr/translation.safetensors --src "$s" --tgt "$t" --beam 5 --quiet < "$R/logs/valid.$s" > "$R/logs/valid.hyp.$s-$t"
        echo "$s→$t: $(mass eval --ref "$R/logs/valid.$t" --hyp "$R/logs/valid.hyp.$s-$t" --metric sacrebleu,chrf | tr '\n' ' ')"
      done ;;
    *) echo "unknown phase '$phase' (preprocess, pretrain, pretrain-from-packed, finetune, finetune-from-packed, pack-pretrained, pack, pack-average, evaluate)" >&2; exit 2 ;;
  esac
done
