"""Writes PyTorch reference files for jgrad's recurrent layers. Run with a python that has torch
(Debian: python3-torch):
    python3 make_recurrent.py OUTDIR [seed]
For each of rnn_tanh, rnn_relu, lstm, gru: <name>.safetensors holds the state_dict of a 2-layer,
batch_first layer (input 3, hidden 4) as F32, and <name>_io.safetensors holds the input x
[2, 5, 3], the initial states and PyTorch's outputs, computed in float64 from the weights as
stored in F32.
For each of rnncell_tanh, rnncell_relu, lstmcell, grucell and grucell_nobias (input 3, hidden 4)
likewise: <name>.safetensors holds the cell's state_dict, <name>_io.safetensors the input x
[2, 3], the state h (and c) [2, 4] and one step's result h_next (and c_next). The cells are made
after the layers' tensors are drawn, so the layers' files do not change.
The safetensors layout is written by hand, as the format specifies."""
import json, struct, sys
import torch
from torch import nn

def save(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw); off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(b) for b in blobs]

def randn(*shape):
    """Normal samples as float32 holds them, in float64."""
    return torch.randn(*shape).to(torch.float32).double()

def as_stored(module, path):
    """Saves module's state dict as F32 to path; returns module in float64 holding those F32 values."""
    sd = {k: v.to(torch.float32).double() for k, v in module.state_dict().items()}
    module = module.double(); module.load_state_dict(sd)
    save(path, sd)
    return module

def main(out, seed):
    torch.manual_seed(seed)
    layers = {
        "rnn_tanh": nn.RNN(3, 4, num_layers=2, nonlinearity="tanh", batch_first=True),
        "rnn_relu": nn.RNN(3, 4, num_layers=2, nonlinearity="relu", batch_first=True),
        "lstm": nn.LSTM(3, 4, num_layers=2, batch_first=True),
        "gru": nn.GRU(3, 4, num_layers=2, batch_first=True),
    }
    x, h0, c0 = randn(2, 5, 3), randn(2, 2, 4), randn(2, 2, 4)
    for name, layer in layers.items():
        layer = as_stored(layer, f"{out}/{name}.safetensors")
        io = {"input": x, "h0": h0}
        if name == "lstm":
            y, (hn, cn) = layer(x, (h0, c0))
            io.update({"c0": c0, "output": y, "hN": hn, "cN": cn})
        else:
            y, hn = layer(x, h0)
            io.update({"output": y, "hN": hn})
        save(f"{out}/{name}_io.safetensors", io)
    cells(out)

def cells(out):
    cells = {
        "rnncell_tanh": nn.RNNCell(3, 4, nonlinearity="tanh"),
        "rnncell_relu": nn.RNNCell(3, 4, nonlinearity="relu"),
        "lstmcell": nn.LSTMCell(3, 4),
        "grucell": nn.GRUCell(3, 4),
        "grucell_nobias": nn.GRUCell(3, 4, bias=False),
    }
    x, h, c = randn(2, 3), randn(2, 4), randn(2, 4)
    for name, cell in cells.items():
        cell = as_stored(cell, f"{out}/{name}.safetensors")
        io = {"input": x, "h": h}
        if name == "lstmcell":
            h1, c1 = cell(x, (h, c))
            io.update({"c": c, "h_next": h1, "c_next": c1})
        else:
            io["h_next"] = cell(x, h)
        save(f"{out}/{name}_io.safetensors", io)

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
