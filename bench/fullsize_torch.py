#!/usr/bin/python3
"""PyTorch side of bench/fullsize.bench.ts: the reference's own code (microsoft/MASS, MASS-unsupNMT/src:
TransformerModel, its generate and generate_beam) on a reference checkpoint (.pth), so latency, peak
memory and outputs compare with ours on the same weights.

  fullsize_torch.py MASS_DIR MODEL.pth SPEC.json THREADS  →  one JSON line on stdout

SPEC.json: {"srcLang": 0, "tgtLang": 1, "sentences": [[ids without </s>], ...], "rounds": N,
"warmup": 1, "cases": [{"name", "beam", "banEos"}]}. Each case translates each sentence (batch 1)
`rounds` times after `warmup` untimed runs; greedy is the reference's `generate`, beam its `generate_beam` (length_penalty 1,
early_stopping False: our translate defaults), max_len int(1.5 · len + 10) as its evaluator.
`banEos`: </s> scored -inf until the last position (its get_scores patched), as our --min_len, so a
greedy run decodes a fixed amount of work even on random weights (which end at once otherwise).
Also answers the encoder output of the first sentence (for a numeric check) and ru_maxrss.

Run with Debian's python3-torch without the slow-kernel overrides:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/fullsize_torch.py ...
"""
import json
import resource
import sys
import time
from argparse import Namespace

import torch


def patch_for_torch_1_13():
    # generate's final masked_fill_ passes a uint8 mask (PyTorch 1.0); newer torch wants bool.
    orig = torch.Tensor.masked_fill_

    def masked_fill_(self, mask, value):
        return orig(self, mask.bool() if mask.dtype == torch.uint8 else mask, value)

    torch.Tensor.masked_fill_ = masked_fill_


def main():
    mass_dir, pth, spec_path, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.set_num_threads(threads)
    sys.path.insert(0, mass_dir)
    patch_for_torch_1_13()
    from src.model.transformer import TransformerModel
    from src.data.dictionary import Dictionary

    spec = json.load(open(spec_path))
    t0 = time.time()
    data = torch.load(pth, map_location='cpu')
    params = Namespace(**data['params'])
    dico = Dictionary(data['dico_id2word'], data['dico_word2id'], data['dico_counts'])
    encoder = TransformerModel(params, dico, is_encoder=True, with_output=True).eval()
    decoder = TransformerModel(params, dico, is_encoder=False, with_output=True).eval()
    encoder.load_state_dict(data['encoder'])
    decoder.load_state_dict(data['decoder'])
    del data
    load_s = time.time() - t0

    eos = params.eos_index
    ban = {'on': False}
    get_scores = decoder.pred_layer.get_scores

    def scores_with_ban(x):
        s = get_scores(x)
        if ban['on']:
            s[:, eos] = -float('inf')
        return s

    decoder.pred_layer.get_scores = scores_with_ban

    def translate(ids, beam, ban_eos):
        x = torch.LongTensor([eos] + ids + [eos]).unsqueeze(1)
        lengths = torch.LongTensor([x.size(0)])
        langs = torch.zeros_like(x).fill_(spec['srcLang'])
        max_len = int(1.5 * lengths.max().item() + 10)
        enc = encoder('fwd', x=x, lengths=lengths, langs=langs, causal=False).transpose(0, 1)
        if ban_eos:
            # -inf for </s> until the last step, where generate itself appends it.
            ban['on'] = True
        try:
            if beam == 1:
                gen, _ = decoder.generate(enc, lengths, spec['tgtLang'], max_len=max_len)
            else:
                gen, _ = decoder.generate_beam(enc, lengths, spec['tgtLang'], beam_size=beam, length_penalty=1.0,
                                               early_stopping=False, max_len=max_len)
        finally:
            ban['on'] = False
        out = gen[1:, 0].tolist()
        return out[:out.index(eos)] if eos in out else out

    results = []
    first_enc = None
    with torch.no_grad():
        for case in spec['cases']:
            outputs, ms = [], []
            for ids in spec['sentences']:
                if first_enc is None:
                    x = torch.LongTensor([eos] + ids + [eos]).unsqueeze(1)
                    enc = encoder('fwd', x=x, lengths=torch.LongTensor([x.size(0)]),
                                  langs=torch.zeros_like(x).fill_(spec['srcLang']), causal=False).transpose(0, 1)
                    first_enc = enc[0].reshape(-1).tolist()
                for _ in range(spec.get('warmup', 1)):
                    translate(ids, case['beam'], case.get('banEos', False))
                times = []
                for _ in range(spec['rounds']):
                    t = time.perf_counter()
                    out = translate(ids, case['beam'], case.get('banEos', False))
                    times.append(1000 * (time.perf_counter() - t))
                outputs.append(out)
                ms.append(times)
            results.append({'name': case['name'], 'outputs': outputs, 'ms': ms})

    print(json.dumps({
        'torch': torch.__version__, 'threads': torch.get_num_threads(), 'loadSeconds': load_s,
        'maxRssKb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'results': results,
        'encoderOutput0': first_enc,
    }))


if __name__ == '__main__':
    main()
