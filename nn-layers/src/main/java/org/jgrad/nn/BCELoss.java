package org.jgrad.nn;

import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.BinaryCrossEntropy;

/**
 * Binary cross-entropy on probabilities: {@code l = −(y·log x + (1 − y)·log(1 − x))}, each log
 * clamped at −100 as PyTorch does, so x = 0 or 1 is finite. Inputs must lie in [0, 1]; prefer
 * {@link BCEWithLogitsLoss} on logits, which is stable without clamping.
 *
 * <pre>{@code
 * jshell> new BCELoss().forward(Tensor.of(new float[]{0.5f}), Tensor.of(new float[]{1}))
 * $1 ==> tensor(0.6931)
 * }</pre>
 */
public final class BCELoss extends Loss {

    /** Binary cross-entropy with mean reduction. */
    public BCELoss() {
        this(Reduction.MEAN);
    }

    /**
     * Binary cross-entropy.
     *
     * @param reduction how per-element losses are combined
     */
    public BCELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        float[] x = input.data();
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= 0 && x[i] <= 1)) {
                throw new IllegalArgumentException(name() + ": input " + x[i] + " at position " + i
                        + " is not a probability in [0, 1] (apply sigmoid first, or use BCEWithLogitsLoss on logits)");
            }
        }
        return reduction.apply(Autograd.apply(new BinaryCrossEntropy.OnProbabilities(), input, target));
    }
}
