#!/usr/bin/env bash
# Scores the bundled en↔fr model on text that is not in the repository: the synopses of Debian's
# current packages and their French translations (DDTP), fetched from the archive by apt, minus every
# pair with a side anywhere in data/corpora (recipes/en-fr/heldout.mjs). Needs Debian's apt (and lz4)
# and network access to the archive. From the repository root: bash recipes/en-fr/heldout.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
mass() { node dist/cli.js "$@"; }
W=recipes/en-fr/logs/heldout
mkdir -p "$W"
lists=/var/lib/apt/lists
for L in fr en; do
  # Debian's container images turn translations off (Acquire::Languages "none"): ask for one language at a time
  apt-get -o "Acquire::Languages=$L" -o Dir::Etc::parts=/dev/null update > "$W/apt-$L.log" 2>&1
  f=$(ls "$lists"/*_debian_dists_*_main_i18n_Translation-$L* | grep -v -- '-updates_\|-security_' | head -n 1)
  case "$f" in
    *.lz4) lz4 -dc "$f" > "$W/Translation-$L" ;;
    *.xz) xz -dc "$f" > "$W/Translation-$L" ;;
    *.gz) gzip -dc "$f" > "$W/Translation-$L" ;;
    *) cp "$f" "$W/Translation-$L" ;;
  esac
done
node recipes/en-fr/heldout.mjs "$W/Translation-en" "$W/Translation-fr" "$W"
for pair in en:fr fr:en; do
  s=${pair%:*} t=${pair#*:}
  mass translate --model models/en-fr/translation.safetensors --src "$s" --tgt "$t" --beam 5 --quiet < "$W/heldout.$s" > "$W/heldout.hyp.$s-$t"
  echo "$s→$t, the bundled model (beam 5):"
  mass eval --ref "$W/heldout.$t" --hyp "$W/heldout.hyp.$s-$t" --metric sacrebleu,chrf | grep -E '^(sacreBLEU|chrF)'
  echo "$s→$t, the source copied unchanged (the floor):"
  mass eval --ref "$W/heldout.$t" --hyp "$W/heldout.$s" --metric sacrebleu,chrf | grep -E '^(sacreBLEU|chrF)'
done
