#!/usr/bin/python3
"""Writes the TorchScript fixtures of the PyTorch engine tests into OUT_DIR.

classifier.pt  a small seeded MLP: input "features" FP32 [-1, 6] -> output "probs" FP32 [-1, 3]
               (softmax), traced with torch.jit.trace.
dtypes.pt      one input per served element type, each returned after a simple op, scripted, so
               the Java side can check every Tensor <-> NDArray conversion both ways.
expected.json  inputs of the classifier and the outputs this script computed for them.

Run by the tests through /usr/bin/python3 (Debian's python3-torch); never needed at run time.
"""
import json
import sys
from pathlib import Path

import torch


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(6, 16)
        self.out = torch.nn.Linear(16, 3)

    def forward(self, x):
        return torch.softmax(self.out(torch.relu(self.hidden(x))), dim=1)


class Dtypes(torch.nn.Module):
    def forward(self, f32: torch.Tensor, f64: torch.Tensor, i32: torch.Tensor, i64: torch.Tensor,
                i8: torch.Tensor, u8: torch.Tensor, b: torch.Tensor):
        return (f32 * 2.0, f64 + 0.5, i32 * 3, i64 - 7, -i8, u8 + 1, torch.logical_not(b))


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(7)
    model = Classifier().eval()
    x = torch.rand(5, 6) * 2.0 - 1.0
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(1, 6))
        probs = traced(x)
    traced.save(str(out_dir / "classifier.pt"))
    torch.jit.script(Dtypes().eval()).save(str(out_dir / "dtypes.pt"))
    expected = {
        "inputs": x.flatten().tolist(),
        "inputShape": list(x.shape),
        "outputs": probs.flatten().tolist(),
        "outputShape": list(probs.shape),
        "torch": torch.__version__,
    }
    (out_dir / "expected.json").write_text(json.dumps(expected))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_torchscript_fixture.py OUT_DIR")
    main(Path(sys.argv[1]))
