"""Tokens/sec of the book's from-scratch RNN training versus d2l 0.17.6's, at the `rnn-scratch` settings.

    D2LBOOK_DATA=... python benchmarks/rnn.py [--threads 1 2] [--repeats 3] [--epochs 20]

Both sides train the same character-level model on the first 10,000 characters of The Time Machine: hidden
size 512, batch 32, 35 steps, sequential partitioning, lr 1, gradient clipping at 1, plain SGD, mean
cross-entropy. The reference is d2l's own `RNNModelScratch` and `train_epoch_ch8` from `d2l==0.17.6`, driving
d2l's one-hot RNN (the step function below follows d2l's chapter 8: one_hot(x) @ W_xh + H @ W_hh + b_h, tanh,
then the output layer, step by step under autograd). d2l is installed with `pip install --no-deps` into a
folder under the cache directory the first time (never into the repository) and put on sys.path.
The two sides alternate `--repeats` times per thread count and the best of each is kept (this machine's
speed drifts by tens of percent). Target: >= 1.3x. The script also prints the fraction of the machine's
matrix-multiply peak (a 2048x2048 torch.mm at the same thread count) that each training loop reaches,
counting the model's necessary FLOPs: 3 x (2·h² + 2·h·V) per token for the forward and backward matmuls.
"""
from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import torch
from torch import nn

import d2lbook_utils as d2l

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.book import matmul_gflops  # noqa: E402

D2L_VERSION = "0.17.6"
HIDDEN, BATCH, STEPS, LR = 512, 32, 35, 1.0


def import_reference_d2l():
    """d2l 0.17.6's torch module, installed on first use into the cache folder with --no-deps."""
    target = d2l.cache_dir() / f"benchmark-d2l-{D2L_VERSION}"
    if not (target / "d2l" / "torch.py").exists():
        print(f"installing d2l=={D2L_VERSION} (--no-deps) into {target.name} under the cache folder")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                        f"d2l=={D2L_VERSION}"], check=True)
    sys.path.insert(0, str(target))
    return importlib.import_module("d2l.torch")


def one_hot_rnn(inputs, state, params):
    """d2l's formulation: inputs (T, B, V) one-hot rows, one autograd step per time step."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for x in inputs:
        H = torch.tanh(torch.mm(x, W_xh) + torch.mm(H, W_hh) + b_h)
        outputs.append(torch.mm(H, W_hq) + b_q)
    return torch.cat(outputs, dim=0), (H,)


def tokens_per_sec(make_net, train_epoch, train_iter, epochs: int) -> float:
    torch.manual_seed(0)
    net = make_net()
    loss = nn.CrossEntropyLoss()

    def updater(batch_size):
        d2l.sgd(net.params, LR, batch_size)

    tokens = [0]

    def counted():
        for X, Y in train_iter:
            tokens[0] += X.numel()
            yield X, Y

    train_epoch(net, train_iter, loss, updater, d2l.cpu(), False)  # warm-up epoch, not timed
    start = time.perf_counter()
    for _ in range(epochs):
        train_epoch(net, counted(), loss, updater, d2l.cpu(), False)
    return tokens[0] / (time.perf_counter() - start)


def matmul_peak_flops() -> float:
    return matmul_gflops(torch.get_num_threads()) * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20, help="timed epochs per run (8 minibatches each)")
    args = parser.parse_args()
    ref = import_reference_d2l()
    train_iter, vocab = d2l.load_data_time_machine(BATCH, STEPS)
    V = len(vocab)

    def ours():
        return d2l.RNNModelScratch(V, HIDDEN)

    def theirs():
        def forward(X_one_hot, state, params):
            return one_hot_rnn(X_one_hot, state, params)
        return ref.RNNModelScratch(V, HIDDEN, d2l.cpu(), d2l.get_rnn_params, d2l.init_rnn_state, forward)

    flops_per_token = 3 * (2 * HIDDEN * HIDDEN + 2 * HIDDEN * V)
    for threads in dict.fromkeys(args.threads):
        d2l.setup(num_threads=threads)
        book, reference = 0.0, 0.0
        for _ in range(args.repeats):
            book = max(book, tokens_per_sec(ours, d2l.train_epoch_ch8, train_iter, args.epochs))
            reference = max(reference, tokens_per_sec(theirs, ref.train_epoch_ch8, train_iter, args.epochs))
        peak = matmul_peak_flops()
        print(f"threads {threads}, hidden {HIDDEN}, batch {BATCH}, {STEPS} steps, best of {args.repeats} runs "
              f"of {args.epochs} epochs, device cpu; matmul peak {peak / 1e9:.0f} GFLOP/s")
        for name, speed in (("book (d2lbook_utils)", book), (f"d2l {D2L_VERSION}", reference)):
            print(f"  {name:22s} {speed:8.0f} tokens/sec, {speed * flops_per_token / peak:5.1%} of matmul peak")
        print(f"  ratio {book / reference:.2f}x (target >= 1.3x)")


if __name__ == "__main__":
    main()
