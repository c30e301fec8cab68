package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Swish {@code x·σ(βx)}: β constant ({@code new Swish(1f)} is SiLU) or learnable
 * ({@code new Swish(1f, true)}, parameter "beta").
 *
 * <pre>{@code
 * jshell> var s = new Swish(1f, true);
 * jshell> s.numParameters()
 * $2 ==> 1
 * }</pre>
 */
public final class Swish extends Module {

    private final float beta;
    private final Tensor betaParam;

    /** SiLU: Swish with a constant β = 1. */
    public Swish() {
        this(1f, false);
    }

    /**
     * Swish with a constant β.
     *
     * @param beta the slope inside the sigmoid
     */
    public Swish(float beta) {
        this(beta, false);
    }

    /**
     * Swish with β constant or learned.
     *
     * @param beta the (initial) slope inside the sigmoid
     * @param learnable true to train β as a parameter
     */
    public Swish(float beta, boolean learnable) {
        this.beta = beta;
        this.betaParam = learnable ? registerParameter("beta", Tensor.of(new float[] {beta})) : null;
    }

    /**
     * The learnable β, or null when β is constant.
     *
     * @return the live parameter, or null
     */
    public Tensor beta() {
        return betaParam;
    }

    @Override
    public Tensor forward(Tensor x) {
        return betaParam == null ? Functional.swish(x, beta) : Functional.swish(x, betaParam);
    }

    @Override
    protected String extraRepr() {
        return betaParam == null ? "beta=" + beta : "beta=learnable";
    }
}
