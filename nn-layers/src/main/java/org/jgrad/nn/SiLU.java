package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * SiLU {@code x·σ(x)}, Swish with β = 1. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new SiLU().forward(Tensor.of(new float[]{1}))   // tensor([0.7311])
 * }</pre>
 */
public final class SiLU extends Module {
    /** The activation; it has no parameters. */
    public SiLU() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.silu(x);
    }
}
