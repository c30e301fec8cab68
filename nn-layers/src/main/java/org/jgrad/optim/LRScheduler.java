package org.jgrad.optim;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A learning-rate schedule given in closed form: after {@code t} calls of {@link #step()}, each
 * group's rate is {@code lrAt(t, base)} where base is the rate the group had when the schedule
 * was made. A schedule whose rate at t = 0 is not the base (a warm-up) calls {@link #start()} at
 * the end of its constructor, as PyTorch applies t = 0 on construction. Call {@code step()} once per epoch (or
 * per iteration, if the schedule is counted in iterations), after {@code optimizer.step()}.
 *
 * <p>Its state ({@link #stateDict()}) is t ({@code last_epoch}) and the base rates
 * ({@code base_lrs.<g>}); a {@link org.jgrad.io.Checkpoint} saves it, so a resumed run goes on
 * from step t rather than from 0. Loading it does not touch the optimizer's rates (they are the
 * optimizer's state).
 *
 * <pre>{@code
 * jshell> var sched = new StepLR(opt, 30, 0.1f);
 * jshell> for (int epoch = 0; epoch < 90; epoch++) { train(); sched.step(); }
 * }</pre>
 */
public abstract class LRScheduler implements Scheduler {

    private final Optimizer<?> optimizer;
    private final float[] base;
    private int t;

    /**
     * A schedule of {@code optimizer}'s learning rates, starting from each group's current rate.
     *
     * @param optimizer the optimizer whose rates it sets
     */
    protected LRScheduler(Optimizer<?> optimizer) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        base = new float[groups.size()];
        for (int g = 0; g < base.length; g++) base[g] = groups.get(g).lr();
    }

    /** Applies the rate of t = 0 (for subclasses, once their fields are set). */
    protected final void start() {
        apply();
    }

    /**
     * The rate after {@code t} steps for a group that started at {@code base}.
     *
     * @param t steps taken, from 0
     * @param base the group's initial rate
     * @return the rate
     */
    protected abstract double lrAt(int t, double base);

    /** Counts one step and sets every group's rate to {@link #lrAt} of the new count. */
    public final void step() {
        t++;
        apply();
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < base.length; g++) groups.get(g).setLr((float) lrAt(t, base[g]));
    }

    /**
     * Number of steps taken.
     *
     * @return the step count
     */
    public final int epoch() {
        return t;
    }

    /**
     * The first group's current rate.
     *
     * @return the learning rate of group 0
     */
    public final float lastLr() {
        return optimizer.lr();
    }

    private String who() {
        return getClass().getSimpleName();
    }

    /** {@code last_epoch} (t) and {@code base_lrs.<g>}, one per parameter group. */
    @Override
    public final Map<String, String> stateDict() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("last_epoch", Integer.toString(t));
        for (int g = 0; g < base.length; g++) out.put("base_lrs." + g, Float.toString(base[g]));
        return out;
    }

    @Override
    public final void loadStateDict(Map<String, String> state) {
        Set<String> expected = new LinkedHashSet<>();
        expected.add("last_epoch");
        for (int g = 0; g < base.length; g++) expected.add("base_lrs." + g);
        SchedulerStates.keys(who(), state, expected);
        int last = SchedulerStates.count(who(), state, "last_epoch");
        float[] rates = new float[base.length];
        for (int g = 0; g < base.length; g++) rates[g] = SchedulerStates.rate(who(), state, "base_lrs." + g);
        t = last;
        System.arraycopy(rates, 0, base, 0, base.length);
    }
}
