package org.jgrad.optim;

/**
 * {@code lr = base·γ^⌊t / stepSize⌋}: multiply by γ every stepSize steps.
 *
 * <pre>{@code
 * jshell> var s = new StepLR(opt, 30, 0.1f);   // 0.1 → 0.01 at t = 30 → 0.001 at t = 60
 * }</pre>
 */
public final class StepLR extends LRScheduler {

    private final int stepSize;
    private final double gamma;

    /**
     * Multiplies each group's rate by {@code gamma} every {@code stepSize} steps.
     *
     * @param optimizer the optimizer whose rates it sets
     * @param stepSize steps between reductions, positive
     * @param gamma the factor γ
     */
    public StepLR(Optimizer<?> optimizer, int stepSize, float gamma) {
        super(check(optimizer, stepSize));
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    private static Optimizer<?> check(Optimizer<?> o, int stepSize) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step size must be positive, got " + stepSize);
        return o;
    }

    @Override
    protected double lrAt(int t, double base) {
        return base * Math.pow(gamma, t / stepSize);
    }
}
