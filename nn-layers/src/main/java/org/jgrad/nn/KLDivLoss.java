package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Kullback–Leibler divergence with the input as log-probabilities, as PyTorch's
 * {@code KLDivLoss}: {@code l = y·(log y − x)} (0 where y = 0), or with {@code logTarget}
 * {@code l = e^y·(y − x)}. The true KL(y ‖ e^x) per sample is the SUM over classes, so use
 * {@link Reduction#BATCH_MEAN}; MEAN (the default, as PyTorch) divides by every element.
 *
 * <pre>{@code
 * jshell> var p = Tensor.of(new float[]{0.5f, 0.5f}, 1, 2);
 * jshell> new KLDivLoss(Reduction.BATCH_MEAN, false).forward(p.log(), p)
 * $2 ==> tensor(0.)
 * }</pre>
 */
public final class KLDivLoss extends Loss {

    private final boolean logTarget;

    /** KL divergence with mean reduction and the target as probabilities. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    /**
     * KL divergence.
     *
     * @param reduction how per-element losses are combined; BATCH_MEAN gives the true KL per sample
     * @param logTarget true if the target holds log-probabilities
     */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        if (logTarget) return reduction.apply(target.exp().mul(target.sub(input)));
        // y·log y as one op: its value and slope (log y + 1) are defined as 0·log 0 = 0 at y = 0
        Tensor ylogy = Functional.pointwise("xlogy", y -> y == 0 ? 0 : y * Math.log(y), y -> y == 0 ? 0 : Math.log(y) + 1, target);
        return reduction.apply(ylogy.sub(target.mul(input)));
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("log_target", logTarget, false);
    }
}
