package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code x if x > 0 else αx}; α defaults to 0.01 as in PyTorch. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new LeakyReLU(0.1f).forward(Tensor.of(new float[]{-2, 3}))   // tensor([-0.2000, 3.])
 * }</pre>
 */
public final class LeakyReLU extends Module {

    private final float alpha;

    /** Leaky ReLU with slope 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    /**
     * Leaky ReLU with the given slope.
     *
     * @param alpha slope for negative inputs
     */
    public LeakyReLU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.leakyRelu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
