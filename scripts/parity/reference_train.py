#!/usr/bin/python3
"""The reference side of the learning-curve comparison (scripts/parity/learning_curves.py).

Runs microsoft/MASS MASS-unsupNMT's own code -- TransformerModel, EncDecTrainer.mass_step / mt_step and
optimize() (two adam_inverse_sqrt optimizers, encoder and decoder, clip_grad_norm per module),
EncDecEvaluator.evaluate_mass / evaluate_mt -- on CPU under Python 3.11 and Debian's python3-torch 1.13,
patched at run time only (nothing in their tree is edited):
  * `.cuda()` on tensors and modules, and `to_cuda`, return their argument (CPU);
  * `inspect.getargspec` (removed in Python 3.11) maps to `inspect.getfullargspec`;
  * `apex` (imported at module level for fp16, unused here) is a stub module.
Data: our binarized files (*.mbin) and vocabulary, read here. Batches: the exact batches our trainer used,
update by update (MASS_DUMP_BATCHES), injected through the trainer's `get_batch` and
`restricted_mask_sent`, so the reference computes the loss, backward, clipping and Adam itself.

  reference_train.py --ref-src DIR --data_path DATA --config CFG --make-init OUT.safetensors
  reference_train.py --ref-src DIR --data_path DATA --config CFG --init INIT --batches DUMP --out OUT.json

Run with: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 /usr/bin/python3 ...
"""
import argparse
import inspect
import json
import os
import struct
import sys
import time
import types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # scripts/: convert_checkpoint.write_safetensors / read_safetensors


def patch_reference(ref_src):
    """Imports the reference with its CUDA-only and Python<3.11 calls patched; returns its modules."""
    if not os.path.isdir(os.path.join(ref_src, "src")):
        sys.exit(f"{ref_src}: no src/ (copy microsoft/MASS MASS-unsupNMT there)")
    if not hasattr(inspect, "getargspec"):
        inspect.getargspec = inspect.getfullargspec
    apex = types.ModuleType("apex")
    fp16_utils = types.ModuleType("apex.fp16_utils")
    fp16_utils.FP16_Optimizer = None
    apex.fp16_utils = fp16_utils
    sys.modules.setdefault("apex", apex)
    sys.modules.setdefault("apex.fp16_utils", fp16_utils)
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self
    sys.path.insert(0, ref_src)
    import src.utils as utils
    utils.to_cuda = lambda *args: [None if x is None else x for x in args]
    import src.trainer as trainer
    import src.evaluation.evaluator as evaluator
    trainer.to_cuda = utils.to_cuda
    evaluator.to_cuda = utils.to_cuda
    import train as train_py
    from src.model.transformer import TransformerModel
    from src.data.dictionary import Dictionary, BOS_WORD, EOS_WORD, PAD_WORD, UNK_WORD, MASK_WORD
    from src.model import check_model_params
    return types.SimpleNamespace(trainer=trainer, evaluator=evaluator, train=train_py, TransformerModel=TransformerModel,
                                 Dictionary=Dictionary, check_model_params=check_model_params,
                                 words=(BOS_WORD, EOS_WORD, PAD_WORD, UNK_WORD, MASK_WORD))


def read_mbin(path):
    """Our binarized format: 'MASSBIN\\x01', u32 header length, JSON header, u32 offsets[n+1], tokens."""
    with open(path, "rb") as f:
        buf = f.read()
    assert buf[:8] == b"MASSBIN\x01", path
    hlen = struct.unpack_from("<I", buf, 8)[0]
    header = json.loads(buf[12:12 + hlen].decode().rstrip())
    n = header["nSentences"]
    at = 12 + hlen
    offsets = np.frombuffer(buf, dtype=np.uint32, count=n + 1, offset=at)
    at += 4 * (n + 1)
    tokens = np.frombuffer(buf, dtype=np.uint16 if header["dtype"] == "uint16" else np.int32, count=int(offsets[-1]), offset=at)
    return [tokens[offsets[i]:offsets[i + 1]].astype(np.int64) for i in range(n)]


def build_params(ref, cfg, dico):
    """The reference's argparse defaults (train.py get_parser) with our config's values."""
    argv = ["--exp_name", "parity", "--dump_path", "/tmp/mass-parity-ref-dump", "--lgs", cfg["lgs"],
            "--emb_dim", str(cfg["emb_dim"]), "--n_layers", str(cfg["n_layers"]), "--n_dec_layers", str(cfg["n_dec_layers"]),
            "--n_heads", str(cfg["n_heads"]), "--dropout", str(cfg["dropout"]), "--attention_dropout", str(cfg["attention_dropout"]),
            "--gelu_activation", "true", "--encoder_only", "false", "--optimizer", cfg["optimizer"],
            "--clip_grad_norm", str(cfg.get("clip_grad_norm", 5)), "--word_mass", str(cfg.get("word_mass", 0.5)),
            "--tokens_per_batch", str(cfg["tokens_per_batch"]), "--max_len", str(cfg["max_len"]),
            "--lambda_mass", "1", "--lambda_mt", "1"]
    params = ref.train.get_parser().parse_args(argv)
    ref.check_model_params(params)
    langs = cfg["lgs"].split("-")
    params.langs = langs
    params.id2lang = dict(enumerate(langs))
    params.lang2id = {l: i for i, l in enumerate(langs)}
    params.n_langs = len(langs)
    params.mass_steps = [s for s in cfg.get("mass_steps", "").split(",") if s]
    params.mt_steps = [tuple(s.split("-")) for s in cfg.get("mt_steps", "").split(",") if s]
    for k in ("clm_steps", "mlm_steps", "pc_steps", "ae_steps", "bt_steps", "bmt_steps"):
        setattr(params, k, [])
    bos, eos, pad, unk, mask = ref.words
    params.n_words = len(dico)
    params.bos_index, params.eos_index, params.pad_index = dico.index(bos), dico.index(eos), dico.index(pad)
    params.unk_index, params.mask_index = dico.index(unk), dico.index(mask)
    params.is_master, params.multi_gpu, params.local_rank, params.fp16 = True, False, 0, False
    return params


def build_models(ref, params, dico, init=None):
    enc = ref.TransformerModel(params, dico, is_encoder=True, with_output=True)
    dec = ref.TransformerModel(params, dico, is_encoder=False, with_output=True)
    if init:
        from convert_checkpoint import read_safetensors
        tensors, _ = read_safetensors(init)
        for side, m in (("encoder", enc), ("decoder", dec)):
            sd = {k[len(side) + 1:]: v for k, v in tensors.items() if k.startswith(side + ".")}
            m.load_state_dict(sd)  # strict: every name and shape must match
    return enc, dec


def write_state(enc, dec, path):
    from convert_checkpoint import write_safetensors
    tensors = {f"encoder.{k}": v for k, v in enc.state_dict().items()}
    tensors.update({f"decoder.{k}": v for k, v in dec.state_dict().items()})
    write_safetensors(path, tensors, {})


def sentence_batches(sents, tokens_per_batch, pad, eos):
    """Valid batches as the reference lays them out: (slen, bs), `</s> w.. </s>`, padded; sorted by length."""
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
    batch, cur = [], 0
    for i in order + [None]:
        if i is None or (batch and (len(batch) + 1) * (len(sents[i]) + 2) > tokens_per_batch):
            if batch:
                yield batch
            batch = []
            if i is None:
                break
        batch.append(i)


def to_tensor(sents, ids, pad, eos):
    lengths = torch.LongTensor([len(sents[i]) + 2 for i in ids])
    x = torch.LongTensor(int(lengths.max()), len(ids)).fill_(pad)
    for j, i in enumerate(ids):
        x[0, j] = eos
        x[1:len(sents[i]) + 1, j] = torch.from_numpy(sents[i])
        x[len(sents[i]) + 1, j] = eos
    return x, lengths


def make_evaluator(ref, params, enc, dec, dico, data_path, max_len):
    """EncDecEvaluator without its file-writing constructor, iterating over our valid files."""
    keep = lambda s: [x for x in s if len(x) > 0 and (max_len <= 0 or len(x) <= max_len)]
    mono = {l: keep(read_mbin(os.path.join(data_path, f"valid.{l}.mbin"))) for l in params.langs if os.path.exists(os.path.join(data_path, f"valid.{l}.mbin"))}
    l1, l2 = params.langs
    para = None
    if os.path.exists(os.path.join(data_path, f"valid.{l1}-{l2}.{l1}.mbin")):
        a, b = read_mbin(os.path.join(data_path, f"valid.{l1}-{l2}.{l1}.mbin")), read_mbin(os.path.join(data_path, f"valid.{l1}-{l2}.{l2}.mbin"))
        pairs = [(x, y) for x, y in zip(a, b) if len(x) and len(y) and (max_len <= 0 or (len(x) <= max_len and len(y) <= max_len))]
        para = ([x for x, _ in pairs], [y for _, y in pairs])
    ev = object.__new__(ref.evaluator.EncDecEvaluator)
    ev.params, ev.encoder, ev.decoder, ev.dico, ev.data = params, enc, dec, dico, None
    pad, eos, tpb = params.pad_index, params.eos_index, params.tokens_per_batch

    def get_iterator(data_set, lang1, lang2=None, stream=False):
        if lang2 is None:
            s = mono[lang1]
            for ids in sentence_batches(s, tpb, pad, eos):
                yield to_tensor(s, ids, pad, eos)
        else:
            s1, s2 = para if lang1 == l1 else (para[1], para[0])
            for ids in sentence_batches([np.zeros(max(len(s1[i]), len(s2[i]))) for i in range(len(s1))], tpb, pad, eos):
                yield to_tensor(s1, ids, pad, eos), to_tensor(s2, ids, pad, eos)

    ev.get_iterator = get_iterator
    return ev


def time_major(b, name, length):
    return torch.LongTensor(b[name]).view(b["bs"], length).t().contiguous()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ref-src", required=True)
    p.add_argument("--data_path", required=True)
    p.add_argument("--config", required=True, help="our training config (JSON)")
    p.add_argument("--make-init", help="write the initial model (reference init, seeded) as safetensors and exit")
    p.add_argument("--init")
    p.add_argument("--batches", help="MASS_DUMP_BATCHES file of our run")
    p.add_argument("--out")
    a = p.parse_args()
    torch.set_num_threads(1)
    ref = patch_reference(a.ref_src)
    cfg = json.load(open(a.config))
    dico = ref.Dictionary.read_vocab(os.path.join(a.data_path, "vocab"))
    params = build_params(ref, cfg, dico)
    torch.manual_seed(cfg.get("seed", 0))
    np.random.seed(cfg.get("seed", 0))
    if a.make_init:
        enc, dec = build_models(ref, params, dico)
        write_state(enc, dec, a.make_init)
        n = sum(p.numel() for p in enc.parameters()) + sum(p.numel() for p in dec.parameters())
        print(f"{a.make_init}: reference TransformerModel init, {n} parameters, {len(dico)} words")
        return
    enc, dec = build_models(ref, params, dico, a.init)
    data = {"dico": dico, "mono": {}, "mono_stream": {}, "para": {tuple(params.langs): {}}}
    trainer = ref.trainer.EncDecTrainer(enc, dec, data, params)
    evaluator = make_evaluator(ref, params, enc, dec, dico, a.data_path, cfg["max_len"])
    cur = {}
    trainer.get_batch = lambda *args, **kw: cur["batch"]
    trainer.restricted_mask_sent = lambda x, l, span_len=100000: cur["masked"]
    losses, evals, t0 = [], [], time.time()
    n_updates = 0
    with open(a.batches) as f:
        for line in f:
            o = json.loads(line)
            if "eval" in o:
                assert o["eval"] == n_updates, (o["eval"], n_updates)
                scores = {}
                with torch.no_grad():
                    for lang in params.mass_steps:
                        evaluator.evaluate_mass(scores, "valid", lang)
                    for l1, l2 in params.mt_steps:
                        evaluator.evaluate_mt(scores, "valid", l1, l2, False)
                evals.append({"update": n_updates, "scores": scores})
                print(f"update {n_updates} ({time.time() - t0:.0f}s): " + " ".join(f"{k} {v:.2f}" for k, v in scores.items()), flush=True)
                continue
            assert len(o["batches"]) == 1, "accumulate_gradients > 1 is not replayed"
            b = o["batches"][0]
            step = o["step"]
            x1, len1 = time_major(b, "src", b["srcLen"]), torch.LongTensor(b["srcLengths"])
            x2, len2 = time_major(b, "tgtIn", b["tgtLen"]), torch.LongTensor(b["tgtLengths"])
            if step.startswith("MA-"):
                lang = step[3:]
                pred_mask = time_major(b, "predMask", b["tgtLen"]).bool()
                y = time_major(b, "targets", b["tgtLen"]).masked_select(pred_mask)
                positions = time_major(b, "tgtPositions", b["tgtLen"])
                cur["batch"] = (None, None)
                cur["masked"] = (x1, len1, x2, len2, y, pred_mask, positions)
                trainer.mass_step(lang, 1.0)
            elif step.startswith("MT-"):
                l1, l2 = step[3:].split("-")
                cur["batch"] = ((x1, len1), (x2, len2))
                trainer.mt_step(l1, l2, 1.0)
            else:
                sys.exit(f"step {step} is not replayed")
            n_updates += 1
            assert n_updates == o["update"], (n_updates, o["update"])
            loss = trainer.stats[step][-1]
            losses.append([n_updates, step, loss])
            if n_updates % 50 == 0:
                lr = trainer.optimizers["encoder"].param_groups[0]["lr"]
                print(f"update {n_updates} {step} loss {loss:.4f} (ours {o['loss']:.4f}) lr {lr:.3e} ({time.time() - t0:.0f}s)", flush=True)
    json.dump({"losses": losses, "evals": evals}, open(a.out, "w"))


if __name__ == "__main__":
    main()
