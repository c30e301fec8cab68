package org.jgrad.core.ops;

/**
 * One application of a differentiable op: its forward on arrays and, side by side, its backward
 * (reverse mode) and its tangent rule (forward mode).
 *
 * <p>The engine creates a fresh instance per application, tells it which inputs need a gradient
 * or carry a tangent, calls {@link #forward} once and then, in forward mode, {@link #tangent}
 * once; if a gradient flows back, {@link #backward} once (or more if the graph is retained). The
 * forward keeps in fields only what the other two need. The backward returns one gradient per
 * input, {@code null} where none is needed; a gradient may have a broadcast shape — the engine
 * sums it back to the input's shape.
 */
public abstract class Op {
    /** For subclasses: the engine makes one instance per application of the op. */
    public Op() {}

    private boolean[] needsGrad = new boolean[0];

    /**
     * Called by the engine before {@link #forward}.
     *
     * @param needs one flag per input: true if it needs a gradient or carries a tangent
     */
    public final void setNeedsGrad(boolean[] needs) {
        this.needsGrad = needs.clone();
    }

    /**
     * Whether input {@code i} needs a gradient or carries a tangent (skip work for the others).
     *
     * @param i input index
     * @return true if input {@code i} needs a gradient or carries a tangent
     */
    protected final boolean needsGrad(int i) {
        return i < needsGrad.length && needsGrad[i];
    }

    private float[][] gradInto;

    /**
     * Called by the engine around {@link #backward}: arrays that backward may write input gradients
     * into, one slot per input (null where none is offered), or null for none at all.
     *
     * @param into the offered arrays, or null
     */
    public final void offerGradInto(float[][] into) {
        this.gradInto = into;
    }

    /**
     * The array {@link #backward} writes input {@code i}'s gradient into: the one the engine offers,
     * or a fresh one. The engine offers a leaf parameter's gradient array from the step before
     * (after {@code zeroGrad}), so a layer's weight gradient is written once, in place, instead of
     * into a fresh array that is then copied; it recognises the array by identity when backward
     * returns it in slot {@code i}. Write the whole gradient: an offered array holds the previous
     * step's values.
     *
     * @param i input index
     * @param shape the gradient's shape (input {@code i}'s)
     * @return an array of that shape, unspecified contents
     */
    protected final FloatArray gradArray(int i, int... shape) {
        float[] into = gradInto == null || i >= gradInto.length ? null : gradInto[i];
        return into != null && into.length == Shapes.numel(shape) ? new FloatArray(into, shape) : FloatArray.empty(shape);
    }

    /**
     * {@code inner.backward(gradOutput)} for an op that wraps another, with this op's offers (see
     * {@link #gradArray}) passed on to it.
     *
     * @param inner the wrapped op
     * @param gradOutput gradient of the wrapped op's output
     * @return the wrapped op's input gradients
     */
    protected final FloatArray[] backwardOf(Op inner, FloatArray gradOutput) {
        inner.offerGradInto(gradInto);
        try {
            return inner.backward(gradOutput);
        } finally {
            inner.offerGradInto(null);
        }
    }

    /**
     * Computes the output from the inputs' values, keeping what backward and tangent need.
     *
     * @param inputs the operands' values
     * @return the output
     */
    public abstract FloatArray forward(FloatArray... inputs);

    /**
     * The gradients of the inputs given the gradient of the output.
     *
     * @param gradOutput gradient of the output, of its shape
     * @return one gradient per input, null where none is needed; a gradient may have a broadcast shape
     */
    public abstract FloatArray[] backward(FloatArray gradOutput);

    /**
     * The Jacobian-vector product J·t of this application: how the output moves when input i moves
     * along {@code tangents[i]} ({@code null}: that input does not move). Called after
     * {@link #forward} with the output it returned. The result has the output's shape or one that
     * broadcasts to it; {@code null} means zero. An op without a rule refuses forward mode.
     *
     * @param output what {@link #forward} returned
     * @param tangents one tangent per input, null where it does not move
     * @return J·t, or null for zero
     */
    public FloatArray tangent(FloatArray output, FloatArray... tangents) {
        throw new UnsupportedOperationException(name() + ": this op has no forward-mode (tangent) rule, so jvp cannot"
                + " pass through it; use reverse mode (Autograd.grad/vjp) for it");
    }

    /**
     * The op's name in messages and graph dumps.
     *
     * @return the simple class name by default
     */
    public String name() {
        String n = getClass().getSimpleName();
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    // ---- tangent rules that follow from the backward ----

    /**
     * For a one-input op whose Jacobian is symmetric — every elementwise function (J diagonal) and
     * softmax (J = diag(y) − y·yᵀ): J·t = Jᵀ·t, which the backward already computes.
     *
     * @param tangents the input's tangent, or null
     * @return J·t, or null when the input does not move
     */
    protected final FloatArray symmetricTangent(FloatArray[] tangents) {
        return tangents[0] == null ? null : backward(tangents[0])[0];
    }

    /**
     * For an op that is linear in its one input (reshapes, sums, average pooling, gathers): J·t is
     * the op applied to t. The forward runs again on the tangent; what it keeps depends only on
     * shapes and the op's own arguments, so the kept fields do not change.
     *
     * @param tangents the input's tangent, or null
     * @return J·t, or null when the input does not move
     */
    protected final FloatArray linearTangent(FloatArray[] tangents) {
        return tangents[0] == null ? null : forward(tangents[0]);
    }

    /**
     * For an op elementwise in each of its inputs under broadcasting (add, mul, pow, where, the
     * binary losses): J·t = Σᵢ ∂f/∂xᵢ ⊙ tᵢ, and the backward of a gradient g of the output's shape
     * returns g ⊙ ∂f/∂xᵢ for each input — so each moving input costs one backward.
     *
     * @param output what {@link #forward} returned
     * @param tangents one tangent per input, null where it does not move
     * @return J·t, or null when no input moves
     */
    protected final FloatArray elementwiseTangent(FloatArray output, FloatArray[] tangents) {
        FloatArray sum = null;
        for (int i = 0; i < tangents.length; i++) {
            if (tangents[i] == null) continue;
            FloatArray part = backward(BinaryOps.expand(tangents[i], output.shape))[i];
            if (part != null) sum = sum == null ? part : BinaryOps.add(sum, part);   // null: not differentiable in it
        }
        return sum;
    }
}
