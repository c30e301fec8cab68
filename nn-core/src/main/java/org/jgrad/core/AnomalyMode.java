package org.jgrad.core;

import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.ops.FloatArray;
import org.jgrad.core.ops.Shapes;

/**
 * Anomaly detection for autograd, like {@code torch.autograd.detect_anomaly}: while it is on, the
 * backward pass checks the gradients each op returns and throws at the first NaN or infinity,
 * naming the op, the input, the shapes and the element, with the op's forward call (its stack) as
 * the exception's cause. By default {@link #on()} also checks the output of every op recorded in
 * a graph as it is computed, and throws when an op turns finite inputs into a NaN or infinity
 * ({@code log} of 0, a division by 0) — the earliest place to catch it; {@link #on(boolean) on(false)}
 * checks the backward only, as PyTorch does.
 *
 * <pre>{@code
 * jshell> try (var anomaly = AnomalyMode.on()) { loss.backward(); }
 * |  Exception java.lang.IllegalStateException: AnomalyMode: the backward of 'sqrt' returned Infinity at element 1 …
 * }</pre>
 *
 * <p>Off by default, and then it costs one read of a flag per recorded op and per backward pass.
 * On, it scans every gradient (and output) and records a stack trace per op: for debugging, not
 * for training runs. Unlike {@link GradMode} the switch is global, not per thread: the Trainer
 * runs its shards' forward and backward on pool threads, which must see the switch the user's
 * thread turned on (PyTorch's anomaly mode is global too). Scopes restore the previous state when
 * closed; opened from several threads at once, they restore in whatever order they close.
 */
public final class AnomalyMode {

    /** Off, backward checks, backward and forward checks. */
    private static final int OFF = 0, BACKWARD = 1, FORWARD = 2;

    private static volatile int level = OFF;

    private AnomalyMode() {}

    /** A scope that restores the previous mode when closed; {@code close()} throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Whether the backward pass checks gradients (false by default).
     *
     * @return true while checks are on
     */
    public static boolean isEnabled() {
        return level != OFF;
    }

    /**
     * Whether the outputs of recorded ops are checked as they are computed.
     *
     * @return true at the forward level
     */
    public static boolean checksForward() {
        return level == FORWARD;
    }

    /**
     * Checks the backward and the forward of recorded ops until the scope is closed.
     *
     * @return a scope that restores the previous level when closed
     */
    public static Scope on() {
        return set(FORWARD);
    }

    /**
     * Checks the backward, and with {@code checkForward} the forward of recorded ops, until the scope is closed.
     *
     * @param checkForward true to check the forward as well
     * @return a scope that restores the previous level when closed
     */
    public static Scope on(boolean checkForward) {
        return set(checkForward ? FORWARD : BACKWARD);
    }

    /**
     * No checks until the scope is closed (inside an {@link #on()} block).
     *
     * @return a scope that restores the previous level when closed
     */
    public static Scope off() {
        return set(OFF);
    }

    private static Scope set(int l) {
        int previous = level;
        level = l;
        return () -> level = previous;
    }

    // ---------------------------------------------------------------- used by Autograd

    /** The level, read once per recorded op by {@link Autograd#apply}: 0 when off. */
    static int level() {
        return level;
    }

    /** A recorded op, when on: checks its output (with forward checks) and keeps its forward call for the backward's errors. */
    static void recorded(Autograd.Node node, FloatArray[] inputs, FloatArray out) {
        if (level == FORWARD) checkForward(node.name, inputs, out);
        node.trace = new Throwable("the forward of '" + node.name + "', called here");
    }

    /** Throws if {@code out} holds a NaN or infinity although every input is finite (else the op only passed it on). */
    static void checkForward(String op, FloatArray[] inputs, FloatArray out) {
        int bad = firstNonFinite(out);
        if (bad < 0) return;
        for (FloatArray in : inputs) if (firstNonFinite(in) >= 0) return;
        StringBuilder shapes = new StringBuilder(), where = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            shapes.append(i == 0 ? "" : i == inputs.length - 1 ? " and " : ", ").append(Shapes.str(inputs[i].shape()));
            if (java.util.Arrays.equals(inputs[i].shape(), out.shape())) {
                where.append(where.length() == 0 ? ", where " : " and ").append("input ").append(i).append(" is ")
                        .append(inputs[i].data()[bad]);
            }
        }
        throw new IllegalStateException("AnomalyMode: the forward of '" + op + "' returned " + out.data()[bad] + " at element " + bad
                + " of its output (shape " + Shapes.str(out.shape()) + ") from " + (inputs.length == 1 ? "a finite input (shape "
                : "finite inputs (shapes ") + shapes + ")" + where);
    }

    /** Throws if the gradient a caller passed to backward holds a NaN or infinity. */
    static void checkSeed(String op, FloatArray seed) {
        int bad = firstNonFinite(seed);
        if (bad >= 0) {
            throw new IllegalStateException("AnomalyMode: " + op + ": the gradient passed in (shape " + Shapes.str(seed.shape())
                    + ") holds " + seed.data()[bad] + " at element " + bad);
        }
    }

    /**
     * Throws at the first gradient in {@code grads} (the backward of op {@code name}, whose inputs
     * are {@code inputs}) that holds a NaN or infinity.
     */
    static void checkBackward(String name, Throwable trace, Tensor[] inputs, boolean[] needs, FloatArray gradOutput, FloatArray output,
                              FloatArray[] grads) {
        for (int i = 0; i < inputs.length; i++) {
            if (!needs[i] || grads[i] == null) continue;
            int bad = firstNonFinite(grads[i]);
            if (bad < 0) continue;
            FloatArray in = inputs[i].value;
            String where = java.util.Arrays.equals(in.shape(), grads[i].shape()) ? ", where the input is " + in.data()[bad] : "";
            int badOut = firstNonFinite(gradOutput);
            String upstream = badOut < 0 ? "its output gradient was finite"
                    : "its output gradient already held " + gradOutput.data()[badOut] + " at element " + badOut
                      + " (gradients summed into it overflowed, or the gradient passed to backward held it)";
            String forward = trace != null ? "(The cause of this exception is its forward call.)"
                    : "(The op ran before AnomalyMode was on, so there is no trace of its forward call.)";
            throw new IllegalStateException("AnomalyMode: the backward of '" + name + "' returned " + grads[i].data()[bad]
                    + " at element " + bad + " of the gradient of its input " + i + " (input shape " + Shapes.str(in.shape())
                    + ", gradient shape " + Shapes.str(grads[i].shape()) + ", output shape " + Shapes.str(output.shape()) + ")"
                    + where + "; " + upstream + ". " + forward, trace);
        }
    }

    /** Index of the first NaN or infinity, or -1 (one vectorised pass when all are finite, the common case). */
    private static int firstNonFinite(FloatArray a) {
        float[] d = a.data();
        if (Elementwise.allFinite(d, 0, d.length)) return -1;
        for (int i = 0; i < d.length; i++) if (!Float.isFinite(d[i])) return i;
        return -1;
    }
}
