package org.jgrad.optim;

/**
 * Multiplies every group's rate by {@code factor} when a watched metric has not improved for
 * more than {@code patience} calls of {@link #step(float)}, as PyTorch's ReduceLROnPlateau in
 * relative-threshold mode: in MIN mode a value improves on the best if it is below
 * best·(1 − threshold). After a reduction, {@code cooldown} calls pass before counting again;
 * rates never go below {@code minLr}.
 *
 * <pre>{@code
 * jshell> var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.1f, 10);
 * jshell> s.step(validationLoss);
 * }</pre>
 */
public final class ReduceLROnPlateau {

    public enum Mode { MIN, MAX }

    private final Optimizer<?> optimizer;
    private final Mode mode;
    private final float factor, threshold, minLr;
    private final int patience, cooldown;
    private double best;
    private int bad, cooldownLeft;

    /** threshold 1e-4, no cooldown, minLr 0. */
    public ReduceLROnPlateau(Optimizer<?> optimizer, Mode mode, float factor, int patience) {
        this(optimizer, mode, factor, patience, 1e-4f, 0, 0f);
    }

    public ReduceLROnPlateau(Optimizer<?> optimizer, Mode mode, float factor, int patience, float threshold, int cooldown, float minLr) {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be ≥ 0, got " + patience + " and " + cooldown);
        }
        this.optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private boolean improves(double v) {
        return mode == Mode.MIN ? v < best * (1 - threshold) : v > best * (1 + threshold);   // PyTorch's 'rel' rule, sign and all
    }

    /** Reports the metric of one epoch. */
    public void step(float metric) {
        if (improves(metric)) {
            best = metric;
            bad = 0;
        } else {
            bad++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            bad = 0;
        }
        if (bad > patience) {
            for (ParamGroup g : optimizer.paramGroups()) g.setLr(Math.max(g.lr() * factor, minLr));
            cooldownLeft = cooldown;
            bad = 0;
        }
    }

    public float lastLr() {
        return optimizer.lr();
    }
}
