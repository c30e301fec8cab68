package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * The binary threshold (Heaviside step) {@code 1 if x > threshold else 0}, the perceptron's
 * activation. Its derivative is 0 almost everywhere, so training through it is an error: in
 * training mode a backward pass through it throws an {@link IllegalStateException} saying so;
 * in eval mode it records no graph at all.
 *
 * <pre>{@code
 * jshell> new Step().eval().forward(Tensor.of(new float[]{-1, 2}))
 * $1 ==> tensor([0., 1.])
 * }</pre>
 */
public final class Step extends Module {

    private final float threshold;

    /** A step at threshold 0. */
    public Step() {
        this(0f);
    }

    /**
     * A step at {@code threshold}.
     *
     * @param threshold inputs above it give 1
     */
    public Step(float threshold) {
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.step(isTraining() ? x : x.detach(), threshold);
    }

    @Override
    protected String extraRepr() {
        return "threshold=" + threshold;
    }
}
