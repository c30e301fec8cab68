package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Huber loss with threshold δ (default 1), on d = x − y:
 * {@code ½d² if |d| < δ, else δ·(|d| − ½δ)} — quadratic near 0, linear (slope ±δ) beyond.
 *
 * <pre>{@code
 * jshell> new HuberLoss(1f).forward(Tensor.of(new float[]{0.5f, 3}), Tensor.zeros(2))
 * $1 ==> tensor(1.3125)     // (0.125 + 2.5) / 2
 * }</pre>
 */
public final class HuberLoss extends Loss {

    private final float delta;

    /** Huber loss with mean reduction and delta 1. */
    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    /**
     * Huber loss with mean reduction.
     *
     * @param delta error beyond which the loss grows linearly, positive
     */
    public HuberLoss(float delta) {
        this(Reduction.MEAN, delta);
    }

    /**
     * Huber loss.
     *
     * @param reduction how per-element losses are combined
     * @param delta error beyond which the loss grows linearly, positive
     * @throws IllegalArgumentException if {@code delta} is not positive
     */
    public HuberLoss(Reduction reduction, float delta) {
        super(reduction);
        if (!(delta > 0)) throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        return reduction.apply(huber("huber", input.sub(target), delta, 1));
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("delta", delta, 1f);
    }

    /**
     * Huber with threshold k divided by {@code divisor}, elementwise on d; smooth L1 with threshold β
     * is {@code huber(d, β, β)}.
     */
    static Tensor huber(String op, Tensor d, double k, double divisor) {
        return Functional.pointwise(op,
                v -> (Math.abs(v) < k ? 0.5 * v * v : k * (Math.abs(v) - 0.5 * k)) / divisor,
                v -> (Math.abs(v) < k ? v : k * Math.signum(v)) / divisor, d);
    }
}
