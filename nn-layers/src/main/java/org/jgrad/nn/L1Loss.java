package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Mean absolute error {@code l = |x − y|}; input and target of one shape.
 *
 * <pre>{@code
 * jshell> new L1Loss().forward(Tensor.of(new float[]{1, 2}), Tensor.of(new float[]{2, 4}))
 * $1 ==> tensor(1.5000, …)
 * }</pre>
 */
public final class L1Loss extends Loss {

    /** Mean absolute error. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /**
     * Absolute error.
     *
     * @param reduction how per-element losses are combined
     */
    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        return reduction.apply(input.sub(target).abs());
    }
}
