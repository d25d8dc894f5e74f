#!/usr/bin/python3
"""Trains the reference Fashion-MNIST MLP (784-256-128-10) and small CNN (two conv + max-pool,
two dense) with Debian's python3-torch and exports both with torch.onnx.export (opset 13,
dynamic batch). A fixture generator for tests and the quantization benchmark, never a runtime
dependency of EdgeLoop.

usage: export_reference_models.py OUT_DIR [--epochs N] [--threads N] [--data DIR]
writes OUT_DIR/fmnist_mlp.onnx and OUT_DIR/fmnist_cnn.onnx
"""
import argparse
import gzip
import os
import struct
import sys

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix):
    # Same scaling as the Java IdxReader: bytes / 255, no mean/std normalisation.
    x = read_idx(os.path.join(data_dir, prefix + "-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = read_idx(os.path.join(data_dir, prefix + "-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = torch.relu(self.fc1(x))
        return self.fc2(x)


def train(model, x, y, epochs, batch=128, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * idx.shape[0]
        print(f"  epoch {epoch + 1}/{epochs} loss {total / n:.4f}", file=sys.stderr)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def export(model, example, path, input_name):
    model.eval()
    torch.onnx.export(model, example, path, opset_version=13, input_names=[input_name],
                      output_names=["logits"],
                      dynamic_axes={input_name: {0: "batch"}, "logits": {0: "batch"}})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=os.path.join(os.environ.get("EDGELOOP_DATA", "/usr/share/datasets"),
                                                  "fashion-mnist"))
    p.add_argument("--train-limit", type=int, default=60000)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    os.makedirs(args.out, exist_ok=True)
    xtr, ytr = load(args.data, "train")
    xte, yte = load(args.data, "t10k")
    xtr, ytr = xtr[:args.train_limit], ytr[:args.train_limit]

    mlp = Mlp()
    print("training MLP 784-256-128-10", file=sys.stderr)
    train(mlp, xtr.reshape(-1, 784), ytr, args.epochs)
    print(f"MLP test accuracy {accuracy(mlp, xte.reshape(-1, 784), yte):.4f}", file=sys.stderr)
    export(mlp, xte[:1].reshape(1, 784), os.path.join(args.out, "fmnist_mlp.onnx"), "input")

    cnn = Cnn()
    print("training CNN conv16-conv32-fc128-fc10", file=sys.stderr)
    train(cnn, xtr.reshape(-1, 1, 28, 28), ytr, args.epochs)
    print(f"CNN test accuracy {accuracy(cnn, xte.reshape(-1, 1, 28, 28), yte):.4f}", file=sys.stderr)
    export(cnn, xte[:1].reshape(1, 1, 28, 28), os.path.join(args.out, "fmnist_cnn.onnx"), "input")


if __name__ == "__main__":
    main()
