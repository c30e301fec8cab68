package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code min(max(x, lo), hi)}, defaults −1 and 1; the slope is 1 strictly inside. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new Hardtanh().forward(Tensor.of(new float[]{-3, 0.5f, 3}))   // tensor([-1., 0.5000, 1.])
 * }</pre>
 */
public final class Hardtanh extends Module {

    private final float lo, hi;

    /** Clamps to [−1, 1]. */
    public Hardtanh() {
        this(-1f, 1f);
    }

    /**
     * Clamps to [lo, hi].
     *
     * @param lo lower bound
     * @param hi upper bound, not below {@code lo}
     * @throws IllegalArgumentException if {@code lo > hi}
     */
    public Hardtanh(float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("Hardtanh: min " + lo + " is greater than max " + hi);
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.hardtanh(x, lo, hi);
    }

    @Override
    protected String extraRepr() {
        return "min=" + lo + ", max=" + hi;
    }
}
