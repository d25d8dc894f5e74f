#!/usr/bin/python3
"""Reference training with PyTorch (Debian's python3-torch) for tests/bench-training-vs-torch.sh.

Does what `edgeloop train` does, the same way: Fashion-MNIST from the IDX files, a seeded 90/10
train/validation split, standardisation learned on the training split, the same architecture
(mlp 784-256-128-10 or the 2-conv cnn), Adam, batch size, epochs and thread count, one
validation pass per epoch. Prints one JSON object: train_seconds, test_accuracy, epochs.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def load(root, prefix):
    x = read_idx(os.path.join(root, prefix + "-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = read_idx(os.path.join(root, prefix + "-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(y)


def build(model):
    if model == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    if model == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    raise SystemExit("model must be mlp or cnn")


def evaluate(net, x, y, chunk=2000):
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), chunk):
            out = net(x[i:i + chunk])
            loss += nn.functional.cross_entropy(out, y[i:i + chunk], reduction="sum").item()
            correct += (out.argmax(1) == y[i:i + chunk]).sum().item()
    return loss / len(x), correct / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="mlp")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--schedule", default="cosine", choices=["cosine", "fixed"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--data", default=os.path.join(os.environ.get("EDGELOOP_DATA", "/usr/share/datasets"), "fashion-mnist"))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    x, y = load(a.data, "train")
    x_test, y_test = load(a.data, "t10k")
    perm = torch.randperm(len(x))
    n_val = len(x) // 10
    x_val, y_val, x_tr, y_tr = x[perm[:n_val]], y[perm[:n_val]], x[perm[n_val:]], y[perm[n_val:]]
    mean, std = x_tr.mean(), x_tr.std()
    x_tr, x_val, x_test = (x_tr - mean) / std, (x_val - mean) / std, (x_test - mean) / std
    net = build(a.model)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    steps = a.epochs * ((len(x_tr) + a.batch_size - 1) // a.batch_size)
    # The same schedule as edgeloop train: cosine decay to 0 over every step of the run.
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps) if a.schedule == "cosine" else None
    epochs = []
    start = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        net.train()
        order = torch.randperm(len(x_tr))
        xs, ys = x_tr[order], y_tr[order]
        total, batches = 0.0, 0
        for i in range(0, len(xs), a.batch_size):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(xs[i:i + a.batch_size]), ys[i:i + a.batch_size])
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item()
            batches += 1
        net.eval()
        val_loss, val_acc = evaluate(net, x_val, y_val)
        epochs.append({"epoch": epoch, "train_loss": total / batches, "val_loss": val_loss, "val_accuracy": val_acc,
                       "seconds": time.perf_counter() - t0})
    train_seconds = time.perf_counter() - start
    _, test_acc = evaluate(net, x_test, y_test)
    print(json.dumps({"framework": "torch " + torch.__version__, "model": a.model, "threads": a.threads,
                      "train_seconds": train_seconds, "test_accuracy": test_acc, "epochs": epochs}))


if __name__ == "__main__":
    main()
