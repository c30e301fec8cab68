"""Writes bn_cnn.safetensors (a state_dict with BatchNorm layers, num_batches_tracked as I64, as
PyTorch keeps it) and bn_cnn_io.safetensors (an input and PyTorch's eval-mode output for it,
computed in float64 from the weights as stored in F32). Run with a python that has torch:
    python3 make_batchnorm.py OUTDIR [seed]
The files are written by safetensors.torch.save_file when the safetensors package is importable.
Otherwise save_file below writes the same bytes as that function does (safetensors 0.4): the
tensors sorted by descending dtype (I64 before F64 before F32), then by name; the header, in
that order, as compact JSON with __metadata__ first when given; spaces pad the header to a
multiple of 8 bytes; the data follows back to back in the same order."""
import json, struct, sys
import torch
from torch import nn

try:
    from safetensors.torch import save_file
except ImportError:
    # safetensors' Dtype order; the writer sorts by it descending ("alignment"), then by name.
    ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
    NAMES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}

    def save_file(tensors, filename, metadata=None):
        items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(NAMES[kv[1].dtype]), kv[0]))
        header, blobs, off = {}, [], 0
        if metadata is not None:
            header["__metadata__"] = metadata
        for name, t in items:
            raw = t.detach().contiguous().numpy().tobytes()
            header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
            blobs.append(raw); off += len(raw)
        h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
        h += b" " * ((8 - len(h) % 8) % 8)
        with open(filename, "wb") as f:
            f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(b) for b in blobs]

def model():
    return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(),
                         nn.Linear(2 * 4 * 4, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 3))

def main(out, seed):
    torch.manual_seed(seed)
    net = model().train()
    with torch.no_grad():                       # three training batches: running stats move, num_batches_tracked = 3
        for _ in range(3):
            net(torch.randn(6, 1, 4, 4) * 2 + 0.5)
    sd = {k: (v if v.dtype == torch.int64 else v.to(torch.float32)) for k, v in net.state_dict().items()}
    save_file(sd, f"{out}/bn_cnn.safetensors", metadata={"format": "pt"})
    ref = model().double()
    ref.load_state_dict({k: (v if v.dtype == torch.int64 else v.double()) for k, v in sd.items()})
    x = torch.randn(4, 1, 4, 4).to(torch.float32).double()
    with torch.no_grad():
        y = ref.eval()(x)
    save_file({"input": x.to(torch.float32), "output": y.to(torch.float32)}, f"{out}/bn_cnn_io.safetensors")

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
