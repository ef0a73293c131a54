#!/usr/bin/env bash
# Low resource (issue 13): 10,000 of the 320k en-fr training pairs — every 32nd line — fine-tuned from
# the bundled MASS pre-trained model (models/en-fr/pretrained.safetensors, which saw monolingual text
# only) and, with the same data, architecture, settings and number of updates, from scratch. Both
# score the 1,040 held-out pairs (greedy sacreBLEU) every ~250 updates; the table goes to
# docs/results/low-resource.json. From the repository root:
#   bash recipes/en-fr/low-resource.sh data      # the 10k pairs, split with the pre-trained model's BPE
#   bash recipes/en-fr/low-resource.sh train     # both runs side by side, one thread each (resumable)
#   bash recipes/en-fr/low-resource.sh table     # their validation scores → docs/results/low-resource.json
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
run() { # run EXP_ID [flags]: resume it if it has a checkpoint, else start it
  local id=$1
  shift
  if [ -f "$D/$id/checkpoint.safetensors" ]; then
    mass train --reload_checkpoint "$D/$id/checkpoint.safetensors" "${steps[@]}"
  else
    mass train --config "$CONFIG" --exp_id "$id" "$@" "${steps[@]}"
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
      run pretrained > "$R/logs/low-resource-pretrained.log" 2>&1 &
      a=$!
      run scratch --reload_model '' > "$R/logs/low-resource-scratch.log" 2>&1 &
      b=$!
      trap 'kill -TERM $a $b 2>/dev/null; wait' INT TERM
      wait $a $b ;;
    table)
      node -e '
        const fs = require("fs");
        const runs = {};
        for (const id of ["pretrained", "scratch"]) {
          const recs = fs.readFileSync(`'"$D"'/${id}/train.jsonl`, "utf8").trim().split("\n").map(JSON.parse);
          let step = 0;
          runs[id] = [];
          for (const r of recs) {
            if (r.type === "progress") step = r.step;
            if (r.type === "event" && r.kind === "epoch")
              runs[id].push({ update: step, enfr: r.scores["valid_en-fr_mt_sacrebleu"], fren: r.scores["valid_fr-en_mt_sacrebleu"], pplEnFr: r.scores["valid_en-fr_mt_ppl"], pplFrEn: r.scores["valid_fr-en_mt_ppl"] });
          }
        }
        const out = { note: "recipes/en-fr/low-resource.sh: 10,000 pairs (every 32nd of train), greedy sacreBLEU on the 1,040 valid pairs", runs };
        fs.writeFileSync("docs/results/low-resource.json", JSON.stringify(out, null, 2) + "\n");
        console.log("update   from pre-trained en→fr / fr→en   from scratch en→fr / fr→en   gain");
        runs.pretrained.forEach((p, i) => { const s = runs.scratch[i]; if (!s) return;
          console.log(`${String(p.update).padStart(6)}   ${p.enfr.toFixed(2).padStart(8)} / ${p.fren.toFixed(2).padEnd(8)}         ${s.enfr.toFixed(2).padStart(8)} / ${s.fren.toFixed(2).padEnd(8)}     ${(p.enfr - s.enfr).toFixed(2)} / ${(p.fren - s.fren).toFixed(2)}`); });' ;;
    *) echo "unknown phase '$phase' (data, train, table)" >&2; exit 2 ;;
  esac
done
