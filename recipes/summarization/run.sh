#!/usr/bin/env bash
# Summarization (issue 13, item 5): Debian package descriptions → their one-line synopsis
# (data/corpora/summarization: 67k training records, 670 held out), fine-tuned from the bundled MASS
# pre-trained model (models/en-fr/pretrained.safetensors; its BPE codes and vocabulary). From the
# repository root, one command per phase:
#   bash recipes/summarization/run.sh preprocess  # the records split with the pre-trained model's subwords
#   bash recipes/summarization/run.sh train       # resumable: stop with Ctrl-C / SIGTERM, run again to continue
#   bash recipes/summarization/run.sh pack        # the best validation ROUGE-L → models/en/summarization.safetensors
#   bash recipes/summarization/run.sh evaluate    # ROUGE of the packed model (beam 4) and of the lead-10 baseline
# The packed model ships only if it beats the lead baseline (valid ROUGE-L 26.0: the article's first 10 words).
set -euo pipefail
cd "$(dirname "$0")/../.."
mass() { node dist/cli.js "$@"; }
R=recipes/summarization
D=$R/dumped/summarization/finetune
mkdir -p "$R/logs"

for phase in "$@"; do
  case "$phase" in
    preprocess) mass preprocess --config "$R/summarization.json" ;;
    train)
      if [ -f "$D/checkpoint.safetensors" ]; then
        mass train --reload_checkpoint "$D/checkpoint.safetensors" 2>&1 | tee -a "$R/logs/train.log"
      else
        mass train --config "$R/summarization.json" 2>&1 | tee -a "$R/logs/train.log"
      fi ;;
    pack)
      mkdir -p models/en
      mass pack "$D/best-valid_summarization_rougeL.safetensors" --out models/en/summarization.safetensors --note "recipes/summarization (docs/model-card.md)" ;;
    evaluate)
      zcat data/corpora/summarization/valid.jsonl.gz | node -e '
        const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
        const fs = require("fs");
        fs.writeFileSync(process.argv[1] + "/valid.article", lines.map((r) => r.article.replace(/\s+/g, " ")).join("\n") + "\n");
        fs.writeFileSync(process.argv[1] + "/valid.summary", lines.map((r) => r.summary.replace(/\s+/g, " ")).join("\n") + "\n");
        fs.writeFileSync(process.argv[1] + "/valid.lead10", lines.map((r) => r.article.split(/\s+/).slice(0, 10).join(" ")).join("\n") + "\n");' "$R/logs"
      echo "lead-10:"; mass eval --ref "$R/logs/valid.summary" --hyp "$R/logs/valid.lead10" --metric rouge
      if [ -f models/en/summarization.safetensors ]; then
        mass summarize --model models/en/summarization.safetensors --beam 4 --quiet < "$R/logs/valid.article" > "$R/logs/valid.hyp"
        echo "model:"; mass eval --ref "$R/logs/valid.summary" --hyp "$R/logs/valid.hyp" --metric rouge
      fi ;;
    *) echo "unknown phase '$phase' (preprocess, train, pack, evaluate)" >&2; exit 2 ;;
  esac
done
