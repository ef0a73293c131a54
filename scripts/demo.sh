#!/usr/bin/env bash
# What the tool does, on the bundled data, in a few minutes on 2 cores:
#  1. translate sample sentences with the bundled en↔fr model (models/en-fr, docs/model-card.md) and
#     score it on the sample's 300 held-out pairs;
#  2. the MASS story at laptop scale: preprocess the sample → a short MASS pre-training (en, fr) →
#     supervised fine-tuning en↔fr from it and, with the same updates, from scratch → both scores.
# Everything lands in dumped/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

mass() { node dist/cli.js "$@"; }
# sacreBLEU and chrF of a hypothesis file, one line each
score() { mass eval --ref "$1" --hyp "$2" --metric sacrebleu,chrf | grep -E '^(sacreBLEU|chrF)' | sed 's/^/    /'; }
CONFIG=data/sample/mass.config.json
OUT=dumped/demo
mkdir -p "$OUT"

echo "== build"
npm run -s build

if [ -f models/en-fr/translation.safetensors ]; then
  echo "== the bundled en↔fr model: sample sentences"
  head -n 5 data/sample/valid.en > "$OUT/sample.en"
  head -n 5 data/sample/valid.fr > "$OUT/sample.fr"
  mass translate --src en --tgt fr --beam 5 --quiet < "$OUT/sample.en" > "$OUT/sample.hyp.fr"
  mass translate --src fr --tgt en --beam 5 --quiet < "$OUT/sample.fr" > "$OUT/sample.hyp.en"
  paste -d '\n' "$OUT/sample.en" "$OUT/sample.hyp.fr" | sed 'n;s/^/    → /'
  paste -d '\n' "$OUT/sample.fr" "$OUT/sample.hyp.en" | sed 'n;s/^/    → /'
  echo "== the bundled model on the sample's 300 held-out pairs (beam 5)"
  mass translate --src en --tgt fr --beam 5 --quiet < data/sample/valid.en > "$OUT/bundled.hyp.fr"
  echo "en→fr:"; score data/sample/valid.fr "$OUT/bundled.hyp.fr"
  mass translate --src fr --tgt en --beam 5 --quiet < data/sample/valid.fr > "$OUT/bundled.hyp.en"
  echo "fr→en:"; score data/sample/valid.en "$OUT/bundled.hyp.en"
fi

echo "== preprocess the sample (Moses tokenization, BPE, dictionary, binarized data)"
mass preprocess --config "$CONFIG"

echo "== MASS pre-training on mono.en + mono.fr"
mass train --config "$CONFIG" --exp_name demo --exp_id pretrain --epoch_size 3000 --max_epoch 2 --log_every 20

# The same fine-tuning twice: from the pre-trained weights, and from scratch.
finetune() {
  mass train --config "$CONFIG" --exp_name demo --exp_id "$1" "${@:2}" --mass_steps '' --mt_steps 'en-fr,fr-en' \
    --optimizer 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=50' \
    --epoch_size 6000 --max_epoch 1 --log_every 20 --eval_bleu true
}
echo "== supervised fine-tuning en→fr and fr→en, from the pre-trained weights"
finetune finetune --reload_model "$OUT/pretrain/checkpoint.safetensors"
echo "== the same fine-tuning from scratch"
finetune scratch

echo "== en→fr on the 300 held-out pairs after minutes of training on 6,000 pairs (rough; docs/results.md"
echo "   says what longer runs reach):"
for run in finetune scratch; do
  mass translate --model "$OUT/$run/checkpoint.safetensors" --src en --tgt fr --beam 4 --no_repeat_ngram 3 --quiet < data/sample/valid.en > "$OUT/$run.hyp.fr"
  echo "$run:"; score data/sample/valid.fr "$OUT/$run.hyp.fr"
done
