"""Writes PyTorch reference files for jgrad's MultiheadAttention. Run with a python that has torch
(Debian: python3-torch; written with torch 1.13):
    python3 make_attention.py OUTDIR [seed]
For each case, <name>.safetensors holds the state_dict of nn.MultiheadAttention(8, 2,
batch_first=True) as F32 (in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias), and
<name>_io.safetensors the inputs, the mask, the output, the head-averaged attention weights and
the gradients of the loss sum(output * g) for a stored g, all computed in float64 from the
weights and inputs as stored in F32:
  mha:        query [2, 5, 8], key and value [2, 7, 8], an additive float mask [5, 7] with some
              -inf entries (every row keeps at least one key); gradients input_grad_query,
              _key, _value and grad_<parameter name>
  mha_causal: self-attention of x [2, 6, 8] with the causal mask
              (nn.Transformer.generate_square_subsequent_mask); gradients input_grad_x and
              grad_<parameter name>
  mha_kpm:    as mha with a boolean key_padding_mask [2, 7] too (stored as F32, 1 = ignore the
              key: sample 0 ignores keys 5 and 6, sample 1 keys 2 and 6), combined with the
              additive attn_mask; output_all_padded is the output (no gradients) with a second
              key_padding_mask all_padded_mask that ignores every key of sample 1: NaN there
The biases, zero after PyTorch's init, are set to random values so their gradients are tested
against non-trivial forward values too. The safetensors layout is written by hand, as the
format specifies."""
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
    """Normal samples as float32 holds them, in float64, requiring grad."""
    return torch.randn(*shape).to(torch.float32).double().requires_grad_()

def as_stored(module, path):
    """Saves module's state dict as F32 to path; returns module in float64 holding those F32 values."""
    with torch.no_grad():
        module.in_proj_bias.copy_(torch.randn(module.in_proj_bias.shape) * 0.5)
        module.out_proj.bias.copy_(torch.randn(module.out_proj.bias.shape) * 0.5)
    sd = {k: v.to(torch.float32).double() for k, v in module.state_dict().items()}
    module = module.double(); module.load_state_dict(sd)
    save(path, sd)
    return module

def run(module, inputs, mask, out_path, kpm=None, extra=None):
    args = list(inputs.values())
    if len(args) == 1: args = args * 3
    y, w = module(*args, attn_mask=mask, key_padding_mask=kpm, need_weights=True, average_attn_weights=True)
    g = torch.randn(y.shape).to(torch.float32).double()
    (y * g).sum().backward()
    io = dict(inputs)
    io.update({"attn_mask": mask, "output": y, "weights": w, "g": g})
    if kpm is not None: io["key_padding_mask"] = kpm.double()
    io.update(extra or {})
    for name, t in inputs.items(): io["input_grad_" + name] = t.grad
    for name, p in module.named_parameters(): io["grad_" + name] = p.grad
    save(out_path, io)

def main(out, seed):
    torch.manual_seed(seed)
    mha = as_stored(nn.MultiheadAttention(8, 2, batch_first=True), f"{out}/mha.safetensors")
    q, k, v = randn(2, 5, 8), randn(2, 7, 8), randn(2, 7, 8)
    mask = torch.randn(5, 7).double()
    mask[torch.rand(5, 7) < 0.3] = float("-inf")
    mask[:, 0] = 0.0                                   # every query sees key 0
    run(mha, {"query": q, "key": k, "value": v}, mask, f"{out}/mha_io.safetensors")

    causal = as_stored(nn.MultiheadAttention(8, 2, batch_first=True), f"{out}/mha_causal.safetensors")
    x = randn(2, 6, 8)
    mask = nn.Transformer.generate_square_subsequent_mask(6).double()
    run(causal, {"x": x}, mask, f"{out}/mha_causal_io.safetensors")

    # appended after the cases above, so their files stay as they were
    kpm_mha = as_stored(nn.MultiheadAttention(8, 2, batch_first=True), f"{out}/mha_kpm.safetensors")
    q, k, v = randn(2, 5, 8), randn(2, 7, 8), randn(2, 7, 8)
    mask = torch.randn(5, 7).double()
    mask[torch.rand(5, 7) < 0.3] = float("-inf")
    mask[:, 0] = 0.0
    kpm = torch.zeros(2, 7, dtype=torch.bool)
    kpm[0, 5:] = True; kpm[1, 2] = True; kpm[1, 6] = True
    all_padded = kpm.clone(); all_padded[1, :] = True
    with torch.no_grad():
        y_nan, _ = kpm_mha(q, k, v, attn_mask=mask, key_padding_mask=all_padded)
    run(kpm_mha, {"query": q, "key": k, "value": v}, mask, f"{out}/mha_kpm_io.safetensors", kpm,
        {"all_padded_mask": all_padded.double(), "output_all_padded": y_nan})

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
