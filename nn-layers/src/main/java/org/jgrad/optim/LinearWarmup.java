package org.jgrad.optim;

/**
 * Linear warm-up: {@code lr = base·(f + (1 − f)·min(t, W)/W)}, rising from f·base to base over
 * W steps and staying there (PyTorch's LinearLR with endFactor 1).
 *
 * <pre>{@code
 * jshell> var s = new LinearWarmup(opt, 1000, 0.01f);
 * }</pre>
 */
public final class LinearWarmup extends LRScheduler {

    private final int warmupSteps;
    private final double startFactor;

    /**
     * Raises each group's rate linearly from {@code startFactor} times its value to its value.
     *
     * @param optimizer the optimizer whose rates it sets
     * @param warmupSteps steps W of the warm-up
     * @param startFactor the factor f at step 0
     */
    public LinearWarmup(Optimizer<?> optimizer, int warmupSteps, float startFactor) {
        super(check(optimizer, warmupSteps, startFactor));
        this.warmupSteps = warmupSteps;
        this.startFactor = startFactor;
        start();
    }

    private static Optimizer<?> check(Optimizer<?> o, int w, float f) {
        if (w <= 0) throw new IllegalArgumentException("LinearWarmup: warm-up steps must be positive, got " + w);
        if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("LinearWarmup: start factor must be in (0, 1], got " + f);
        return o;
    }

    @Override
    protected double lrAt(int t, double base) {
        return base * (startFactor + (1 - startFactor) * Math.min(t, warmupSteps) / warmupSteps);
    }
}
