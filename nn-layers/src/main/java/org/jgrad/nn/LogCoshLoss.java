package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Log-cosh loss {@code l = log cosh(x − y)}, computed as |d| + log1p(e^−2|d|) − ln 2 so that
 * cosh never overflows (d = 100 gives 99.31); slope tanh(d).
 *
 * <pre>{@code
 * jshell> new LogCoshLoss().forward(Tensor.of(new float[]{1}), Tensor.zeros(1))
 * $1 ==> tensor(0.4338)
 * }</pre>
 */
public final class LogCoshLoss extends Loss {

    private static final double LN2 = Math.log(2);

    /** Log-cosh loss with mean reduction. */
    public LogCoshLoss() {
        this(Reduction.MEAN);
    }

    /**
     * Log-cosh loss.
     *
     * @param reduction how per-element losses are combined
     */
    public LogCoshLoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        return reduction.apply(Functional.pointwise("logCosh",
                d -> Math.abs(d) + Math.log1p(Math.exp(-2 * Math.abs(d))) - LN2, Math::tanh, input.sub(target)));
    }
}
