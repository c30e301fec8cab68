package org.jgrad.optim;

/**
 * {@code lr = base·γᵗ}.
 *
 * <pre>{@code
 * jshell> var s = new ExponentialLR(opt, 0.95f);
 * }</pre>
 */
public final class ExponentialLR extends LRScheduler {

    private final double gamma;

    /**
     * Multiplies each group's rate by {@code gamma} every step.
     *
     * @param optimizer the optimizer whose rates it sets
     * @param gamma the factor γ
     */
    public ExponentialLR(Optimizer<?> optimizer, float gamma) {
        super(optimizer);
        this.gamma = gamma;
    }

    @Override
    protected double lrAt(int t, double base) {
        return base * Math.pow(gamma, t);
    }
}
