package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code max(x, 0)}; the slope at 0 is 0. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new ReLU().forward(Tensor.of(new float[]{-1, 2}))   // tensor([0., 2.])
 * }</pre>
 */
public final class ReLU extends Module {
    /** The activation; it has no parameters. */
    public ReLU() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.relu(x);
    }
}
