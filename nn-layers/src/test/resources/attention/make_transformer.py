"""Writes PyTorch reference files for jgrad's TransformerEncoderLayer. Run with a python that has
torch (Debian: python3-torch; written with torch 1.13), from this directory:
    python3 make_transformer.py OUTDIR [seed]
For each case, <name>.safetensors holds the state_dict of nn.TransformerEncoderLayer(8, 2,
dim_feedforward=16, dropout=0.0, batch_first=True, ...) as F32 (self_attn.in_proj_weight,
self_attn.in_proj_bias, self_attn.out_proj.weight/bias, linear1.weight/bias, linear2.weight/bias,
norm1.weight/bias, norm2.weight/bias), and <name>_io.safetensors the input src [2, 6, 8], the
masks, the output and the gradients of the loss sum(output * g) for a stored g (input_grad_src
and grad_<parameter name>), all computed in float64 from the weights and inputs as stored in
F32. The module stays in training mode (dropout 0), so PyTorch takes its reference path, not the
inference fast path.
  enc_post_relu:     post-norm (norm_first=False), activation relu, a boolean
                     src_key_padding_mask [2, 6] (stored as F32, 1 = padding: sample 0 pads
                     positions 4 and 5, sample 1 position 5), no src_mask
  enc_pre_gelu_causal: pre-norm (norm_first=True), activation gelu (exact erf), src_mask the
                     causal mask nn.Transformer.generate_square_subsequent_mask(6)
The biases and the LayerNorm weights, constant after PyTorch's init, are set to random values so
their gradients are tested against non-trivial forward values too."""
import sys
import torch
from torch import nn
from make_attention import save, randn

def as_stored(module, path):
    """Randomises the biases and norms, saves the state dict as F32; returns module in float64."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"): p.copy_(torch.randn(p.shape) * 0.5)
            elif name.startswith("norm"): p.copy_(1 + torch.randn(p.shape) * 0.3)
    sd = {k: v.to(torch.float32).double() for k, v in module.state_dict().items()}
    module = module.double(); module.load_state_dict(sd)
    save(path, sd)
    return module

def run(layer, src, mask, kpm, out_path):
    y = layer(src, src_mask=mask, src_key_padding_mask=kpm)
    g = torch.randn(y.shape).to(torch.float32).double()
    (y * g).sum().backward()
    io = {"src": src, "output": y, "g": g, "input_grad_src": src.grad}
    if mask is not None: io["src_mask"] = mask
    if kpm is not None: io["src_key_padding_mask"] = kpm.double()
    for name, p in layer.named_parameters(): io["grad_" + name] = p.grad
    save(out_path, io)

def main(out, seed):
    torch.manual_seed(seed)
    post = as_stored(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation="relu",
                                                batch_first=True, norm_first=False), f"{out}/enc_post_relu.safetensors")
    kpm = torch.zeros(2, 6, dtype=torch.bool)
    kpm[0, 4:] = True; kpm[1, 5] = True
    run(post, randn(2, 6, 8), None, kpm, f"{out}/enc_post_relu_io.safetensors")

    pre = as_stored(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation="gelu",
                                               batch_first=True, norm_first=True), f"{out}/enc_pre_gelu_causal.safetensors")
    mask = nn.Transformer.generate_square_subsequent_mask(6).double()
    run(pre, randn(2, 6, 8), mask, None, f"{out}/enc_pre_gelu_causal_io.safetensors")

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
