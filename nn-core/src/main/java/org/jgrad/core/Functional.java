package org.jgrad.core;

import org.jgrad.core.ops.MatmulOps;

/**
 * Neural-network functions that are more than a composition of tensor methods, like
 * {@code torch.nn.functional}: each is one fused op with its own backward.
 */
public final class Functional {

    private Functional() {}

    /**
     * y = x·Wᵀ + b: a dense layer. x is [..., in], weight [out, in] (PyTorch's layout), bias [out]
     * or null; y is [..., out]. One GEMM reads W transposed in place.
     *
     * <pre>{@code
     * jshell> Functional.linear(Tensor.ones(2, 3), Tensor.ones(4, 3), Tensor.zeros(4)).shape()
     * $1 ==> int[2] { 2, 4 }
     * }</pre>
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return bias == null ? Autograd.apply(new MatmulOps.Linear(), x, weight)
                : Autograd.apply(new MatmulOps.Linear(), x, weight, bias);
    }
}
