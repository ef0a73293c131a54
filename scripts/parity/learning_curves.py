#!/usr/bin/python3
"""Learning-efficiency parity with the reference trainer (issue 13, item 1), end to end.

For each of MASS pre-training (mass_steps en,fr) and supervised MT (mt_steps en-fr,fr-en):
  1. one shared vocabulary and binarized data (`mass preprocess`) on a subset of data/corpora/en-fr;
  2. one initial model, built by the reference's TransformerModel (seeded) and written as our
     safetensors, so both sides start from the same weights;
  3. our trainer (`node dist/cli.js train --reload_model INIT`, workers 1) with MASS_DUMP_BATCHES: every
     update's exact batch (after masking) and every evaluation's scores go to a JSON-lines file;
  4. the reference (scripts/parity/reference_train.py: microsoft/MASS MASS-unsupNMT EncDecTrainer.mass_step /
     mt_step, its adam_inverse_sqrt optimizers and clip_grad_norm, fed the SAME batches in the same order,
     evaluated with its EncDecEvaluator at the same update counts);
  5. a JSON with both curves and the ratios, and a PNG plot.

Run through scripts/parity/learning-curves.sh (sets nice, one thread, and the torch environment).
Every size is a flag; the defaults are a small model that runs in minutes. The issue's full setting:
  --emb 256 --layers 3 --tokens-per-batch 4000 --lr 1e-3 --warmup 800 --updates 1600 --lines 0 --codes 10000
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPORA = os.path.join(REPO, "data", "corpora", "en-fr")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def subset(src_gz, out, lines):
    """First `lines` lines of a gzipped corpus as plain text (0 = all)."""
    if os.path.exists(out):
        return out
    with gzip.open(src_gz, "rt", encoding="utf-8") as f, open(out + ".tmp", "w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if lines and i >= lines:
                break
            g.write(line)
    os.replace(out + ".tmp", out)
    return out


def config(a, kind, data_path, exp_dir):
    c = {
        "lgs": "en-fr", "dump_path": exp_dir, "exp_name": "parity", "exp_id": kind, "seed": a.seed,
        "backend": "wasm", "workers": 1, "log_every": 50,
        "data_path": data_path,
        "corpora": {
            "mono": {"en": [os.path.join(a.work, "mono.en")], "fr": [os.path.join(a.work, "mono.fr")]},
            "para": {"en-fr": {"en": os.path.join(a.work, "train.en"), "fr": os.path.join(a.work, "train.fr")}},
            "valid": {"en-fr": {"en": os.path.join(CORPORA, "valid.en.gz"), "fr": os.path.join(CORPORA, "valid.fr.gz")}},
        },
        "bpe": {"codes": a.codes, "max_lines": a.bpe_lines},
        "max_len": a.max_len, "tokens_per_batch": a.tokens_per_batch,
        "emb_dim": a.emb, "n_layers": a.layers, "n_dec_layers": a.layers, "n_heads": a.heads,
        "dropout": a.dropout, "attention_dropout": a.dropout, "gelu_activation": True, "encoder_only": False,
        "word_mass": 0.5, "label_smoothing": 0,
        "optimizer": f"adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr={a.lr},warmup_updates={a.warmup}",
        "clip_grad_norm": 5,
        "epoch_size": a.eval_sentences, "max_epoch": 100000, "max_steps": a.updates,
        "eval_bleu": False, "validation_metrics": "",
    }
    if kind == "mass":
        c["mass_steps"] = "en,fr"
    else:
        c["mt_steps"] = "en-fr,fr-en"
    return c


def run(cmd, env=None, logfile=None):
    log(" ".join(cmd) + (f"  > {logfile}" if logfile else ""))
    with open(logfile, "w") if logfile else open(os.devnull, "w") as out:
        r = subprocess.run(cmd, cwd=REPO, env={**os.environ, **(env or {})}, stdout=out if logfile else None,
                           stderr=subprocess.STDOUT if logfile else None)
    if r.returncode != 0:
        if logfile:
            sys.stderr.write(open(logfile).read()[-4000:])
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}")


def read_dump(path):
    updates, evals = [], []
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            if "eval" in o:
                evals.append(o)
            else:
                updates.append({k: o[k] for k in ("update", "step", "loss", "lr", "gradNorm")})
    return updates, evals


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", default="/tmp/mass-parity-curves", help="scratch folder (data, checkpoints, batch dumps)")
    p.add_argument("--out", default=os.path.join(REPO, "docs", "results", "parity-training"),
                   help="output prefix: PREFIX.json and PREFIX.png")
    p.add_argument("--ref-src", default="/tmp/massref/MASS-unsupNMT", help="microsoft/MASS MASS-unsupNMT checkout (has src/)")
    p.add_argument("--steps", default="mass,mt", help="which comparisons: mass, mt or both")
    p.add_argument("--emb", type=int, default=128)
    p.add_argument("--layers", type=int, default=2, help="encoder and decoder layers each")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--dropout", type=float, default=0.1, help="dropout and attention_dropout")
    p.add_argument("--tokens-per-batch", type=int, default=1200)
    p.add_argument("--max-len", type=int, default=100)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=150)
    p.add_argument("--updates", type=int, default=600, help="updates per comparison (all directions together)")
    p.add_argument("--eval-sentences", type=int, default=4000,
                   help="epoch_size: training sentences between evaluations (both sides evaluate at the same updates)")
    p.add_argument("--lines", type=int, default=60000, help="training lines taken from each corpus file (0: all)")
    p.add_argument("--codes", type=int, default=3000, help="BPE merges")
    p.add_argument("--bpe-lines", type=int, default=60000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tolerance", type=float, default=0.10, help="allowed |ours/ref - 1| after warm-up")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    if not os.path.exists(os.path.join(REPO, "dist", "cli.js")):
        sys.exit("dist/cli.js missing: run npm run build")

    for name, lines in (("mono.en", a.lines), ("mono.fr", a.lines), ("train.en", a.lines), ("train.fr", a.lines)):
        subset(os.path.join(CORPORA, name + ".gz"), os.path.join(a.work, name), lines)
    data_path = os.path.join(a.work, "data")
    exp_dir = os.path.join(a.work, "dumped")
    results = {"settings": vars(a).copy(), "comparisons": {}}
    results["settings"].pop("work")
    results["settings"].pop("out")
    results["settings"].pop("ref_src")

    base = config(a, "mass", data_path, exp_dir)
    base_path = os.path.join(a.work, "preprocess.json")
    json.dump(base, open(base_path, "w"), indent=1)
    run(["nice", "-n", "10", "node", "dist/cli.js", "preprocess", "--config", base_path], logfile=os.path.join(a.work, "preprocess.log"))

    py = [sys.executable, os.path.join(HERE, "reference_train.py"), "--ref-src", a.ref_src, "--data_path", data_path]
    init = os.path.join(a.work, "init.safetensors")
    run(["nice", "-n", "10"] + py + ["--make-init", init, "--config", base_path], logfile=os.path.join(a.work, "init.log"))

    for kind in [k for k in a.steps.split(",") if k]:
        cfg = config(a, kind, data_path, exp_dir)
        cfg_path = os.path.join(a.work, f"{kind}.json")
        json.dump(cfg, open(cfg_path, "w"), indent=1)
        dump = os.path.join(a.work, f"{kind}.batches.jsonl")
        if os.path.exists(dump):
            os.remove(dump)
        t0 = time.time()
        run(["nice", "-n", "10", "node", "dist/cli.js", "train", "--config", cfg_path, "--reload_model", init],
            env={"MASS_DUMP_BATCHES": dump}, logfile=os.path.join(a.work, f"{kind}.ours.log"))
        ours_s = time.time() - t0
        ref_json = os.path.join(a.work, f"{kind}.reference.json")
        t0 = time.time()
        run(["nice", "-n", "10"] + py + ["--config", cfg_path, "--init", init, "--batches", dump, "--out", ref_json],
            logfile=os.path.join(a.work, f"{kind}.reference.log"))
        ref_s = time.time() - t0
        updates, evals = read_dump(dump)
        ref = json.load(open(ref_json))
        metrics = ["valid_en-en_mass_ppl", "valid_fr-fr_mass_ppl"] if kind == "mass" else ["valid_en-fr_mt_ppl", "valid_fr-en_mt_ppl"]
        points = []
        for e, r in zip(evals, ref["evals"]):
            assert e["eval"] == r["update"], (e["eval"], r["update"])
            pt = {"update": e["eval"], "after_warmup": e["eval"] >= a.warmup}
            for m in metrics:
                pt[m] = {"ours": e["scores"][m], "reference": r["scores"][m], "ratio": e["scores"][m] / r["scores"][m]}
            points.append(pt)
        after = [pt[m]["ratio"] for pt in points if pt["after_warmup"] for m in metrics]
        worst = max(after, key=lambda r: abs(r - 1)) if after else None
        results["comparisons"][kind] = {
            "metrics": metrics, "points": points,
            "worst_ratio_after_warmup": worst,
            "within_tolerance": worst is not None and abs(worst - 1) <= a.tolerance,
            "train_loss": {"ours": [[u["update"], u["step"], u["loss"]] for u in updates],
                           "reference": ref["losses"]},
            "wall_seconds": {"ours": round(ours_s), "reference": round(ref_s)},
        }
        log(f"{kind}: worst ours/reference ratio after warm-up {worst}")
        for pt in points:
            log("  update %5d  " % pt["update"] + "  ".join(f"{m} ours {pt[m]['ours']:.1f} ref {pt[m]['reference']:.1f} ({pt[m]['ratio']:.3f})" for m in metrics))
    json.dump(results, open(a.out + ".json", "w"), indent=1)
    log(f"wrote {a.out}.json")
    subprocess.run([sys.executable, os.path.join(HERE, "plot_curves.py"), a.out + ".json", a.out + ".png"], check=True)
    ok = all(c["within_tolerance"] for c in results["comparisons"].values())
    log("PASS: ours within %.0f%% of the reference at every point after warm-up" % (100 * a.tolerance) if ok else "FAIL: outside tolerance")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
