package org.jgrad.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrad.core.GradMode;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;

/**
 * The base of the optimizers: it owns the parameter groups, validates them, clears gradients,
 * walks the parameters in {@link #step()} and keeps each parameter's state, keyed by the
 * parameter object itself. A subclass holds only the update math ({@link #update}) and its
 * state type, which for the optimizers here is a {@link Buffers}: a step count plus the
 * buffers the math reads as typed fields, named once for the state dict.
 *
 * <p>{@link #stateDict()} uses PyTorch's layout with flat names: {@code "state.<i>.<name>"}
 * for parameter i (counted across groups in order) and {@code "param_groups.<g>.lr"} /
 * {@code ".weight_decay"}. {@link #loadStateDict} checks the whole dict before it changes
 * anything: every rate finite and ≥ 0, every state tensor finite and of its parameter's shape,
 * each {@code step} a whole number ≥ 0, and a parameter's state complete (all of its tensors or
 * none — a dict that dropped, say, SGD's {@code momentum_buffer} is refused rather than
 * resumed from zeros).
 *
 * <pre>{@code
 * jshell> var opt = new SGD(model.parameters(), 0.1f).momentum(0.9f);
 * jshell> opt.zeroGrad(); loss.backward(); opt.step();
 * }</pre>
 *
 * @param <S> the per-parameter state
 */
public abstract class Optimizer<S extends Optimizer.State> {

    /** Per-parameter state; its tensors are live and named for the state dict. */
    public interface State {
        /**
         * The state's tensors by name, live (not copies), in the order they are saved.
         *
         * @return a map from buffer name to tensor
         */
        Map<String, Tensor> tensors();
    }

    /**
     * The state every optimizer here keeps: a step count, saved as {@code "step"}, and buffers of
     * the parameter's shape, created zero by {@link #buffer} under their PyTorch names and saved
     * after it in creation order. A subclass keeps the buffers in fields for its update math; the
     * names serve only the state dict.
     */
    public abstract static class Buffers implements State {
        private final Tensor step = Tensor.zeros(1);
        private final Map<String, Tensor> named = new LinkedHashMap<>();

        /** A state with the step count at 0 and no buffers yet. */
        protected Buffers() {
            named.put(STEP, step);
        }

        /**
         * A new zero buffer of {@code p}'s shape, saved as {@code name}.
         *
         * @param name the buffer's name in the state dict, e.g. {@code "exp_avg"}
         * @param p the parameter whose shape it takes
         * @return the new buffer
         * @throws IllegalArgumentException if a buffer of that name was already made
         */
        protected final Tensor buffer(String name, Tensor p) {
            Tensor t = Tensor.zeros(p.shape());
            if (named.putIfAbsent(name, t) != null) throw new IllegalArgumentException(getClass().getName() + ": buffer '" + name + "' is made twice");
            return t;
        }

        /**
         * The number of steps taken with this state.
         *
         * @return the step count, 0 before the first step
         */
        public final int steps() {
            return (int) step.data()[0];
        }

        /**
         * Counts one more step and returns the new count, 1 on the first step (Adam's t).
         *
         * @return the step count after this step
         */
        protected final int countStep() {
            return (int) ++step.data()[0];
        }

        @Override
        public final Map<String, Tensor> tensors() {
            return Collections.unmodifiableMap(named);
        }
    }

    /** The state-dict name of the step count, which {@link #loadStateDict} checks is a whole number. */
    private static final String STEP = "step";

    private final String name;
    private final List<ParamGroup> groups;
    private final Map<Tensor, S> state = new IdentityHashMap<>();

    /**
     * Checks and takes the parameter groups.
     *
     * @param name the optimizer's name in error messages, e.g. {@code "SGD"}
     * @param groups the parameter groups, none empty, no parameter twice
     * @param lr learning rate of every group that sets none of its own, finite and ≥ 0
     * @throws IllegalArgumentException if a rate is invalid, a group is empty, or a parameter is not a leaf requiring grad or appears twice
     */
    protected Optimizer(String name, List<ParamGroup> groups, float lr) {
        this.name = name;
        if (!(lr >= 0) || Float.isInfinite(lr)) throw new IllegalArgumentException(name + ": learning rate must be finite and ≥ 0, got " + lr);
        if (groups.isEmpty()) throw new IllegalArgumentException(name + ": got no parameters to optimize");
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            if (group.params().isEmpty()) throw new IllegalArgumentException(name + ": parameter group " + g + " is empty");
            for (Tensor p : group.params()) {
                if (!p.isLeaf() || !p.isRequiresGrad()) {
                    throw new IllegalArgumentException(name + ": every parameter must be a leaf tensor that requires grad; one of shape "
                            + Arrays.toString(p.shape()) + " in group " + g + " is not");
                }
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(name + ": a parameter of shape " + Arrays.toString(p.shape())
                            + " appears more than once (group " + g + ")");
                }
            }
            group.inherit(lr, 0f);
            if (!(group.lr() >= 0)) throw new IllegalArgumentException(name + ": learning rate of group " + g + " must be ≥ 0, got " + group.lr());
        }
        this.groups = List.copyOf(groups);
    }

    /**
     * The optimizer as PyTorch prints one: its name and settings, then each parameter group, e.g.
     * <pre>
     * SGD (momentum 0.9, dampening 0, nesterov false)
     *   group 0: 6 tensors, 535,818 values; lr 0.1, weight decay 0
     * </pre>
     *
     * @return a description of the optimizer and its parameter groups
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        String own = settings();
        if (!own.isEmpty()) sb.append(" (").append(own).append(')');
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            long values = 0;
            for (Tensor p : group.params()) values += p.numel();
            sb.append(String.format(java.util.Locale.ROOT, "%n  group %d: %d tensor%s, %,d values; lr %s, weight decay %s", g,
                    group.params().size(), group.params().size() == 1 ? "" : "s", values, number(group.lr()), number(group.weightDecay())));
        }
        return sb.toString();
    }

    /**
     * The optimizer's own hyperparameters for {@link #toString()}, e.g. {@code "momentum 0.9, nesterov false"}.
     *
     * @return the settings, empty when there are none beyond the groups' rates
     */
    protected String settings() {
        return "";
    }

    /**
     * A setting as a person writes it: {@code 0.9}, {@code 0}, {@code 1e-08} (the shortest float text).
     *
     * @param v the value
     * @return its text
     */
    protected static String number(float v) {
        if (v == (long) v && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Float.toString(v).replace("E", "e");
    }

    /**
     * One group holding {@code params}.
     *
     * @param params the parameters
     * @return a one-element list
     */
    protected static List<ParamGroup> single(List<Tensor> params) {
        return List.of(new ParamGroup(params));
    }

    /**
     * A new, zeroed state for parameter {@code p}.
     *
     * @param p the parameter
     * @return its state before the first step
     */
    protected abstract S newState(Tensor p);

    /**
     * Updates one parameter in place: {@code w} its values, {@code g} its gradient (read only).
     * Runs with the graph off.
     *
     * @param group the parameter's group, with its learning rate and weight decay
     * @param w the parameter's values, written in place
     * @param g the parameter's gradient
     * @param state the parameter's state, updated in place
     */
    protected abstract void update(ParamGroup group, float[] w, float[] g, S state);

    /** Elements per chunk of an update: 128 KiB of each array, so a chunk's arrays stay in L2. */
    private static final int UPDATE_GRAIN = 1 << 15;

    /**
     * Runs an element-wise update over {@code [0, n)} in chunks of a fixed size, in parallel when
     * there is more than one. Each element's update reads and writes only that element, so the
     * values are the same for any thread count.
     *
     * @param n number of elements
     * @param body the update of a range {@code [from, to)}
     */
    protected static void forEachRange(int n, Parallel.RangeBody body) {
        Parallel.forRange(n, UPDATE_GRAIN, body);
    }

    /** Checks option combinations once per step (options are set fluently, in any order). */
    protected void validate() {}

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        validate();
        try (var off = GradMode.off()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    float[] grad = p.gradData();   // read in place, so the next backward can reuse the array
                    if (grad == null) continue;
                    update(group, p.data(), grad, state.computeIfAbsent(p, this::newState));
                }
            }
        }
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (ParamGroup group : groups) for (Tensor p : group.params()) p.zeroGrad();
    }

    /**
     * The parameter groups, in the order given.
     *
     * @return an unmodifiable list of the groups
     */
    public final List<ParamGroup> paramGroups() {
        return groups;
    }

    /**
     * The first group's learning rate.
     *
     * @return the learning rate of group 0
     */
    public final float lr() {
        return groups.get(0).lr();
    }

    /**
     * Sets every group's learning rate.
     *
     * @param lr the new learning rate
     */
    public final void setLr(float lr) {
        for (ParamGroup g : groups) g.setLr(lr);
    }

    /**
     * Sets the weight decay of every group that has none of its own.
     *
     * @param weightDecay decay factor, finite and ≥ 0
     * @throws IllegalArgumentException if {@code weightDecay} is negative, NaN or infinite
     */
    protected final void setDefaultWeightDecay(float weightDecay) {
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(name + ": weight decay must be finite and ≥ 0, got " + weightDecay);
        }
        for (ParamGroup g : groups) g.inheritWeightDecay(weightDecay);
    }

    /**
     * Returns {@code value} if it is ≥ 0 (NaN is not), for the options' setters; otherwise says which option.
     *
     * @param option the option's name for the error message
     * @param value the value to check
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is negative or NaN
     */
    protected final float nonNegative(String option, float value) {
        if (!(value >= 0)) throw new IllegalArgumentException(name + ": " + option + " must be ≥ 0, got " + value);
        return value;
    }

    /**
     * The optimizer's name, as given to the constructor.
     *
     * @return the name used in error messages
     */
    protected final String name() {
        return name;
    }

    /**
     * The state of {@code p}, or null before its first step.
     *
     * @param p a parameter of this optimizer
     * @return its live state, or null
     */
    public final S state(Tensor p) {
        return state.get(p);
    }

    private List<Tensor> allParams() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup g : groups) all.addAll(g.params());
        return all;
    }

    /**
     * Learning rates, weight decays and every parameter's state, as copies.
     *
     * @return a new map from flat name to a copied tensor
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            out.put("param_groups." + g + ".lr", Tensor.scalar(groups.get(g).lr()));
            out.put("param_groups." + g + ".weight_decay", Tensor.scalar(groups.get(g).weightDecay()));
        }
        List<Tensor> all = allParams();
        for (int i = 0; i < all.size(); i++) {
            S s = state.get(all.get(i));
            if (s == null) continue;
            for (var e : s.tensors().entrySet()) out.put("state." + i + "." + e.getKey(), Tensor.of(e.getValue().toArray(), e.getValue().shape()));
        }
        return out;
    }

    /**
     * Restores what {@link #stateDict()} saved. Names, shapes or values that do not fit (see the
     * class comment) are an {@link IllegalArgumentException} naming them, and leave the optimizer
     * as it was.
     *
     * @param dict what {@link #stateDict()} returned, possibly after a save and load
     * @throws IllegalArgumentException if the dict does not fit this optimizer
     */
    public final void loadStateDict(Map<String, Tensor> dict) {
        List<Tensor> all = allParams();
        Map<Tensor, S> loaded = new IdentityHashMap<>();
        Map<Tensor, Set<String>> given = new IdentityHashMap<>();
        float[] lrs = new float[groups.size()], wds = new float[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            lrs[g] = scalar(dict, "param_groups." + g + ".lr");
            wds[g] = scalar(dict, "param_groups." + g + ".weight_decay");
        }
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("param_groups.")) {
                if (!key.matches("param_groups\\.\\d+\\.(lr|weight_decay)") || Integer.parseInt(key.split("\\.")[1]) >= groups.size()) {
                    throw new IllegalArgumentException(name + ".loadStateDict: unexpected entry '" + key + "'");
                }
                continue;
            }
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state") || !parts[1].matches("\\d+") || Integer.parseInt(parts[1]) >= all.size()) {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected entry '" + key + "' (this optimizer has "
                        + all.size() + " parameters)");
            }
            Tensor p = all.get(Integer.parseInt(parts[1]));
            Tensor target = loaded.computeIfAbsent(p, this::newState).tensors().get(parts[2]);
            if (target == null) throw new IllegalArgumentException(name + ".loadStateDict: unexpected state '" + key + "'");
            if (!Arrays.equals(target.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' has shape " + Arrays.toString(e.getValue().shape())
                        + ", expected " + Arrays.toString(target.shape()));
            }
            float[] src = e.getValue().toArray();
            for (int i = 0; i < src.length; i++) {
                if (!Float.isFinite(src[i])) {
                    throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' holds " + src[i] + " at index " + i
                            + "; expected finite values");
                }
            }
            if (parts[2].equals(STEP) && (src.length != 1 || !(src[0] >= 0) || src[0] != Math.rint(src[0]))) {
                throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' is " + Arrays.toString(src)
                        + "; expected one whole number ≥ 0");
            }
            System.arraycopy(src, 0, target.data(), 0, src.length);
            given.computeIfAbsent(p, k -> new java.util.LinkedHashSet<>()).add(parts[2]);
        }
        for (int i = 0; i < all.size(); i++) {
            Set<String> have = given.get(all.get(i));
            if (have == null) continue;                     // no state: the parameter has not been stepped
            Set<String> want = loaded.get(all.get(i)).tensors().keySet();
            if (!have.containsAll(want)) {
                List<String> lacking = new ArrayList<>(want);
                lacking.removeAll(have);
                throw new IllegalArgumentException(name + ".loadStateDict: the state of parameter " + i + " lacks " + lacking
                        + " (it has " + have + "); expected all of " + want + " or none");
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).setLr(lrs[g]);
            groups.get(g).setWeightDecay(wds[g]);
        }
        state.clear();
        state.putAll(loaded);
    }

    private float scalar(Map<String, Tensor> dict, String key) {
        Tensor t = dict.get(key);
        if (t == null) throw new IllegalArgumentException(name + ".loadStateDict: missing '" + key + "'");
        float v = t.numel() == 1 ? t.toArray()[0] : Float.NaN;
        if (!(v >= 0) || Float.isInfinite(v)) {
            throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' is " + Arrays.toString(t.toArray())
                    + "; expected one finite value ≥ 0");
        }
        return v;
    }
}
