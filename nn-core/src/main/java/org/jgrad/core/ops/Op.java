package org.jgrad.core.ops;

/**
 * One application of a differentiable op: its forward on arrays and, side by side, its backward.
 *
 * <p>The engine creates a fresh instance per application, tells it which inputs need a gradient,
 * calls {@link #forward} once and, if a gradient flows back, {@link #backward} once (or more if
 * the graph is retained). The forward keeps in fields only what the backward needs. The backward
 * returns one gradient per input, {@code null} where none is needed; a gradient may have a
 * broadcast shape — the engine sums it back to the input's shape.
 */
public abstract class Op {

    private boolean[] needsGrad = new boolean[0];

    /** Called by the engine before {@link #forward}. */
    public final void setNeedsGrad(boolean[] needs) {
        this.needsGrad = needs.clone();
    }

    /** Whether input {@code i} needs a gradient (skip work for those that don't). */
    protected final boolean needsGrad(int i) {
        return i < needsGrad.length && needsGrad[i];
    }

    public abstract FloatArray forward(FloatArray... inputs);

    public abstract FloatArray[] backward(FloatArray gradOutput);

    /** The op's name in messages and graph dumps. */
    public String name() {
        String n = getClass().getSimpleName();
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }
}
