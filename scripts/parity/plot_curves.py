#!/usr/bin/python3
"""Plots learning_curves.py's JSON: validation perplexity vs updates, ours vs the reference."""
import json
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

res = json.load(open(sys.argv[1]))
comps = res["comparisons"]
fig, axes = plt.subplots(1, len(comps), figsize=(6 * len(comps), 4.5), squeeze=False)
s = res["settings"]
for ax, (kind, c) in zip(axes[0], comps.items()):
    xs = [p["update"] for p in c["points"]]
    for m, color in zip(c["metrics"], ("tab:blue", "tab:orange")):
        label = m.replace("valid_", "").replace("_ppl", "")
        ax.plot(xs, [p[m]["reference"] for p in c["points"]], "o--", color=color, label=f"{label} reference")
        ax.plot(xs, [p[m]["ours"] for p in c["points"]], "s-", color=color, label=f"{label} ours", alpha=0.8)
    ax.axvline(s["warmup"], color="grey", lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("updates")
    ax.set_ylabel("validation perplexity")
    w = c["worst_ratio_after_warmup"]
    ax.set_title(f"{'MASS pre-training' if kind == 'mass' else 'supervised MT'}: worst ours/ref after warm-up {w:.3f}" if w else kind)
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
fig.suptitle(f"ours vs microsoft/MASS, same data/init/batches: emb {s['emb']}, {s['layers']}+{s['layers']} layers, "
             f"tokens_per_batch {s['tokens_per_batch']}, lr {s['lr']} warm-up {s['warmup']}, dropout {s['dropout']}", fontsize=9)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=100)
print(f"wrote {sys.argv[2]}")
