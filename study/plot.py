#!/usr/bin/python3
"""Training curves of the study as PNG files in docs/results/ (Debian python3-matplotlib).
Reads study/dumped/study/<run>/train.jsonl and study/logs/baselines.json. Run from the repository root."""
import json
import os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

RUNS = "study/dumped/study"
OUT = "docs/results"
os.makedirs(OUT, exist_ok=True)


def load(run):
    path = f"{RUNS}/{run}/train.jsonl"
    if not os.path.exists(path):
        return None
    steps, losses, evals, last_step = [], [], {}, 0
    for line in open(path):
        r = json.loads(line)
        if r["type"] == "progress":
            steps.append(r["step"]); losses.append(r["loss"]); last_step = r["step"]
        elif r["type"] == "event" and r["kind"] == "epoch":
            # A run stopped inside an epoch and resumed evaluates that epoch again at its real end: keep the last.
            evals[r.get("epoch", len(evals))] = (last_step, r.get("scores", {}))
    return steps, losses, [evals[k] for k in sorted(evals)]


def smooth(xs, k=5):
    return [sum(xs[max(0, i - k + 1):i + 1]) / len(xs[max(0, i - k + 1):i + 1]) for i in range(len(xs))]


baselines = json.load(open("study/logs/baselines.json")) if os.path.exists("study/logs/baselines.json") else {}


def figure(name, panels):
    cols = 2 if len(panels) == 4 else len(panels)
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6 * cols, 4 * rows))
    axes = [axes] if len(panels) == 1 else list(getattr(axes, "flat", axes))
    for ax, (title, ylabel, series, hlines) in zip(axes, panels):
        for label, xs, ys, style in series:
            if xs:
                ax.plot(xs, ys, style, label=label)
        for label, y in hlines:
            ax.axhline(y, linestyle=":", color="grey")
            ax.annotate(label, (0, y), textcoords="offset points", xytext=(4, 4), fontsize=8, color="grey")
        ax.set_title(title); ax.set_xlabel("updates"); ax.set_ylabel(ylabel); ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout(); fig.savefig(f"{OUT}/{name}.png", dpi=110); plt.close(fig)


def evals_of(data, key):
    if not data:
        return [], []
    pts = [(s, sc[key]) for s, sc in data[2] if key in sc]
    return [p[0] for p in pts], [p[1] for p in pts]


# pretrain-long is the same run continued (its log starts with pretrain's 2,000 updates).
pre = load("pretrain-long") or load("pretrain")
if pre:
    figure("pretrain", [
        ("MASS pre-training loss", "cross-entropy (masked span)", [("train", pre[0], smooth(pre[1]), "-")], []),
        ("validation masked-span perplexity", "ppl", [(f"valid {l}", *evals_of(pre, f"valid_{l}-{l}_mass_ppl"), "o-") for l in ("en", "fr")], []),
    ])

sup = {r: load(r) for r in ("sup10k-scratch", "sup10k-mass", "sup50k-scratch", "sup50k-mass")}
figure("supervised", [
    ("supervised training loss", "cross-entropy", [(r, d[0], smooth(d[1]), "-") for r, d in sup.items() if d], []),
    ("valid BLEU en→fr (multi-bleu, tokenized)", "BLEU", [(r, *evals_of(d, "valid_en-fr_mt_bleu"), "o-") for r, d in sup.items() if d], []),
    ("valid BLEU fr→en (multi-bleu, tokenized)", "BLEU", [(r, *evals_of(d, "valid_fr-en_mt_bleu"), "o-") for r, d in sup.items() if d], []),
    ("valid perplexity en→fr (teacher forcing)", "ppl", [(r, *evals_of(d, "valid_en-fr_mt_ppl"), "o-") for r, d in sup.items() if d], []),
])

bts = {r: load(r) for r in ("unsup-bt", "unsup-bt-long")}
bts = {r: d for r, d in bts.items() if d}
if bts:
    figure("unsupervised", [
        ("back-translation loss", "cross-entropy", [(r, d[0], smooth(d[1]), "-") for r, d in bts.items()], []),
        ("valid BLEU (multi-bleu, tokenized)", "BLEU", [(f"{r} {d}", *evals_of(bt, f"valid_{d}_mt_bleu"), "o-") for r, bt in bts.items() for d in ("en-fr", "fr-en")],
         [("copy source (both directions)", baselines.get("copy_en-fr_bleu", 0))]),
        ("valid perplexity (teacher forcing)", "ppl", [(f"{r} {d}", *evals_of(bt, f"valid_{d}_mt_ppl"), "o-") for r, bt in bts.items() for d in ("en-fr", "fr-en")], []),
    ])

summ = {r: load(r) for r in ("summ-scratch", "summ-mass", "summ-mass-long")}
figure("summarization", [
    ("summarization training loss (label smoothing 0.1)", "loss", [(r, d[0], smooth(d[1]), "-") for r, d in summ.items() if d], []),
    ("valid ROUGE-L F (rouge-score, stemmed)", "ROUGE-L", [(r, *evals_of(d, "valid_summarization_rougeL"), "o-") for r, d in summ.items() if d],
     [("lead-10 words", baselines.get("lead10_rougeL", 0))]),
])
print(f"wrote {OUT}/*.png")
