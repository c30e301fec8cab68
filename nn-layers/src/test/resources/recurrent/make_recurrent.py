"""Writes PyTorch reference files for jgrad's recurrent layers. Run with a python that has torch
(Debian: python3-torch):
    python3 make_recurrent.py OUTDIR [seed]
For each of rnn_tanh, rnn_relu, lstm, gru: <name>.safetensors holds the state_dict of a 2-layer,
batch_first layer (input 3, hidden 4) as F32, and <name>_io.safetensors holds the input x
[2, 5, 3], the initial states and PyTorch's outputs, computed in float64 from the weights as
stored in F32. The safetensors layout is written by hand, as the format specifies."""
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

def main(out, seed):
    torch.manual_seed(seed)
    layers = {
        "rnn_tanh": nn.RNN(3, 4, num_layers=2, nonlinearity="tanh", batch_first=True),
        "rnn_relu": nn.RNN(3, 4, num_layers=2, nonlinearity="relu", batch_first=True),
        "lstm": nn.LSTM(3, 4, num_layers=2, batch_first=True),
        "gru": nn.GRU(3, 4, num_layers=2, batch_first=True),
    }
    x = torch.randn(2, 5, 3).to(torch.float32).double()
    h0 = torch.randn(2, 2, 4).to(torch.float32).double()
    c0 = torch.randn(2, 2, 4).to(torch.float32).double()
    for name, layer in layers.items():
        sd = {k: v.to(torch.float32).double() for k, v in layer.state_dict().items()}
        layer = layer.double(); layer.load_state_dict(sd)
        save(f"{out}/{name}.safetensors", sd)
        io = {"input": x, "h0": h0}
        if name == "lstm":
            y, (hn, cn) = layer(x, (h0, c0))
            io.update({"c0": c0, "output": y, "hN": hn, "cN": cn})
        else:
            y, hn = layer(x, h0)
            io.update({"output": y, "hN": hn})
        save(f"{out}/{name}_io.safetensors", io)

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
