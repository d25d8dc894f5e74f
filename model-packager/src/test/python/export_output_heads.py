#!/usr/bin/python3
"""Exports two small Fashion-MNIST-shaped PyTorch models with torch.onnx.export (opset 13, dynamic
batch) whose heads differ: one ends in logits (output "logits"), one in a Softmax (output
"class_probs"). Briefly trained so that their outputs are not near-uniform. A fixture generator
for the served-outputs test, never a runtime dependency of EdgeLoop.

usage: export_output_heads.py OUT_DIR [--data DIR] [--train-limit N]
writes OUT_DIR/head_logits.onnx and OUT_DIR/head_softmax.onnx
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_reference_models import load  # noqa: E402  (same IDX reading and scaling)


class Net(nn.Module):
    def __init__(self, softmax):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.fc2 = nn.Linear(64, 10)
        self.softmax = softmax

    def forward(self, x):
        z = self.fc2(torch.relu(self.fc1(x)))
        return torch.softmax(z, dim=1) if self.softmax else z


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--data", default=os.path.join(os.environ.get("EDGELOOP_DATA", "/usr/share/datasets"),
                                                  "fashion-mnist"))
    p.add_argument("--train-limit", type=int, default=3000)
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(11)
    os.makedirs(args.out, exist_ok=True)
    x, y = load(args.data, "train")
    x, y = x[:args.train_limit].reshape(-1, 784), y[:args.train_limit]
    for softmax, file, output in ((False, "head_logits.onnx", "logits"), (True, "head_softmax.onnx", "class_probs")):
        net = Net(softmax)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for i in range(0, x.shape[0], 100):
            opt.zero_grad()
            z = net.fc2(torch.relu(net.fc1(x[i:i + 100])))
            nn.functional.cross_entropy(z, y[i:i + 100]).backward()
            opt.step()
        net.eval()
        torch.onnx.export(net, x[:1], os.path.join(args.out, file), opset_version=13, input_names=["input"],
                          output_names=[output], dynamic_axes={"input": {0: "batch"}, output: {0: "batch"}})
        print(f"wrote {file} (output {output})", file=sys.stderr)


if __name__ == "__main__":
    main()
