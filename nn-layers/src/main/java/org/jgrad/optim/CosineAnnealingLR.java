package org.jgrad.optim;

/**
 * {@code lr = ηmin + (base − ηmin)·(1 + cos(π·t/T))/2} for t ≤ T, then ηmin (the closed form of
 * PyTorch's CosineAnnealingLR, without restarts).
 *
 * <pre>{@code
 * jshell> var s = new CosineAnnealingLR(opt, 100, 0f);
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {

    private final int tMax;
    private final double etaMin;

    /**
     * Cosine annealing from each group's rate down to {@code etaMin}.
     *
     * @param optimizer the optimizer whose rates it sets
     * @param tMax steps T to reach {@code etaMin}
     * @param etaMin the final rate ηmin
     */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, float etaMin) {
        super(check(optimizer, tMax));
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    private static Optimizer<?> check(Optimizer<?> o, int tMax) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        return o;
    }

    @Override
    protected double lrAt(int t, double base) {
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * Math.min(t, tMax) / tMax)) / 2;
    }
}
