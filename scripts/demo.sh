#!/usr/bin/env bash
# The whole story on the bundled sample (data/sample, real Debian text), in a few minutes on 2 cores:
# preprocess → short MASS pre-training (en, fr) → short supervised fine-tuning (en↔fr) →
# translate a few sentences → BLEU on the held-out set. Everything lands in dumped/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

mass() { node dist/cli.js "$@"; }
CONFIG=data/sample/mass.config.json
OUT=dumped/demo

echo "== build"
npm run -s build

echo "== preprocess (Moses tokenization, BPE, dictionary, binarized data)"
mass preprocess --config "$CONFIG"

echo "== MASS pre-training on mono.en + mono.fr"
mass train --config "$CONFIG" --exp_name demo --exp_id pretrain --epoch_size 3000 --max_epoch 2 --log_every 20

echo "== supervised fine-tuning en→fr and fr→en, starting from the pre-trained weights"
mass train --config "$CONFIG" --exp_name demo --exp_id finetune \
  --reload_model "$OUT/pretrain/checkpoint.safetensors" --mass_steps '' --mt_steps 'en-fr,fr-en' \
  --optimizer 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=50' \
  --epoch_size 6000 --max_epoch 1 --log_every 20 --eval_bleu true

echo "== translating sample sentences (en → fr)"
head -n 5 data/sample/valid.en > "$OUT/sample.en"
mass translate --model "$OUT/finetune/checkpoint.safetensors" --src en --tgt fr --beam 4 --no_repeat_ngram 3 < "$OUT/sample.en" > "$OUT/sample.fr"
paste -d '\n' "$OUT/sample.en" "$OUT/sample.fr" | sed 'n;s/^/    → /'

echo "== BLEU on the 300 held-out pairs (en → fr); a model trained for minutes on 6,000 pairs is rough:"
echo "   see docs/results.md for what longer runs reach"
mass translate --model "$OUT/finetune/checkpoint.safetensors" --src en --tgt fr --beam 4 --no_repeat_ngram 3 < data/sample/valid.en > "$OUT/valid.hyp.fr"
mass eval --ref data/sample/valid.fr --hyp "$OUT/valid.hyp.fr" --metric sacrebleu,chrf
