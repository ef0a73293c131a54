"""Plots docs/results/en-fr-training.json: validation BLEU (fine-tuning) and masked-span perplexity
(pre-training) against training hours. Usage: plot.py IN.json OUT.png"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

data = json.load(open(sys.argv[1]))
fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
pre = data["phases"].get("pretrain", [])
fine = data["phases"].get("finetune", [])
# the fine-tuning started from the pre-training's checkpoint at this update; pre-training went on after
# it for the bundled pre-trained model (models/en-fr/pretrained.safetensors)
fork = data.get("finetuneFromPretrainUpdate", float("inf"))
start = max([p["hours"] for p in pre if p["update"] <= fork], default=0.0)
for key, label in [("valid_en-en_mass_ppl", "en masked span"), ("valid_fr-fr_mass_ppl", "fr masked span")]:
    pts = [(p["hours"], p["scores"][key]) for p in pre if key in p["scores"]]
    if pts:
        a.plot(*zip(*pts), marker="o", label=label)
a.set_yscale("log")
a.set_xlabel("training hours (2-core CPU)")
a.set_ylabel("validation perplexity")
if fork != float("inf"):
    a.axvline(start, color="grey", linestyle=":", label=f"fine-tuning started (update {fork})")
a.set_title("MASS pre-training")
a.legend()
for key, label in [("valid_en-fr_mt_sacrebleu", "en→fr"), ("valid_fr-en_mt_sacrebleu", "fr→en")]:
    pts = [(start + p["hours"], p["scores"][key]) for p in fine if key in p["scores"]]
    if pts:
        b.plot(*zip(*pts), marker="o", label=label)
b.axhline(5.9, color="grey", linestyle=":", label="copy the source (5.9)")
b.axhline(20, color="grey", linestyle="--", label="floor (20)")
b.set_xlabel("training hours since the start of pre-training")
b.set_ylabel("valid sacreBLEU (greedy, 1,040 pairs)")
b.set_title("supervised fine-tuning en↔fr")
b.legend()
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print(f"wrote {sys.argv[2]}")
