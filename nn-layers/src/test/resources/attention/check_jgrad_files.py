"""The way back: loads the state dicts jgrad wrote (TransformerEncoderLayerTest leaves them under
nn-layers/target/attention-roundtrip) into PyTorch and checks them. Run with a python that has
torch (written with torch 1.13), from this directory, after `mvn test` of nn-layers:
    python3 check_jgrad_files.py ../../../../target/attention-roundtrip
- enc_post_relu / enc_pre_gelu_causal: torch's own reference state dicts after a trip through
  jgrad (loaded, then written by ModelFiles.save) must load strictly into
  nn.TransformerEncoderLayer and equal the originals bit for bit;
- jgrad_pre_gelu: a pre-norm GELU layer of jgrad's own initialisation, with an input and jgrad's
  causal output: torch must load it strictly and give the same output (float64 reference, 1e-5).
Prints one line per check and exits 1 on the first mismatch."""
import json, struct, sys
import torch
from torch import nn

def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n)); data = f.read()
    header.pop("__metadata__", None)
    out = {}
    for name, h in header.items():
        assert h["dtype"] == "F32", (path, name, h["dtype"])
        a, b = h["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(h["shape"])
    return out

def layer(norm_first, activation):
    return nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation=activation,
                                      batch_first=True, norm_first=norm_first)

def main(d):
    for name, pre, act in (("enc_post_relu", False, "relu"), ("enc_pre_gelu_causal", True, "gelu")):
        sd, ref = load(f"{d}/{name}.safetensors"), load(f"{name}.safetensors")
        m = layer(pre, act); m.load_state_dict(sd, strict=True)
        same = all(torch.equal(sd[k], ref[k]) for k in ref) and sd.keys() == ref.keys()
        print(f"{name}: loads strictly, {len(sd)} tensors, bitwise equal to torch's file: {same}")
        if not same: sys.exit(1)
    sd, io = load(f"{d}/jgrad_pre_gelu.safetensors"), load(f"{d}/jgrad_pre_gelu_io.safetensors")
    m = layer(True, "gelu").double(); m.load_state_dict({k: v.double() for k, v in sd.items()}, strict=True)
    m.train()  # dropout 0: the reference path, not the inference fast path
    mask = nn.Transformer.generate_square_subsequent_mask(io["src"].shape[1]).double()
    y = m(io["src"].double(), src_mask=mask)
    diff = (y - io["output"].double()).abs().max().item()
    print(f"jgrad_pre_gelu: loads strictly, causal output max |torch - jgrad| = {diff:.2e}")
    if not diff < 1e-5: sys.exit(1)

if __name__ == "__main__":
    main(sys.argv[1])
