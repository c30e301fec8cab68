package org.jgrad.optim;

/**
 * The Robbins–Monro schedule {@code lr = base/(1 + t/τ)}: Σ lr = ∞ and Σ lr² &lt; ∞, the
 * conditions under which SGD converges on a convex problem.
 *
 * <pre>{@code
 * jshell> var s = new InverseTimeLR(opt, 100f);   // halves by t = 100
 * }</pre>
 */
public final class InverseTimeLR extends LRScheduler {

    private final double tau;

    /**
     * Divides each group's rate by {@code 1 + t/tau}.
     *
     * @param optimizer the optimizer whose rates it sets
     * @param tau steps τ after which the rate is halved
     */
    public InverseTimeLR(Optimizer<?> optimizer, float tau) {
        super(check(optimizer, tau));
        this.tau = tau;
    }

    private static Optimizer<?> check(Optimizer<?> o, float tau) {
        if (!(tau > 0)) throw new IllegalArgumentException("InverseTimeLR: tau must be positive, got " + tau);
        return o;
    }

    @Override
    protected double lrAt(int t, double base) {
        return base / (1 + t / tau);
    }
}
