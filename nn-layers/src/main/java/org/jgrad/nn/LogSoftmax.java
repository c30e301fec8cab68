package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code x_i − log Σ_j e^{x_j}} along {@code dim}, computed stably. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new LogSoftmax(-1).forward(Tensor.of(new float[]{0, 0}))   // tensor([-0.6931, -0.6931])
 * }</pre>
 */
public final class LogSoftmax extends Module {

    private final int dim;

    /**
     * Log-softmax along {@code dim}.
     *
     * @param dim dimension to normalise over (negative counts from the end)
     */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.logSoftmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
