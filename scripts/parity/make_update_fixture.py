#!/usr/bin/python3
"""Generates test/fixtures/mass-parity/update.json: one training update of the reference on the parity
fixture's batches, for test/parity/update.parity.test.ts.

For each scenario and each case of cases.json, the reference models are built with the fixture's config
and weights.safetensors, `EncDecTrainer.mass_step` runs ONE update on the case's batch (injected through
get_batch / restricted_mask_sent, as scripts/parity/reference_train.py does), with the reference's own
optimize(): zero_grad, backward, clip_grad_norm_ per module (encoder, decoder), and the two
AdamInverseSqrtWithWarmup optimizers. Recorded per parameter (named_parameters, so the tied
pred_layer.proj.weight appears once, as embeddings.weight): the gradient before clipping, Adam's
exp_avg / exp_avg_sq after the update, and the parameter change (after - before); plus loss, per-module
gradient norms and the learning rate used.

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 /usr/bin/python3 \
      scripts/parity/make_update_fixture.py --ref-src /tmp/massref/MASS-unsupNMT
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(REPO, "test", "fixtures", "mass-parity")
sys.path.insert(0, HERE)
import reference_train as rt  # noqa: E402

SCENARIOS = [
    # The MASS README's optimizer: the first update runs at warmup_init_lr = 1e-7.
    {"name": "warmup_from_1e-7", "optimizer": "adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0001,warmup_updates=4000", "clip_grad_norm": 5},
    # Same schedule code with a first-update rate large enough that float32 parameters move measurably
    # (at 1e-7 the change is about one float32 ulp of the weights), and a clip threshold that clips.
    {"name": "large_first_step_clipped", "optimizer": "adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=10,warmup_init_lr=0.001", "clip_grad_norm": 1},
]


def adam_step_torch10(self, closure=None):
    """torch.optim.Adam.step of PyTorch 1.0 (what MASS-unsupNMT was written for; its README: PyTorch 0.4 and
    1.0), amsgrad and weight decay off as the reference uses it. PyTorch >= 1.5 adds eps after bias-correcting
    sqrt(v) instead (denom = sqrt(v)/sqrt(1-b2^t) + eps), which changes the step of every element whose
    gradient is below ~1e-6 (half the tensors of this fixture differ by more than 1e-3 on the first update)."""
    import math
    loss = closure() if closure is not None else None
    for group in self.param_groups:
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = p.grad.data
            state = self.state[p]
            if len(state) == 0:
                state["step"] = 0
                state["exp_avg"] = torch.zeros_like(p.data)
                state["exp_avg_sq"] = torch.zeros_like(p.data)
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            beta1, beta2 = group["betas"]
            state["step"] += 1
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = exp_avg_sq.sqrt().add_(group["eps"])
            bias_correction1 = 1 - beta1 ** state["step"]
            bias_correction2 = 1 - beta2 ** state["step"]
            step_size = group["lr"] * math.sqrt(bias_correction2) / bias_correction1
            p.data.addcdiv_(exp_avg, denom, value=-step_size)
    return loss


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ref-src", default="/tmp/massref/MASS-unsupNMT")
    p.add_argument("--out", default=os.path.join(FIXTURE, "update.safetensors.gz"))
    p.add_argument("--case", default="mass_step_literal", help="which case of cases.json (its batch)")
    a = p.parse_args()
    torch.set_num_threads(1)
    ref = rt.patch_reference(a.ref_src)
    torch.optim.Adam.step = adam_step_torch10
    cases = json.load(open(os.path.join(FIXTURE, "cases.json")))
    c = cases["config"]
    n_special = 14
    with tempfile.NamedTemporaryFile("w", suffix=".vocab", delete=False) as f:
        for i in range(c["n_words"] - n_special):
            f.write(f"w{i} {1000 - i}\n")
    dico = ref.Dictionary.read_vocab(f.name)
    os.unlink(f.name)
    assert len(dico) == c["n_words"]
    out = {"generated_by": "scripts/parity/make_update_fixture.py", "reference": cases["reference"], "torch": torch.__version__,
           "scenarios": []}
    grads_seen, tensors = {}, {}
    orig_clip = ref.trainer.clip_grad_norm_

    def recording_clip(parameters, max_norm):
        parameters = list(parameters)
        grads_seen["norms"].append(float(orig_clip(parameters, max_norm)))
        return grads_seen["norms"][-1]

    for sc in SCENARIOS:
        cfg = {"lgs": "en-fr", "emb_dim": c["emb_dim"], "n_layers": c["n_layers"], "n_dec_layers": c["n_dec_layers"],
               "n_heads": c["n_heads"], "dropout": 0, "attention_dropout": 0, "optimizer": sc["optimizer"],
               "clip_grad_norm": sc["clip_grad_norm"], "word_mass": c["word_mass"], "tokens_per_batch": -1, "max_len": 100,
               "mass_steps": "en,fr"}
        for case in [k for k in cases["cases"] if k["name"] == a.case]:
            params = rt.build_params(ref, cfg, dico)  # fresh: the trainer rewrites params.lambda_* in place
            assert params.mask_index == c["mask_index"] and params.pad_index == c["pad_index"]
            enc, dec = rt.build_models(ref, params, dico, os.path.join(FIXTURE, "weights.safetensors"))
            data = {"dico": dico, "mono": {}, "mono_stream": {}, "para": {("en", "fr"): {}}}
            trainer = ref.trainer.EncDecTrainer(enc, dec, data, params)
            x = case["inputs"]
            T = lambda rows: torch.LongTensor(rows).t().contiguous()
            pred_mask = torch.BoolTensor(x["pred_mask"]).t().contiguous()
            masked = (T(x["src_tokens"]), torch.LongTensor(x["src_lengths"]), T(x["tgt_tokens"]), torch.LongTensor(x["tgt_lengths"]),
                      torch.LongTensor(x["y"]), pred_mask, T(x["tgt_positions"]))
            trainer.get_batch = lambda *args, **kw: (None, None)
            trainer.restricted_mask_sent = lambda *args, **kw: masked
            named = [(f"encoder.{n}", q) for n, q in enc.named_parameters()] + [(f"decoder.{n}", q) for n, q in dec.named_parameters()]
            before = {n: q.detach().clone() for n, q in named}
            lr = trainer.optimizers["encoder"].param_groups[0]["lr"]
            raw = {}
            for n, q in named:  # capture the gradient before clipping
                q.register_hook(lambda g, n=n: raw.__setitem__(n, g.detach().clone()))
            grads_seen["norms"] = []
            ref.trainer.clip_grad_norm_ = recording_clip
            try:
                trainer.mass_step(case["lang"], 1.0)
            finally:
                ref.trainer.clip_grad_norm_ = orig_clip
            loss = trainer.stats["MA-%s" % case["lang"]][-1]
            assert abs(loss - case["expected"]["loss"]) < 1e-6, (loss, case["expected"]["loss"])
            names = []
            for n, q in named:
                if n not in raw:
                    continue  # no gradient reached it (e.g. the other language's out_lin): the optimizer leaves it alone
                names.append(n)
                st = trainer.optimizers[n.split(".")[0]].state[q]
                if "grad." + n in tensors:
                    assert torch.equal(tensors["grad." + n], raw[n])  # same weights and batch: same gradient
                else:
                    tensors["grad." + n] = raw[n]
                # exp_avg / exp_avg_sq after the first update are (1-b1)*g' and (1-b2)*g'^2 of the clipped gradient
                # g' = g * min(1, clip / (norm + 1e-6)): checked here, so the test derives them from grad + norms.
                s_ = min(1.0, sc["clip_grad_norm"] / (grads_seen["norms"][0 if n.startswith("encoder.") else 1] + 1e-6))
                assert torch.allclose(st["exp_avg"], 0.1 * s_ * raw[n], rtol=1e-5, atol=1e-12), n
                if sc["name"] == SCENARIOS[-1]["name"]:
                    tensors[f"delta.{n}"] = q.detach() - before[n]
            out["scenarios"].append({"name": sc["name"], "case": case["name"], "optimizer": sc["optimizer"],
                                     "clip_grad_norm": sc["clip_grad_norm"], "lr": lr, "loss": loss,
                                     "grad_norm": {"encoder": grads_seen["norms"][0], "decoder": grads_seen["norms"][1]},
                                     "params": names, "delta_stored": sc["name"] == SCENARIOS[-1]["name"]})
            print(f"{sc['name']} {case['name']}: loss {loss:.6f} lr {lr:g} grad norms {grads_seen['norms']} tensors {len(names)}")
    from convert_checkpoint import write_safetensors
    raw_path = a.out[:-3] if a.out.endswith(".gz") else a.out
    write_safetensors(raw_path, tensors, {"update": json.dumps(out)})
    if a.out.endswith(".gz"):
        import gzip
        import shutil
        with open(raw_path, "rb") as f, gzip.GzipFile(a.out, "wb", mtime=0) as g:
            shutil.copyfileobj(f, g)
        os.unlink(raw_path)
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes)")


if __name__ == "__main__":
    main()
