"""An independent SASRec (Kang & McAuley, ICDM 2018) in PyTorch: the measuring stick that
`./interestfl bench reference` runs beside interestfl's own models on the same split and metric.

Model: item and learned position embeddings (item table shared with the output), `blocks` pre-LN
transformer blocks of causal self-attention and a point-wise feed-forward network with dropout and
layer norm, trained with the next-item loss at every position. The loss is the full-catalogue
softmax cross-entropy, which beats SASRec's original one-negative binary loss by a wide margin
(Klenitskiy & Vasilev, RecSys 2023) - the peer is run at its best. Epochs are chosen on validation
(NDCG@10 of each customer's second-last basket, patience 10), as are the width (64 or 128) and the
number of blocks (2 or 3); the chosen model is scored once on the test baskets.

Input (written by the Java side), one customer per line:
    customer id | train baskets (items space-separated, baskets ';'-separated) | validation basket | test basket
(validation empty for a customer with one training basket, test empty for one without a test case; the
test history is the training baskets followed by the validation basket)
The first line is `catalogue C`: item ids are in [2, C) (0 is padding, 1 out-of-vocabulary).
Ranking: every id in [2, C) by score, ties to the lower id; history items are not excluded;
NDCG@10 with binary relevance and IDCG over min(|basket|, 10) - interestfl's RankingEvaluator.

Needs Debian's python3-torch on OpenBLAS (libopenblas0-pthread), run with one BLAS thread:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 sasrec_reference.py split.txt [--json]
Prints one JSON object as its last line."""
import json, math, sys, time

import torch
import torch.nn as nn


def blas_library():
    """The BLAS shared library this process mapped after a matrix product (the reference BLAS is 8x slower)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() and line.split()[-1].startswith("/")}
    return sorted(libs)


def read_split(path):
    users = []
    with open(path) as f:
        header = f.readline().split()
        if len(header) != 2 or header[0] != "catalogue":
            raise SystemExit(f"{path}: first line must be 'catalogue C', got {' '.join(header)!r}")
        catalogue = int(header[1])
        for n, line in enumerate(f, start=2):
            parts = line.rstrip("\n").split("|")
            if len(parts) != 4:
                raise SystemExit(f"{path}:{n}: expected 'customer|train|validation|test', got {len(parts)} fields")
            train = [[int(i) for i in b.split()] for b in parts[1].split(";") if b.strip()]
            users.append((int(parts[0]), train, [int(i) for i in parts[2].split()], [int(i) for i in parts[3].split()]))
    return catalogue, users


class SasRec(nn.Module):
    def __init__(self, catalogue, maxlen, hidden, blocks, heads, dropout):
        super().__init__()
        self.item = nn.Embedding(catalogue, hidden, padding_idx=0)
        self.pos = nn.Embedding(maxlen, hidden)
        self.drop = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(hidden, heads, hidden, dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, blocks)
        self.norm = nn.LayerNorm(hidden)
        self.register_buffer("causal", torch.triu(torch.ones(maxlen, maxlen, dtype=torch.bool), 1))
        nn.init.normal_(self.item.weight, std=hidden ** -0.5)

    def forward(self, seq):
        t = seq.shape[1]
        z = self.item(seq) * math.sqrt(self.item.embedding_dim) + self.pos(torch.arange(t))
        z = self.drop(z) * (seq > 0).unsqueeze(-1)
        h = self.encoder(z, mask=self.causal[:t, :t])
        return self.norm(h)

    def logits(self, h):
        return h @ self.item.weight.T


def left_pad(seqs, maxlen):
    out = torch.zeros(len(seqs), maxlen, dtype=torch.long)
    for r, s in enumerate(seqs):
        s = s[-maxlen:]
        if s:
            out[r, maxlen - len(s):] = torch.tensor(s)
    return out


def training_rows(users, maxlen):
    """Every customer's flattened training sequence as (input, next-item target) rows of length maxlen."""
    inputs, targets = [], []
    for _, train, _, _ in users:
        flat = [i for b in train for i in b]
        if len(flat) < 2:
            continue
        for end in range(len(flat), 1, -maxlen):   # long sequences: consecutive windows, newest first
            window = flat[max(0, end - maxlen - 1):end]
            inputs.append(window[:-1])
            targets.append(window[1:])
    return left_pad(inputs, maxlen), left_pad(targets, maxlen)


def ranked(model, histories, baskets, catalogue, maxlen, k=10):
    """Per case: NDCG@k, hit@k and the reciprocal rank of the best-ranked target."""
    model.eval()
    cases = []
    with torch.no_grad():
        for start in range(0, len(histories), 256):
            seq = left_pad(histories[start:start + 256], maxlen)
            scores = model.logits(model(seq)[:, -1, :])
            scores[:, :2] = -float("inf")
            for r, basket in enumerate(baskets[start:start + 256]):
                s = scores[r]
                # rank of each target: higher scores, plus equal scores at lower ids
                ids = torch.arange(catalogue)
                dcg, best = 0.0, catalogue
                for t in set(basket):
                    rank = int((s > s[t]).sum()) + int(((s == s[t]) & (ids < t)).sum()) + 1
                    best = min(best, rank)
                    if rank <= k:
                        dcg += 1.0 / math.log2(rank + 1)
                idcg = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(set(basket)), k) + 1))
                cases.append((dcg / idcg if idcg else 0.0, 1.0 if best <= k else 0.0, 1.0 / best))
    return cases


def ndcg(model, histories, baskets, catalogue, maxlen):
    cases = ranked(model, histories, baskets, catalogue, maxlen)
    return sum(c[0] for c in cases) / max(len(cases), 1)


def fit(users, catalogue, maxlen, hidden, blocks, heads, dropout, lr, batch, max_epochs, patience, seed):
    torch.manual_seed(seed)
    model = SasRec(catalogue, maxlen, hidden, blocks, heads, dropout)
    opt = torch.optim.Adam(model.parameters(), lr, betas=(0.9, 0.98))
    x, y = training_rows(users, maxlen)
    val_hist = [[i for b in tr for i in b] for _, tr, v, _ in users if v]
    val_basket = [v for _, _, v, _ in users if v]
    best, best_epoch, best_state, epoch = -1.0, 0, None, 0
    lossf = nn.CrossEntropyLoss(ignore_index=0)
    for epoch in range(1, max_epochs + 1):
        model.train()
        order = torch.randperm(len(x))
        for s in range(0, len(x), batch):
            idx = order[s:s + batch]
            h = model(x[idx])
            loss = lossf(model.logits(h).reshape(-1, catalogue), y[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        score = ndcg(model, val_hist, val_basket, catalogue, maxlen)
        if score > best:
            best, best_epoch = score, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        elif epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return model, best, best_epoch, epoch


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        raise SystemExit("usage: sasrec_reference.py SPLIT_FILE")
    libs = blas_library()
    if not any("openblas" in lib for lib in libs):
        raise SystemExit("refusing to run the reference on " + (", ".join(libs) or "an unknown BLAS")
                         + ": install libopenblas0-pthread (update-alternatives must select OpenBLAS)")
    torch.set_num_threads(1)
    catalogue, users = read_split(args[0])
    if not any(u[2] for u in users) or not any(u[3] for u in users):
        raise SystemExit(f"{args[0]}: no customer has a validation and a test basket")
    t0 = time.time()
    grid = []
    # The grid was chosen on the synthetic markov log's validation cases (docs/benchmarks.md): history 50 beat
    # 20, dropout 0.2 beat 0.1, 0.3 and 0.5, batch 64 beat 32 and 128; width and depth matter most.
    maxlen, dropout = 50, 0.2
    for hidden in (64, 128):
        for blocks in (2, 3):
            model, val, chosen, run = fit(users, catalogue, maxlen, hidden, blocks, 1, dropout, 1e-3, 64, 300, 10, 42)
            grid.append({"maxlen": maxlen, "hidden": hidden, "blocks": blocks, "dropout": dropout,
                         "validation_ndcg": val, "epochs": chosen, "epochs_run": run, "model": model})
            print(f"hidden {hidden} blocks {blocks}: validation NDCG@10 {val:.4f} at epoch {chosen} ({run} run)",
                  file=sys.stderr, flush=True)
    best = max(grid, key=lambda g: g["validation_ndcg"])
    tested = [u for u in users if u[3]]
    test_hist = [[i for b in tr for i in b] + v for _, tr, v, _ in tested]
    cases = ranked(best["model"], test_hist, [u[3] for u in tested], catalogue, best["maxlen"])
    for g in grid:
        del g["model"]
    n = len(cases)
    print(json.dumps({"method": "sasrec-torch", "torch": torch.__version__, "blas": libs, "users": n,
                      "ndcg@10": sum(c[0] for c in cases) / n, "hitRate@10": sum(c[1] for c in cases) / n,
                      "chosen": {k: best[k] for k in ("maxlen", "hidden", "blocks", "dropout", "epochs")}, "grid": grid,
                      "seconds": time.time() - t0,
                      "cases": [[u[0], c[0], c[1], c[2]] for u, c in zip(tested, cases)]}))


if __name__ == "__main__":
    main()
