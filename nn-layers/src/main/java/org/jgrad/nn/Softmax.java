package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code softmax(x)_i = e^{x_i} / Σ_j e^{x_j}} along {@code dim} (with the max subtracted, so large logits are safe). Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new Softmax(-1).forward(Tensor.of(new float[]{0, 0}))   // tensor([0.5000, 0.5000])
 * }</pre>
 */
public final class Softmax extends Module {

    private final int dim;

    /**
     * Softmax along {@code dim}.
     *
     * @param dim dimension to normalise over (negative counts from the end)
     */
    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.softmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
