#!/usr/bin/python3
"""PyTorch baseline for bench/decode.bench.ts: greedy and beam-search decoding with a key/value cache,
on the same weights (a safetensors file in MASS-unsupNMT state_dict names) and the same source
batches. Our own compact re-implementation of MASS-unsupNMT's TransformerModel in eval mode: post-LN
blocks, exact GELU, tied output embeddings, per-language cross-attention out_lin (attention_setting
v1), decoder fed one token per step with cached self-attention keys/values and cross-attention
keys/values projected once. Like the TypeScript side, `</s>` is banned until the last position so
every output has exactly max_len - 2 words (a fixed amount of work).

Usage: decode_torch.py SPEC.json: reads one JSON request per line on stdin, {"case": NAME}, runs that
case once and answers one JSON line {"ms", "cpuMs", "output"} (so the caller can interleave PyTorch
and wasm runs: both see the same machine load).
Run with Debian's python3-torch, LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread and
OPENBLAS_NUM_THREADS=1 (OpenBLAS, one thread).
"""
import json
import math
import struct
import sys
import time

import torch
import torch.nn.functional as F

EPS = 1e-12


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        assert info['dtype'] == 'F32', info['dtype']
        a, b = info['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).view(info['shape'])
    return out


class Model:
    def __init__(self, w, c):
        self.w, self.c = w, c
        self.h = c['n_heads']
        self.d = c['emb_dim']

    def lin(self, name, x):
        return F.linear(x, self.w[name + '.weight'], self.w[name + '.bias'])

    def ln(self, name, x):
        return F.layer_norm(x, (self.d,), self.w[name + '.weight'], self.w[name + '.bias'], EPS)

    def heads(self, x):  # (bs, n, d) -> (bs, h, n, dh)
        bs, n, _ = x.shape
        return x.view(bs, n, self.h, self.d // self.h).transpose(1, 2)

    def attend(self, q, k, v, bias, out_name):
        bs, _, ql, dh = q.shape
        s = torch.matmul(q / math.sqrt(dh), k.transpose(2, 3))
        if bias is not None:
            s = s + bias
        ctx = torch.matmul(torch.softmax(s, -1), v).transpose(1, 2).reshape(bs, ql, self.d)
        return self.lin(out_name, ctx)

    def embed(self, side, tokens, positions, lang):
        w = self.w
        x = w[side + '.embeddings.weight'][tokens] + w[side + '.position_embeddings.weight'][positions]
        x = x + w[side + '.lang_embeddings.weight'][lang]
        return self.ln(side + '.layer_norm_emb', x)

    def encode(self, tokens, lengths, lang):
        bs, n = tokens.shape
        mask = (torch.arange(n)[None, :] < lengths[:, None])
        bias = ((~mask).float() * -1e9)[:, None, None, :]
        x = self.embed('encoder', tokens, torch.arange(n)[None, :].expand(bs, n), lang) * mask[..., None]
        for i in range(self.c['n_layers']):
            p = 'encoder.attentions.%d' % i
            a = self.attend(self.heads(self.lin(p + '.q_lin', x)), self.heads(self.lin(p + '.k_lin', x)), self.heads(self.lin(p + '.v_lin', x)), bias, p + '.out_lin')
            x = self.ln('encoder.layer_norm1.%d' % i, x + a)
            f = self.lin('encoder.ffns.%d.lin2' % i, F.gelu(self.lin('encoder.ffns.%d.lin1' % i, x)))
            x = self.ln('encoder.layer_norm2.%d' % i, x + f) * mask[..., None]
        return x, bias

    def start(self, enc, lang):
        """Cross-attention keys/values of every decoder layer (XLM caches them at the first step)."""
        cross = []
        for i in range(self.c['n_dec_layers']):
            p = 'decoder.encoder_attn.%d' % i
            cross.append((self.heads(self.lin(p + '.k_lin', enc)), self.heads(self.lin(p + '.v_lin', enc))))
        return {'cross': cross, 'self': [None] * self.c['n_dec_layers'], 'lang': lang}

    def step(self, cache, tokens, pos, src_bias):
        """One token per row at position `pos` -> logits (rows, n_words); extends the cache."""
        rows = tokens.shape[0]
        lang = cache['lang']
        x = self.embed('decoder', tokens[:, None], torch.full((rows, 1), pos, dtype=torch.long), lang)
        for i in range(self.c['n_dec_layers']):
            p = 'decoder.attentions.%d' % i
            k, v = self.heads(self.lin(p + '.k_lin', x)), self.heads(self.lin(p + '.v_lin', x))
            if cache['self'][i] is not None:
                k = torch.cat([cache['self'][i][0], k], 2)
                v = torch.cat([cache['self'][i][1], v], 2)
            cache['self'][i] = (k, v)
            x = self.ln('decoder.layer_norm1.%d' % i, x + self.attend(self.heads(self.lin(p + '.q_lin', x)), k, v, None, p + '.out_lin'))
            c = 'decoder.encoder_attn.%d' % i
            ck, cv = cache['cross'][i]
            a = self.attend(self.heads(self.lin(c + '.q_lin', x)), ck, cv, src_bias, '%s.out_lin.%d' % (c, lang))
            x = self.ln('decoder.layer_norm15.%d' % i, x + a)
            f = self.lin('decoder.ffns.%d.lin2' % i, F.gelu(self.lin('decoder.ffns.%d.lin1' % i, x)))
            x = self.ln('decoder.layer_norm2.%d' % i, x + f)
        return F.linear(x[:, 0], self.w['decoder.embeddings.weight'], self.w['decoder.pred_layer.proj.bias'])

    def select(self, cache, idx):
        cache['self'] = [(k.index_select(0, idx), v.index_select(0, idx)) for k, v in cache['self']]

    def greedy(self, tokens, lengths, src_lang, tgt_lang, max_len, eos):
        bs = tokens.shape[0]
        enc, bias = self.encode(tokens, lengths, src_lang)
        cache = self.start(enc, tgt_lang)
        cur = torch.full((bs,), eos, dtype=torch.long)
        out = []
        for pos in range(max_len - 2):  # words 1 .. max_len - 2; the </s> at max_len - 1 is forced
            logits = self.step(cache, cur, pos, bias)
            logits[:, eos] = -float('inf')
            cur = logits.argmax(-1)
            out.append(cur)
        return torch.stack(out, 1)

    def beam(self, tokens, lengths, src_lang, tgt_lang, max_len, eos, k):
        bs = tokens.shape[0]
        enc, bias = self.encode(tokens, lengths, src_lang)
        # beams of a sentence share its encoder output: expand once, as XLM's generate_beam does
        enc = enc.repeat_interleave(k, 0)
        bias = bias.repeat_interleave(k, 0)
        cache = self.start(enc, tgt_lang)
        scores = torch.zeros(bs, k)
        scores[:, 1:] = -1e9
        scores = scores.view(-1)
        cur = torch.full((bs * k,), eos, dtype=torch.long)
        words = torch.zeros(bs * k, 0, dtype=torch.long)
        n = self.c['n_words']
        for pos in range(max_len - 1):
            logp = F.log_softmax(self.step(cache, cur, pos, bias), -1)
            if pos == max_len - 2:  # last position: every beam ends with </s>
                final = (scores + logp[:, eos]).view(bs, k) / (pos + 1)  # pos words + </s>
                best = final.argmax(1)
                return words.view(bs, k, -1)[torch.arange(bs), best]
            logp[:, eos] = -float('inf')
            cand = (scores[:, None] + logp).view(bs, k * n)
            top, idx = cand.topk(2 * k, 1)
            top, idx = top[:, :k], idx[:, :k]  # </s> is banned: the first k continue
            src = (idx // n) + torch.arange(bs)[:, None] * k
            src = src.view(-1)
            cur = (idx % n).view(-1)
            scores = top.reshape(-1)
            words = torch.cat([words.index_select(0, src), cur[:, None]], 1)
            self.select(cache, src)


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(1)
    c = spec['config']
    model = Model(read_safetensors(spec['weights']), c)
    cases = {}
    for case in spec['cases']:
        t = torch.tensor(case['tokens'], dtype=torch.long).view(case['bs'], case['len'])
        lengths = torch.tensor(case['lengths'], dtype=torch.long)
        if case['beam'] == 1:
            cases[case['name']] = (lambda t=t, lengths=lengths, case=case: model.greedy(t, lengths, case['srcLang'], case['tgtLang'], case['maxLen'], c['eos_index']))
        else:
            cases[case['name']] = (lambda t=t, lengths=lengths, case=case: model.beam(t, lengths, case['srcLang'], case['tgtLang'], case['maxLen'], c['eos_index'], case['beam']))
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    with torch.no_grad():
        for line in sys.stdin:
            req = json.loads(line)
            t0, c0 = time.perf_counter(), time.process_time()
            out = cases[req['case']]()
            ms, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            print(json.dumps({'ms': ms, 'cpuMs': cpu, 'output': out.tolist() if req.get('output') else None}), flush=True)


if __name__ == '__main__':
    main()
