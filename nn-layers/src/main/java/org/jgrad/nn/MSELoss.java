package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Mean squared error {@code l = (x − y)²}; input and target of one shape.
 *
 * <pre>{@code
 * jshell> new MSELoss().forward(Tensor.of(new float[]{1, 2}), Tensor.of(new float[]{1, 4}))
 * $1 ==> tensor(2., …)
 * }</pre>
 */
public final class MSELoss extends Loss {

    /** Mean squared error. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /**
     * Squared error.
     *
     * @param reduction how per-element losses are combined
     */
    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        Tensor d = input.sub(target);
        return reduction.apply(d.mul(d));
    }
}
