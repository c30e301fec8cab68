package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code x if x > 0 else α(eˣ − 1)}; α defaults to 1. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new ELU().forward(Tensor.of(new float[]{-100, 1}))   // tensor([-1., 1.])
 * }</pre>
 */
public final class ELU extends Module {

    private final float alpha;

    /** ELU with α = 1. */
    public ELU() {
        this(1f);
    }

    /**
     * ELU with the given α.
     *
     * @param alpha scale of the negative part, which tends to −α
     */
    public ELU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.elu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
