package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Mish {@code x·tanh(softplus(x))}. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new Mish().forward(Tensor.of(new float[]{1}))   // tensor([0.8651])
 * }</pre>
 */
public final class Mish extends Module {
    /** The activation; it has no parameters. */
    public Mish() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.mish(x);
    }
}
