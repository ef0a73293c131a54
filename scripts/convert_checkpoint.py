#!/usr/bin/python3
"""Converts MASS checkpoints between the reference (microsoft/MASS, MASS-unsupNMT: torch.save of
{'encoder', 'decoder', 'dico_id2word', 'dico_word2id', 'dico_counts', 'params'}) and this tool's
safetensors files (reference state_dict names under 'encoder.' / 'decoder.', metadata with the model
config, the vocabulary and the BPE codes).

  convert_checkpoint.py to-safetensors REFERENCE.pth CODES OUT.safetensors
  convert_checkpoint.py to-reference MODEL.safetensors OUT.pth

Needs PyTorch (Debian: python3-torch). Parameter names and shapes are the same on both sides, so the
conversion copies tensors and translates the metadata; nothing is re-initialised.
"""
import json
import struct
import sys
from datetime import datetime, timezone

import numpy as np
import torch

FORMAT = "mass-vscode-checkpoint/1"
SPECIALS = 14  # <s> </s> <pad> <unk> <special0..9>
MODEL_KEYS = ["emb_dim", "n_heads", "n_layers", "n_dec_layers", "n_words", "n_langs", "bos_index", "eos_index", "pad_index",
              "unk_index", "mask_index", "dropout", "attention_dropout", "gelu_activation", "attention_setting", "share_inout_emb"]


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().float().numpy())
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    h = json.dumps(header).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        if e["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {e['dtype']}, expected F32")
        a, b = e["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np.float32).reshape(e["shape"]).copy())
    return tensors, meta


def to_safetensors(src, codes_path, out):
    ck = torch.load(src, map_location="cpu")
    for k in ("encoder", "decoder", "dico_id2word", "dico_counts", "params"):
        if k not in ck:
            sys.exit(f"{src}: not a MASS-unsupNMT checkpoint (no '{k}'; it has {sorted(ck)})")
    p = ck["params"] if isinstance(ck["params"], dict) else vars(ck["params"])
    tensors = {}
    for side in ("encoder", "decoder"):
        for k, v in ck[side].items():
            tensors[f"{side}.{k[7:] if k.startswith('module.') else k}"] = v
    id2word, counts = ck["dico_id2word"], ck["dico_counts"]
    vocab = "".join(f"{id2word[i]} {counts.get(id2word[i], 0)}\n" for i in range(SPECIALS, len(id2word)))
    model = {k: p[k] for k in MODEL_KEYS if k in p}
    model["hidden_dim"] = 4 * p["emb_dim"]
    model["n_max_positions"] = tensors["encoder.position_embeddings.weight"].shape[0]
    model["id2lang"] = {str(k): v for k, v in p["id2lang"].items()}
    langs = [p["id2lang"][i] for i in range(p["n_langs"])]
    steps = [s for s in ("mass_steps", "bt_steps", "mt_steps") if p.get(s)]
    meta = {"kind": "converted", "experiment": str(p.get("exp_name", "reference")), "model": model,
            "settings": {k: v for k, v in p.items() if isinstance(v, (int, float, str, bool))}, "langs": langs,
            "tasks": [{"mass_steps": "mass", "bt_steps": "bt", "mt_steps": "mt"}[s] for s in steps],
            "epoch": int(p.get("epoch", 0) or 0), "updates": 0, "scores": {}, "savedAt": datetime.now(timezone.utc).isoformat()}
    with open(codes_path, encoding="utf-8") as f:
        codes = f.read()
    write_safetensors(out, tensors, {"format": FORMAT, "meta": json.dumps(meta), "vocab": vocab, "codes": codes})
    print(f"{out}: {len(tensors)} tensors, {len(id2word)} words, languages {'-'.join(langs)}")


def to_reference(src, out):
    tensors, md = read_safetensors(src)
    if md.get("format") != FORMAT:
        sys.exit(f"{src}: not written by mass (no '{FORMAT}' metadata)")
    meta = json.loads(md["meta"])
    words = ["<s>", "</s>", "<pad>", "<unk>"] + [f"<special{i}>" for i in range(10)]
    counts = {w: 0 for w in words}
    for line in md["vocab"].splitlines():
        w, c = line.split(" ")
        words.append(w)
        counts[w] = int(c)
    params = dict(meta["settings"])
    params.update(meta["model"])
    params["id2lang"] = {int(k): v for k, v in meta["model"]["id2lang"].items()}
    params["lang2id"] = {v: k for k, v in params["id2lang"].items()}
    data = {side: {k[len(side) + 1:]: v for k, v in tensors.items() if k.startswith(side + ".")} for side in ("encoder", "decoder")}
    data.update({"dico_id2word": dict(enumerate(words)), "dico_word2id": {w: i for i, w in enumerate(words)}, "dico_counts": counts, "params": params})
    torch.save(data, out)
    print(f"{out}: encoder {len(data['encoder'])} / decoder {len(data['decoder'])} tensors, {len(words)} words")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "to-safetensors":
        to_safetensors(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "to-reference":
        to_reference(*sys.argv[2:])
    else:
        sys.exit(__doc__)
