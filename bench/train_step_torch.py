#!/usr/bin/python3
"""PyTorch baseline for bench/train.bench.ts: the same MASS encoder-decoder (our own compact
re-implementation of MASS-unsupNMT's TransformerModel: post-LN blocks, exact GELU, tied output
embeddings, per-language cross-attention out_lin, prediction only at masked positions) trained with
Adam on the very batch the TypeScript bench uses, one thread.

Usage: train_step_torch.py BATCH.json  ->  prints one JSON object (wall and CPU ms per step, peak RSS).
Run with Debian's python3-torch; set LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread and
OPENBLAS_NUM_THREADS=1 to use OpenBLAS instead of the reference BLAS.
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class MHA(nn.Module):
    def __init__(self, dim, heads, n_out=1):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.out = nn.ModuleList([nn.Linear(dim, dim) for _ in range(n_out)])

    def forward(self, x, kv, bias, p, lang=0):
        bs, ql, d = x.shape
        kl = kv.shape[1]
        dh = d // self.h
        q = self.q(x).view(bs, ql, self.h, dh).transpose(1, 2) / math.sqrt(dh)
        k = self.k(kv).view(bs, kl, self.h, dh).transpose(1, 2)
        v = self.v(kv).view(bs, kl, self.h, dh).transpose(1, 2)
        w = F.dropout(torch.softmax(q @ k.transpose(2, 3) + bias, -1), p, self.training)
        return self.out[lang]((w @ v).transpose(1, 2).reshape(bs, ql, d))


class Side(nn.Module):
    def __init__(self, c, decoder):
        super().__init__()
        d, L = c['emb_dim'], (c['n_dec_layers'] if decoder else c['n_layers'])
        self.c, self.decoder = c, decoder
        self.pos = nn.Embedding(c['n_max_positions'], d)
        self.lang = nn.Embedding(c['n_langs'], d)
        self.emb = nn.Embedding(c['n_words'], d, padding_idx=c['pad_index'])
        self.ln_emb = nn.LayerNorm(d, eps=1e-12)
        self.att = nn.ModuleList([MHA(d, c['n_heads']) for _ in range(L)])
        self.ln1 = nn.ModuleList([nn.LayerNorm(d, eps=1e-12) for _ in range(L)])
        self.ffn1 = nn.ModuleList([nn.Linear(d, c['hidden_dim']) for _ in range(L)])
        self.ffn2 = nn.ModuleList([nn.Linear(c['hidden_dim'], d) for _ in range(L)])
        self.ln2 = nn.ModuleList([nn.LayerNorm(d, eps=1e-12) for _ in range(L)])
        if decoder:
            self.ln15 = nn.ModuleList([nn.LayerNorm(d, eps=1e-12) for _ in range(L)])
            self.cross = nn.ModuleList([MHA(d, c['n_heads'], c['n_langs']) for _ in range(L)])
        self.proj_bias = nn.Parameter(torch.zeros(c['n_words']))
        for e in (self.pos, self.lang, self.emb):
            nn.init.normal_(e.weight, 0, d ** -0.5)
        with torch.no_grad():
            self.emb.weight[c['pad_index']].zero_()

    def forward(self, x, lengths, langs, positions, src=None, src_bias=None):
        bs, n = x.shape
        p = self.c['dropout']
        mask = (torch.arange(n)[None, :] < lengths[:, None]).float().unsqueeze(-1)
        if self.decoder:
            bias = torch.triu(torch.full((n, n), -1e9), 1)[None, None]
        else:
            bias = ((mask.squeeze(-1) - 1) * 1e9)[:, None, None, :]
        h = self.emb(x) + self.pos(positions) + self.lang(langs)
        h = F.dropout(self.ln_emb(h), p, self.training) * mask
        lang = int(langs.max())
        for i in range(len(self.att)):
            h = self.ln1[i](h + F.dropout(self.att[i](h, h, bias, self.c['attention_dropout']), p, self.training))
            if self.decoder:
                a = self.cross[i](h, src, src_bias, self.c['attention_dropout'], lang)
                h = self.ln15[i](h + F.dropout(a, p, self.training))
            f = self.ffn2[i](F.gelu(self.ffn1[i](h)))
            h = self.ln2[i](h + F.dropout(f, p, self.training)) * mask
        return h


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(1)
    torch.manual_seed(0)
    c, b = spec['config'], spec['batch']
    bs, sl, tl = b['bs'], b['srcLen'], b['tgtLen']
    t = lambda k, shape: torch.tensor(b[k], dtype=torch.long).view(*shape)
    src, src_len, src_langs = t('src', (bs, sl)), torch.tensor(b['srcLengths']), t('srcLangs', (bs, sl))
    tgt, tgt_len, tgt_langs, tgt_pos = t('tgtIn', (bs, tl)), torch.tensor(b['tgtLengths']), t('tgtLangs', (bs, tl)), t('tgtPositions', (bs, tl))
    enc_mask = torch.tensor(b['encMask'], dtype=torch.bool).view(bs, sl)
    pred = torch.tensor(b['predMask'], dtype=torch.bool).view(bs, tl)
    y = t('targets', (bs, tl))[pred]
    visible = (torch.arange(sl)[None, :] < src_len[:, None]) & enc_mask
    src_bias = ((visible.float() - 1) * 1e9)[:, None, None, :]
    enc, dec = Side(c, False), Side(c, True)
    enc.train()
    dec.train()
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=1e-4, betas=(0.9, 0.98), eps=1e-8)
    times, cpu_times = [], []
    for step in range(spec['warmup'] + spec['steps']):
        t0 = time.perf_counter()
        c0 = time.process_time()
        e = enc(src, src_len, src_langs, torch.arange(sl)[None, :].expand(bs, sl))
        d = dec(tgt, tgt_len, tgt_langs, tgt_pos, e, src_bias)
        logits = F.linear(d[pred], dec.emb.weight, dec.proj_bias)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(enc.parameters(), 5)
        torch.nn.utils.clip_grad_norm_(dec.parameters(), 5)
        opt.step()
        if step >= spec['warmup']:
            times.append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.process_time() - c0) * 1000)
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'params': sum(p.numel() for p in params),
        'ms_per_step': times,
        'cpu_ms_per_step': cpu_times,
        'last_loss': float(loss),
        'peak_rss_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == '__main__':
    main()
