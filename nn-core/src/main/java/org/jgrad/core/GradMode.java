package org.jgrad.core;

/**
 * Whether ops record a graph for autograd, per thread (like {@code torch.no_grad}).
 *
 * <pre>{@code
 * jshell> try (var off = GradMode.off()) { y = w.mul(2f); }   // y records nothing
 * }</pre>
 */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** A scope that restores the previous mode when closed; {@code close()} throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * True when ops on tensors that require grad record the graph (the default).
     *
     * @return true while recording is on for this thread
     */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /**
     * Stops recording until the returned scope is closed.
     *
     * @return a scope that restores the previous mode when closed
     */
    public static Scope off() {
        return set(false);
    }

    /**
     * Turns recording back on inside an {@link #off()} block until the scope is closed.
     *
     * @return a scope that restores the previous mode when closed
     */
    public static Scope on() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }
}
