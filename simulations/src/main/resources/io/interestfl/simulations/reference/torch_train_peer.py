"""The PyTorch peer of `./interestfl bench train`: the same three interest models, sizes, loss and optimizer
as interestfl's DL4J ones, one training step timed, and the per-customer DP-SGD step as Opacus computes it
(per-sample gradients in one batched pass with functorch's vmap, each clipped, summed, Gaussian noise added;
as in Opacus, the recurrent and attention layers are built from Linear layers for it: DPLSTM-style unrolled
cells and a Linear-layer attention, since vmap has no batching rule for the fused LSTM and GRU kernels).

Models (catalogue V, embedding E, hidden H, batch B, history length T), soft next-basket labels (5 items of
weight 1/5, as interestfl builds them), softmax cross-entropy over the whole catalogue, Adam 1e-3:
  lstm       Embedding(V, E) -> LSTM(E, H) -> last step -> Linear(H, V)
  gru        Embedding(V, E) -> GRU(E, H) -> last step -> Linear(H, V)
  attention  Embedding(V, E) + positions -> 2-head self-attention (projected) -> mean over steps -> Linear(H, V)
  sasrec     Embedding(V, E) + positions -> 2 pre-norm causal TransformerEncoderLayers (1 head, GELU feed-forward
             of width H, no dropout, as ours) -> LayerNorm -> Linear(E, V) at every position, the loss at every position

Run on Debian's python3-torch with OpenBLAS (libopenblas0-pthread), threads from OMP_NUM_THREADS (1); the script refuses any
other BLAS (the reference BLAS is 8x slower: a comparison with it is a defect, not a result):
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_train_peer.py MODEL V E H B T STEPS [dp]
Prints one JSON object."""
import json, os, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def blas_library():
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f
                       if "blas" in line.lower() and line.split()[-1].startswith("/")})


class Recurrent(nn.Module):
    def __init__(self, cell, v, e, h):
        super().__init__()
        self.emb = nn.Embedding(v, e)
        self.rnn = cell(e, h, batch_first=True)
        self.out = nn.Linear(h, v)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h[:, -1])


class Attention(nn.Module):
    def __init__(self, v, e, h, t):
        super().__init__()
        self.emb = nn.Embedding(v, e)
        self.pos = nn.Embedding(t, e)
        self.att = nn.MultiheadAttention(e, 2, batch_first=True, kdim=e, vdim=e)
        self.proj = nn.Linear(e, h, bias=False) if h != e else nn.Identity()
        self.out = nn.Linear(h, v)
        self.t = t

    def forward(self, x):
        z = self.emb(x) + self.pos(torch.arange(x.shape[1]))
        a, _ = self.att(z, z, z, need_weights=False)
        return self.out(self.proj(a).mean(1))


class Unrolled(nn.Module):
    """LSTM or GRU cell unrolled from Linear layers (Opacus's DPLSTM idea): vmap has batching rules for every op."""
    def __init__(self, kind, v, e, h):
        super().__init__()
        gates = 4 if kind == "lstm" else 3
        self.kind, self.h = kind, h
        self.emb = nn.Embedding(v, e)
        self.ih = nn.Linear(e, gates * h)
        self.hh = nn.Linear(h, gates * h, bias=False)
        self.out = nn.Linear(h, v)

    def forward(self, x):
        z = self.emb(x)
        state = torch.zeros(x.shape[0], self.h)
        cell = torch.zeros(x.shape[0], self.h)
        for step in range(x.shape[1]):
            gi, gh = self.ih(z[:, step]), self.hh(state)
            if self.kind == "lstm":
                i, f, g, o = (gi + gh).chunk(4, -1)
                cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)
                state = torch.sigmoid(o) * torch.tanh(cell)
            else:
                ir, iz, ic = gi.chunk(3, -1)
                hr, hz, hc = gh.chunk(3, -1)
                r, u = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
                state = u * state + (1 - u) * torch.tanh(ic + r * hc)
        return self.out(state)


class ManualAttention(nn.Module):
    """The attention model from Linear layers (Opacus's DPMultiheadAttention idea)."""
    def __init__(self, v, e, h, t, heads=2):
        super().__init__()
        self.emb = nn.Embedding(v, e)
        self.pos = nn.Embedding(t, e)
        self.qkv = nn.Linear(e, 3 * h, bias=False)
        self.o = nn.Linear(h, h, bias=False)
        self.out = nn.Linear(h, v)
        self.heads, self.h = heads, h

    def forward(self, x):
        z = self.emb(x) + self.pos(torch.arange(x.shape[1]))
        q, k, v = self.qkv(z).chunk(3, -1)
        split = lambda a: a.reshape(a.shape[0], a.shape[1], self.heads, -1).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        w = torch.softmax(q @ k.transpose(-1, -2) / (q.shape[-1] ** 0.5), -1)
        a = (w @ v).transpose(1, 2).reshape(x.shape[0], x.shape[1], self.h)
        return self.out(self.o(a).mean(1))


class Sasrec(nn.Module):
    """interestfl's "sasrec" network, on PyTorch's fused encoder layer."""
    def __init__(self, v, e, h, t, blocks=2):
        super().__init__()
        self.emb = nn.Embedding(v, e)
        self.pos = nn.Embedding(t, e)
        layer = lambda: nn.TransformerEncoderLayer(e, 1, h, dropout=0.0, activation="gelu", batch_first=True,
                                                   norm_first=True)
        self.blocks = nn.ModuleList([layer() for _ in range(blocks)])
        self.norm = nn.LayerNorm(e)
        self.out = nn.Linear(e, v)
        self.register_buffer("causal", torch.triu(torch.full((t, t), float("-inf")), diagonal=1))

    def forward(self, x):
        z = self.emb(x) + self.pos(torch.arange(x.shape[1]))
        for block in self.blocks:
            z = block(z, src_mask=self.causal)
        return self.out(self.norm(z))   # [B, T, V]: the next item at every position


def build_dp(kind, v, e, h, t):
    return ManualAttention(v, e, h, t) if kind == "attention" else Unrolled(kind, v, e, h)


def build(kind, v, e, h, t):
    if kind == "lstm":
        return Recurrent(nn.LSTM, v, e, h)
    if kind == "gru":
        return Recurrent(nn.GRU, v, e, h)
    if kind == "attention":
        return Attention(v, e, h, t)
    if kind == "sasrec":
        return Sasrec(v, e, h, t)
    raise SystemExit(f"unknown model {kind!r}: lstm, gru, attention or sasrec")


def soft_ce(logits, y):
    if logits.dim() == 3:   # sasrec: the same soft label at every position (the cost of a loss at each)
        y = y.unsqueeze(1)
    return -(y * F.log_softmax(logits, -1)).sum(-1).mean()


def timed(step, steps):
    for _ in range(5):
        step()
    best = float("inf")
    for _ in range(4):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - t0) / steps)
    return best * 1000


def dp_step_fn(model, opt, x, y, clip, noise):
    """One DP-SGD step over B customers of one example each: per-sample gradients by vmap, clipped, summed, noised."""
    from functorch import grad, make_functional_with_buffers, vmap
    fmodel, params, buffers = make_functional_with_buffers(model)

    def loss_one(p, b, xi, yi):
        return soft_ce(fmodel(p, b, xi.unsqueeze(0)), yi.unsqueeze(0))

    per_sample = vmap(grad(loss_one), in_dims=(None, None, 0, 0))
    gen = torch.Generator().manual_seed(1)

    def step():
        grads = per_sample(params, buffers, x, y)
        norms = torch.sqrt(sum(g.reshape(g.shape[0], -1).pow(2).sum(1) for g in grads))
        factor = (clip / (norms + 1e-6)).clamp(max=1.0)
        for p, g in zip(model.parameters(), grads):
            summed = torch.einsum("b,b...->...", factor, g)
            p.grad = (summed + torch.normal(0.0, noise * clip, summed.shape, generator=gen)) / x.shape[0]
        opt.step()
        # the functional copy reads the module's parameters: keep them in step
        for fp, p in zip(params, model.parameters()):
            fp.data = p.data
    return step


def main():
    args = sys.argv[1:]
    if len(args) not in (7, 8):
        raise SystemExit("usage: torch_train_peer.py MODEL V E H B T STEPS [dp]")
    kind = args[0]
    v, e, h, b, t, steps = (int(a) for a in args[1:7])
    dp = len(args) == 8 and args[7] == "dp"
    libs = blas_library()
    if not any("openblas" in lib for lib in libs):
        raise SystemExit("refusing to run the peer on " + (", ".join(libs) or "an unknown BLAS")
                         + ": install libopenblas0-pthread (update-alternatives must select OpenBLAS)")
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    torch.manual_seed(0)
    model = build(kind, v, e, h, t)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x = torch.randint(2, v, (b, t))
    y = torch.zeros(b, v)
    y.scatter_(1, torch.randint(2, v, (b, 5)), 0.2)

    def step():
        opt.zero_grad()
        soft_ce(model(x), y).backward()
        opt.step()

    out = {"model": kind, "torch": torch.__version__, "blas": libs, "threads": torch.get_num_threads(),
           "parameters": sum(p.numel() for p in model.parameters()), "msPerStep": timed(step, steps)}
    if dp and kind == "sasrec":
        out["dpError"] = "no per-sample DP peer for sasrec yet"
    elif dp:
        try:
            torch.manual_seed(0)
            dp_model = build_dp(kind, v, e, h, t)
            dp_opt = torch.optim.Adam(dp_model.parameters(), 1e-3)
            out["dpModel"] = type(dp_model).__name__
            out["dpMsPerStep"] = timed(dp_step_fn(dp_model, dp_opt, x, y, 1.0, 1.0), max(1, steps // 2))
        except Exception as ex:   # functorch has no batching rule for some fused kernels
            out["dpError"] = f"{type(ex).__name__}: {ex}"[:300]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
