package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code tanh(x)}, in (−1, 1). Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new Tanh().forward(Tensor.of(new float[]{0}))   // tensor([0.])
 * }</pre>
 */
public final class Tanh extends Module {
    /** The activation; it has no parameters. */
    public Tanh() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.tanh(x);
    }
}
