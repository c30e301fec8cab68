"""Writes PyTorch's forward-mode references for jgrad's Autograd.jvp. Run with a python that has
torch (Debian: python3-torch):
    python3 make_jvp.py OUTDIR [seed]
For each model — mlp: Linear(6, 8), Tanh, Linear(8, 3); cnn: Conv2d(2, 4, 3, padding=1), ReLU,
MaxPool2d(2), Flatten, Linear(4*3*3, 5); lstm: LSTM(3, 4, num_layers=2, batch_first=True) (its
output sequence) — <name>.safetensors holds the state_dict as F32 and <name>_jvp.safetensors
holds an input x, a direction v and torch.autograd.functional.jvp's output and tangent, computed
in float64 from the weights as stored in F32."""
import os, sys
import torch
from torch import nn

# the safetensors writer and the float32-exact sampler of the recurrent references
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "recurrent"))
from make_recurrent import save, randn

def main(out, seed):
    torch.manual_seed(seed)
    models = {
        "mlp": (nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3)), (4, 6)),
        "cnn": (nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(4 * 3 * 3, 5)), (2, 2, 6, 6)),
        "lstm": (nn.LSTM(3, 4, num_layers=2, batch_first=True), (2, 5, 3)),
    }
    for name, (model, shape) in models.items():
        sd = {k: v.to(torch.float32).double() for k, v in model.state_dict().items()}
        save(f"{out}/{name}.safetensors", sd)
        model = model.double(); model.load_state_dict(sd)
        f = (lambda m: (lambda x: m(x)[0]))(model) if name == "lstm" else model
        x, v = randn(*shape), randn(*shape)
        y, t = torch.autograd.functional.jvp(f, x, v)
        save(f"{out}/{name}_jvp.safetensors", {"input": x, "direction": v, "output": y, "tangent": t})

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
