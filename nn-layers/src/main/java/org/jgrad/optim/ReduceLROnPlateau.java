package org.jgrad.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Multiplies every group's rate by {@code factor} when a watched metric has not improved for
 * more than {@code patience} calls of {@link #step(float)}, as PyTorch's ReduceLROnPlateau in
 * relative-threshold mode: in MIN mode a value improves on the best if it is below
 * best·(1 − threshold). After a reduction, {@code cooldown} calls pass before counting again;
 * rates never go below {@code minLr}.
 *
 * <p>Its state ({@link #stateDict()}) is the mode, the best value so far and the two counters
 * ({@code best}, {@code num_bad_epochs}, {@code cooldown_counter}); a
 * {@link org.jgrad.io.Checkpoint} saves it, so a resumed run is as far into a plateau as the
 * run that saved it.
 *
 * <pre>{@code
 * jshell> var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.1f, 10);
 * jshell> s.step(validationLoss);
 * }</pre>
 */
public final class ReduceLROnPlateau implements Scheduler {

    /** Which way the monitored metric should go. */
    public enum Mode {
        /** Lower is better, e.g. a loss. */
        MIN,
        /** Higher is better, e.g. an accuracy. */
        MAX
    }

    private final Optimizer<?> optimizer;
    private final Mode mode;
    private final float factor, threshold, minLr;
    private final int patience, cooldown;
    private double best;
    private int bad, cooldownLeft;

    /**
     * threshold 1e-4, no cooldown, minLr 0.
     *
     * @param optimizer the optimizer whose rates it lowers
     * @param mode whether the metric should go down or up
     * @param factor multiplies the rates on a plateau, in (0, 1)
     * @param patience epochs without improvement before the rates are lowered
     */
    public ReduceLROnPlateau(Optimizer<?> optimizer, Mode mode, float factor, int patience) {
        this(optimizer, mode, factor, patience, 1e-4f, 0, 0f);
    }

    /**
     * A scheduler that multiplies every rate by {@code factor} when the metric stops improving.
     *
     * @param optimizer the optimizer whose rates it lowers
     * @param mode whether the metric should go down or up
     * @param factor multiplies the rates on a plateau, in (0, 1)
     * @param patience epochs without improvement before the rates are lowered, ≥ 0
     * @param threshold smallest relative change that counts as an improvement
     * @param cooldown epochs to wait after a reduction before counting again, ≥ 0
     * @param minLr lowest rate a group is reduced to
     * @throws IllegalArgumentException if an option is out of range
     */
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

    /**
     * Reports the metric of one epoch.
     *
     * @param metric the epoch's value of the monitored metric
     */
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

    /**
     * The first group's current rate.
     *
     * @return the learning rate of group 0
     */
    public float lastLr() {
        return optimizer.lr();
    }

    /** {@code mode}, {@code best} (±Infinity before the first step), {@code num_bad_epochs} and {@code cooldown_counter}. */
    @Override
    public Map<String, String> stateDict() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("mode", mode.name());
        out.put("best", Double.toString(best));
        out.put("num_bad_epochs", Integer.toString(bad));
        out.put("cooldown_counter", Integer.toString(cooldownLeft));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        String who = "ReduceLROnPlateau";
        SchedulerStates.keys(who, state, Set.of("mode", "best", "num_bad_epochs", "cooldown_counter"));
        if (!mode.name().equals(state.get("mode"))) {
            throw new IllegalArgumentException(who + ".loadStateDict: 'mode' is '" + state.get("mode") + "'; expected " + mode
                    + ", the mode of this scheduler");
        }
        double b = SchedulerStates.number(who, state, "best");
        double start = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        if (Double.isInfinite(b) && b != start) {
            throw new IllegalArgumentException(who + ".loadStateDict: 'best' is '" + state.get("best") + "'; expected a finite number, or "
                    + start + " before the first step in " + mode + " mode");
        }
        int n = SchedulerStates.count(who, state, "num_bad_epochs"), c = SchedulerStates.count(who, state, "cooldown_counter");
        best = b;
        bad = n;
        cooldownLeft = c;
    }
}
