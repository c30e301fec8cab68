"""Transformer training throughput (tokens/s) with torch on CPU: the PyTorch peer of
org.jgrad.bench.TransformerBench (issue #25).
usage: /usr/bin/python3 transformer_bench.py small|large THREADS [--warmup SECONDS] [--seconds SECONDS] [--steps N] [--no-mkldnn]
Set OMP_NUM_THREADS=THREADS and OPENBLAS_NUM_THREADS=1 in the environment too (as ../shared/peers/run.sh
does for training); BENCH_TORCH_THREADS overrides torch.set_num_threads. transformer_run.sh runs it with
OPENBLAS_* as set and unset, and with and without the glibc malloc settings.

Model (the one of ./jgrad gpt): token Embedding + learned position Embedding, a stack of
nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0, activation='gelu', batch_first=True,
norm_first=True) run with the causal mask, a final LayerNorm, a Linear head to the vocabulary; cross-entropy on
next-token targets of random token batches (16 pre-drawn batches in turn), AdamW(lr=1e-3, weight_decay=0.01).
Timing: per step (zero_grad, forward, loss, backward, optimizer step), after a warm-up of at least --warmup
seconds and 20 steps, until at least --seconds seconds and --steps steps; tokens/s = batch*context / median step time."""
import sys, time, statistics, os
import torch, torch.nn as nn, torch.nn.functional as F

SHAPES = {  # vocab, context, d_model, heads, ff, layers, batch
    "small": (27, 12, 48, 4, 192, 2, 32),   # ./jgrad gpt
    "large": (65, 64, 128, 4, 512, 2, 32),  # matrix products dominate
}

def opt(name, default, conv):
    return conv(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

shape, T = sys.argv[1], int(sys.argv[2])
warmup, seconds, min_steps = opt("--warmup", 8.0, float), opt("--seconds", 8.0, float), opt("--steps", 30, int)
if "--no-mkldnn" in sys.argv:
    torch.backends.mkldnn.enabled = False
torch.set_num_threads(int(os.environ.get("BENCH_TORCH_THREADS", T)))
torch.manual_seed(0)
V, C, D, H, FF, L, B = SHAPES[shape]

class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok_emb = nn.Embedding(V, D)
        self.pos_emb = nn.Embedding(C, D)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, activation="gelu",
                                                               batch_first=True, norm_first=True) for _ in range(L))
        self.ln_f = nn.LayerNorm(D)
        self.head = nn.Linear(D, V)
        self.register_buffer("pos", torch.arange(C).unsqueeze(0))
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(C))

    def forward(self, idx):
        x = self.tok_emb(idx) + self.pos_emb(self.pos)
        for layer in self.layers:
            x = layer(x, src_mask=self.mask)
        return self.head(self.ln_f(x))

net = Gpt()
net.train()
optim = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
g = torch.Generator().manual_seed(1)
seqs = [torch.randint(0, V, (B, C + 1), generator=g) for _ in range(16)]
batches = [(s[:, :-1].contiguous(), s[:, 1:].contiguous()) for s in seqs]
malloc = ",".join(f"{k}={v}" for k, v in os.environ.items() if k.startswith("MALLOC_")) or "default"
blas = ",".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS_")) or "unset"
print(f"# transformer {shape} torch {torch.__version__} threads={torch.get_num_threads()} mkldnn={torch.backends.mkldnn.enabled} "
      f"vocab={V} context={C} d_model={D} heads={H} ff={FF} layers={L} batch={B} "
      f"params={sum(p.numel() for p in net.parameters())} malloc={malloc} openblas={blas}")

n = 0
def step():
    global n
    x, y = batches[n % len(batches)]
    n += 1
    optim.zero_grad(set_to_none=True)
    loss = F.cross_entropy(net(x).reshape(-1, V), y.reshape(-1))
    loss.backward()
    optim.step()
    return loss

t0 = time.perf_counter()
warm = 0
while warm < 20 or time.perf_counter() - t0 < warmup:
    step(); warm += 1
warm_s = time.perf_counter() - t0
times = []
m0 = time.perf_counter()
while len(times) < min_steps or time.perf_counter() - m0 < seconds:
    s = time.perf_counter()
    loss = step()
    times.append(time.perf_counter() - s)
st = sorted(times)
med = statistics.median(st)
tok = B * C
print(f"# warm-up {warm} steps in {warm_s:.1f} s; measured {len(st)} steps; loss {loss.item():.4f}")
print(f"SUMMARY transformer {shape} torch T={T} malloc={'tuned' if malloc != 'default' else 'default'} openblas={blas}: "
      f"tokens/s median {tok / med:.0f} (slowest step {tok / st[-1]:.0f}, fastest {tok / st[0]:.0f}); "
      f"step ms median {1e3 * med:.3f} min {1e3 * st[0]:.3f} max {1e3 * st[-1]:.3f}; steps {len(st)}")
