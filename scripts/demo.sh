#!/usr/bin/env bash
# What the tool does, on the bundled data, in a few minutes on 2 cores:
#  1. translate sample sentences with the bundled en↔fr model (models/en-fr, docs/model-card.md) and
#     score it on the sample's 300 held-out pairs;
#  2. the MASS story at laptop scale: 60 updates of supervised fine-tuning on the sample's pairs from the
#     bundled MASS pre-trained model and, with the same updates, from scratch → both scores.
# Everything lands in dumped/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

mass() { node dist/cli.js "$@"; }
# sacreBLEU and chrF of a hypothesis file, one line each
score() { mass eval --ref "$1" --hyp "$2" --metric sacrebleu,chrf | grep -E '^(sacreBLEU|chrF)' | sed 's/^/    /'; }
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

# The MASS story at laptop scale: the same brief fine-tuning on the sample's 6,000 pairs twice, from the
# bundled MASS pre-trained model (models/en-fr/pretrained.safetensors, trained on monolingual text only)
# and from scratch. data/sample/finetune.mass.json says reload_model "bundled:pretrained", so the
# data is split with that model's BPE codes and vocabulary, and both runs have the same architecture.
FT=data/sample/finetune.mass.json
# one fine-tuning, its log kept in dumped/demo/RUN.log; a failure stops the demo with the log's end
finetune() {
  if ! mass train --config "$FT" --exp_id "$@" > "$OUT/$1.log" 2>&1; then
    tail -n 20 "$OUT/$1.log" >&2
    exit 1
  fi
  grep -E '^training (finished|stopped)' "$OUT/$1.log"
}
if [ -f models/en-fr/pretrained.safetensors ]; then
  echo "== preprocess the sample's pairs with the pre-trained model's BPE codes and vocabulary"
  mass preprocess --config "$FT" 2>&1 | tail -n 5
  echo "== 60 updates of supervised fine-tuning (en→fr and fr→en), from the bundled MASS pre-trained model"
  finetune from-pretrained
  echo "== the same 60 updates from scratch (same data, architecture and settings)"
  finetune from-scratch --reload_model ''
  echo "== the 300 held-out pairs after 60 updates (greedy; sacreBLEU and perplexity):"
  node -e '
    const fs = require("fs");
    const last = (id) => fs.readFileSync(`dumped/demo/${id}/train.jsonl`, "utf8").trim().split("\n").map(JSON.parse).filter((e) => e.kind === "finished").pop().scores;
    const row = (name, s) => console.log(name.padEnd(18) + [s["valid_en-fr_mt_sacrebleu"], s["valid_fr-en_mt_sacrebleu"]].map((v) => v.toFixed(2).padStart(12)).join("") + [s["valid_en-fr_mt_ppl"], s["valid_fr-en_mt_ppl"]].map((v) => v.toFixed(0).padStart(12)).join(""));
    console.log("".padEnd(18) + ["BLEU en→fr", "BLEU fr→en", "ppl en→fr", "ppl fr→en"].map((h) => h.padStart(12)).join(""));
    row("from pre-trained", last("from-pretrained"));
    row("from scratch", last("from-scratch"));'
fi
