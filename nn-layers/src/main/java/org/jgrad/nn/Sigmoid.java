package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code σ(x) = 1 / (1 + e^−x)}, in (0, 1), without overflow at large |x|. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new Sigmoid().forward(Tensor.of(new float[]{0}))   // tensor([0.5000])
 * }</pre>
 */
public final class Sigmoid extends Module {
    /** The activation; it has no parameters. */
    public Sigmoid() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.sigmoid(x);
    }
}
