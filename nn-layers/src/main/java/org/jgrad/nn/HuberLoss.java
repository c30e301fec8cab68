package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.nn.functional.Pointwise;

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

    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    public HuberLoss(float delta) {
        this(Reduction.MEAN, delta);
    }

    public HuberLoss(Reduction reduction, float delta) {
        super(reduction);
        if (!(delta > 0)) throw new IllegalArgumentException("HuberLoss: delta must be positive, got " + delta);
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        double k = delta;
        return reduction.apply(Pointwise.apply("huber",
                d -> Math.abs(d) < k ? 0.5 * d * d : k * (Math.abs(d) - 0.5 * k),
                d -> Math.abs(d) < k ? d : k * Math.signum(d), input.sub(target)));
    }
}
