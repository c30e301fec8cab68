package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * GELU {@code x·Φ(x)} (Φ the standard normal CDF); {@code new GELU(true)} uses the tanh approximation. Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new GELU().forward(Tensor.of(new float[]{1}))   // tensor([0.8413])
 * }</pre>
 */
public final class GELU extends Module {

    private final boolean tanhApproximation;

    /** Exact GELU. */
    public GELU() {
        this(false);
    }

    /**
     * GELU, exact or approximated.
     *
     * @param tanhApproximation true for the tanh approximation
     */
    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Tensor forward(Tensor x) {
        return tanhApproximation ? Functional.geluTanh(x) : Functional.gelu(x);
    }

    @Override
    protected String extraRepr() {
        return tanhApproximation ? "approximate=tanh" : "";
    }
}
