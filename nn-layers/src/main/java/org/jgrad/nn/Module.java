package org.jgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;

/**
 * A piece of a network: a {@link #forward} function plus the parameters, buffers and submodules
 * it registered, shaped like PyTorch's {@code nn.Module}.
 *
 * <p>Registration is explicit — a subclass calls {@link #registerParameter}, {@link #registerBuffer}
 * and {@link #registerModule} in its constructor — so the order of {@link #parameters()} is the
 * order of registration and the dotted names of {@link #namedParameters()} ({@code "0.weight"},
 * {@code "fc1.bias"}) are the keys of a PyTorch state dict or a safetensors file.
 *
 * <pre>{@code
 * jshell> var net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
 * jshell> net.numParameters()
 * $2 ==> 26
 * jshell> net.namedParameters().keySet()
 * $3 ==> [0.weight, 0.bias, 2.weight, 2.bias]
 * }</pre>
 *
 * A custom module in a few lines: subclass and register, or wrap a lambda in a {@link Lambda}.
 */
public abstract class Module {
    /** For subclasses, which register their parameters, buffers and submodules in their constructors. */
    public Module() {}

    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * Computes this module's output; the input's shape contract is in each layer's javadoc.
     *
     * @param x input batch
     * @return the output, recorded for autograd when a parameter or {@code x} requires grad
     */
    public abstract Tensor forward(Tensor x);

    // ---------------------------------------------------------------- registration

    /**
     * Registers {@code t} as a parameter named {@code name}, marks it as requiring grad and returns it.
     *
     * @param name key under which it appears, non-empty and without '.'
     * @param t leaf tensor to train
     * @return {@code t}
     * @throws IllegalArgumentException if the name is invalid or taken, or {@code t} is not a leaf
     */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        if (!t.isLeaf()) throw new IllegalArgumentException(describe() + ": parameter '" + name + "' must be a leaf tensor");
        params.put(name, t.requiresGrad());
        return t;
    }

    /**
     * Registers state that is saved with the module but not trained (BatchNorm's running statistics).
     *
     * @param name key under which it appears, non-empty and without '.'
     * @param t tensor to save and load with the parameters
     * @return {@code t}
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /**
     * Registers a submodule; its parameters appear under {@code name + "."}.
     *
     * @param <M> the submodule's type
     * @param name key prefix of its parameters, non-empty and without '.'
     * @param m the submodule
     * @return {@code m}
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(describe() + ": name '" + name + "' must be non-empty and contain no '.'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(describe() + ": '" + name + "' is already registered");
        }
    }

    // ---------------------------------------------------------------- traversal

    /**
     * All trainable tensors, in registration order, each once (a shared parameter appears once).
     *
     * @return a new list of the parameters (the tensors themselves, not copies)
     */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters under their dotted names, in registration order; a shared tensor keeps its first name.
     *
     * @return a new map from dotted name to parameter
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean withBuffers) {
        for (var e : params.entrySet()) if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        if (withBuffers) for (var e : buffers.entrySet()) if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out, seen, withBuffers);
    }

    /**
     * Direct submodules by name, in registration order.
     *
     * @return an unmodifiable view of the submodules
     */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Total number of trainable scalars.
     *
     * @return the sum of the parameters' element counts
     */
    public final long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    // ---------------------------------------------------------------- mode and gradients

    /**
     * Training mode (the default): Dropout drops, BatchNorm uses and updates batch statistics.
     *
     * @return this module
     */
    public Module train() {
        return train(true);
    }

    /**
     * Sets training or evaluation mode on this module and all its submodules.
     *
     * @param on true for training mode, false for evaluation mode
     * @return this module
     */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    /**
     * Evaluation mode: Dropout is the identity, BatchNorm uses its running statistics.
     *
     * @return this module
     */
    public Module eval() {
        return train(false);
    }

    /**
     * The outputs for {@code x} as a trained model gives them (Keras' {@code predict}; in PyTorch,
     * {@code model.eval()} and {@code torch.no_grad()} around a forward): evaluation mode, no
     * autograd graph; each module's mode is put back as it was afterwards.
     *
     * <pre>{@code
     * jshell> var net = new Sequential(new Linear(4, 3, new SplittableRandom(1)), new Dropout(0.5f))
     * jshell> net.predict(Tensor.ones(2, 4)).shape()
     * $2 ==> int[2] { 2, 3 }
     * }</pre>
     *
     * @param x a batch of inputs
     * @return the outputs, not connected to any graph
     */
    public final Tensor predict(Tensor x) {
        List<Module> all = new ArrayList<>();
        collect(this, all);
        boolean[] was = new boolean[all.size()];
        for (int i = 0; i < was.length; i++) was[i] = all.get(i).training;
        eval();
        try (var off = GradMode.off()) {
            return forward(x);
        } finally {
            for (int i = 0; i < was.length; i++) all.get(i).training = was[i];
        }
    }

    /**
     * The predicted class of each input: the index of the largest output along dimension 1 (first
     * on ties), from {@link #predict}.
     *
     * @param x a batch of inputs
     * @return one class index per input
     * @throws IllegalArgumentException if the outputs are not {@code [N, C]} class scores
     */
    public final int[] predictClasses(Tensor x) {
        Tensor out = predict(x);
        if (out.rank() != 2) {
            throw new IllegalArgumentException("predictClasses: expected outputs [N, C] of class scores, got shape "
                    + Arrays.toString(out.shape()));
        }
        float[] idx = out.argmax(1).data();
        int[] classes = new int[idx.length];
        for (int i = 0; i < idx.length; i++) classes[i] = (int) idx[i];
        return classes;
    }

    private static void collect(Module m, List<Module> into) {
        into.add(m);
        for (Module c : m.children.values()) collect(c, into);
    }

    /**
     * Whether this module itself (not its children) changes state of its own during a forward in
     * training mode — BatchNorm's running statistics, Dropout's random stream. The {@code Trainer}
     * then runs a batch's shards one after another, in shard order, so that the state evolves the
     * same way on any thread count. A custom module with such state returns true.
     *
     * @return true if a forward in training mode changes this module's own state
     */
    public boolean changesStateInTraining() {
        return false;
    }

    /**
     * Whether this module is in training mode.
     *
     * @return true in training mode, false in evaluation mode
     */
    public final boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ---------------------------------------------------------------- state dict

    /**
     * Parameters and buffers under their dotted names, sharing storage with the module.
     *
     * @return a new map from dotted name to a tensor sharing the parameter's or buffer's storage
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), true);
        out.replaceAll((k, t) -> t.detach());
        return out;
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers. Strict: every
     * name must be present with the right shape and no other name may appear; otherwise nothing
     * is copied and the error lists the missing, unexpected and mis-shaped names.
     *
     * @param state tensors by dotted name, as {@link #stateDict()} gives them
     * @throws IllegalArgumentException if a name is missing or unexpected or a shape differs
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        collect("", own, Collections.newSetFromMap(new IdentityHashMap<>()), true);
        List<String> missing = new ArrayList<>(), misShaped = new ArrayList<>();
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) missing.add(e.getKey());
            else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                misShaped.add(e.getKey() + " (expected " + Arrays.toString(e.getValue().shape()) + ", got "
                        + Arrays.toString(src.shape()) + ")");
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            StringBuilder sb = new StringBuilder(describe()).append(".loadStateDict: state dict does not match");
            if (!missing.isEmpty()) sb.append("; missing: ").append(missing);
            if (!unexpected.isEmpty()) sb.append("; unexpected: ").append(unexpected);
            if (!misShaped.isEmpty()) sb.append("; wrong shape: ").append(misShaped);
            throw new IllegalArgumentException(sb.toString());
        }
        for (var e : own.entrySet()) {
            float[] src = state.get(e.getKey()).toArray();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }

    // ---------------------------------------------------------------- description

    /**
     * The layer's arguments as they print, e.g. {@code "784→10"} for a Linear; empty by default.
     *
     * @return the arguments, without parentheses
     */
    protected String extraRepr() {
        return "";
    }

    /**
     * One line: the class name and its arguments, e.g. {@code Linear(784→10)}.
     *
     * @return the description, such as {@code Linear(784→10)}
     */
    public String describe() {
        return getClass().getSimpleName() + "(" + extraRepr() + ")";
    }

    @Override
    public String toString() {
        if (children.isEmpty()) return describe();
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(\n");
        // the module's own arguments first, then its children, as PyTorch prints a module
        String own = extraRepr();
        if (!own.isEmpty()) sb.append("  ").append(own.replace("\n", "\n  ")).append('\n');
        for (var e : children.entrySet()) {
            sb.append("  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  ")).append('\n');
        }
        return sb.append(')').toString();
    }

    /**
     * Runs a zero input of {@code inputShape} through the module (in eval mode, recording no graph)
     * and returns a table of each layer with its output shape and parameter count, then the total
     * (print it: {@code System.out.print(model.summary(1, 1, 28, 28))}, like Keras' {@code summary()}).
     * Without a shape ({@code model.summary()}) nothing runs and the table has no output shapes:
     * the layers and their parameter counts (jgrad's Jupyter kernel shows a module this way).
     *
     * @param inputShape shape of one input, including the batch dimension; none for the table without shapes
     * @return the table, lines ending in a line separator
     */
    public final String summary(int... inputShape) {
        boolean shapes = inputShape.length > 0;
        boolean wasTraining = training;
        List<String[]> rows = new ArrayList<>();
        eval();
        Tensor out;
        try (var off = GradMode.off()) {
            out = summarize("", shapes ? Tensor.zeros(inputShape) : null, rows);
        } finally {
            train(wasTraining);
        }
        if (rows.isEmpty()) rows.add(new String[] {describe(), shapeOf(out), Long.toString(numParameters())});
        int w0 = "Layer".length(), w1 = "Output shape".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        String fmt = shapes ? "%-" + w0 + "s  %-" + w1 + "s  %s%n" : "%-" + w0 + "s  %3$s%n";
        StringBuilder sb = new StringBuilder(String.format(fmt, "Layer", "Output shape", "Params"));
        if (shapes) sb.append(String.format(fmt, "input", Arrays.toString(inputShape), ""));
        for (String[] r : rows) sb.append(String.format(fmt, r[0], r[1], r[2]));
        sb.append(String.format("Total parameters: %d%n", numParameters()));
        return sb.toString();
    }

    /** A summary row's output shape: the tensor's, or empty when the summary runs no input. */
    static String shapeOf(Tensor y) {
        return y == null ? "" : Arrays.toString(y.shape());
    }

    /**
     * Forward for {@link #summary}: containers that run their children one after another
     * (Sequential) override this to add one row per child; other modules add one row.
     *
     * @param prefix name of this module within its container, or empty at the top
     * @param x input, or null for a summary without shapes (then nothing runs and the output is null)
     * @param rows table to append rows of {name, output shape, parameter count} to
     * @return the output of the forward, null when {@code x} is null
     */
    protected Tensor summarize(String prefix, Tensor x, List<String[]> rows) {
        Tensor y = x == null ? null : forward(x);
        String name = prefix.isEmpty() ? describe() : prefix + ": " + describe();
        rows.add(new String[] {name, shapeOf(y), Long.toString(numParameters())});
        return y;
    }
}
