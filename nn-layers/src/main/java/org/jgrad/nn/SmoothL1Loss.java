package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Smooth L1 loss with threshold β (default 1), on d = x − y:
 * {@code ½d²/β if |d| < β, else |d| − ½β} — Huber divided by β, so its linear part has slope ±1.
 *
 * <pre>{@code
 * jshell> new SmoothL1Loss().forward(Tensor.of(new float[]{0.5f, 3}), Tensor.zeros(2))
 * $1 ==> tensor(1.3125)
 * }</pre>
 */
public final class SmoothL1Loss extends Loss {

    private final float beta;

    /** Smooth L1 loss with mean reduction and beta 1. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1f);
    }

    /**
     * Smooth L1 loss.
     *
     * @param reduction how per-element losses are combined
     * @param beta error below which the loss is quadratic, positive
     * @throws IllegalArgumentException if {@code beta} is not positive
     */
    public SmoothL1Loss(Reduction reduction, float beta) {
        super(reduction);
        if (!(beta > 0)) throw new IllegalArgumentException("SmoothL1Loss: beta must be positive, got " + beta);
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        return reduction.apply(HuberLoss.huber("smoothL1", input.sub(target), beta, beta));
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("beta", beta, 1f);
    }
}
