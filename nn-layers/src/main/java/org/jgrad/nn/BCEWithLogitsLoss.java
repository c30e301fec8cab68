package org.jgrad.nn;

import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.BinaryCrossEntropy;

/**
 * Binary cross-entropy on logits, in the stable form {@code max(x, 0) − x·y + log1p(e^−|x|)}
 * (finite for x = ±100). Optional posWeight q (one value, or one per entry of the last dim)
 * weighs the positive term: {@code l = (1 − y)·x + (1 + (q − 1)y)·softplus(−x)}. Input and target
 * have one shape; targets are in [0, 1].
 *
 * <pre>{@code
 * jshell> new BCEWithLogitsLoss().forward(Tensor.of(new float[]{0}), Tensor.of(new float[]{1}))
 * $1 ==> tensor(0.6931)
 * }</pre>
 */
public final class BCEWithLogitsLoss extends Loss {

    private final Tensor posWeight;       // buffer "pos_weight", or null

    /** Binary cross-entropy on logits with mean reduction and no positive weight. */
    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null);
    }

    /**
     * Binary cross-entropy on logits with no positive weight.
     *
     * @param reduction how per-element losses are combined
     */
    public BCEWithLogitsLoss(Reduction reduction) {
        this(reduction, null);
    }

    /**
     * Binary cross-entropy on logits with an optional positive weight.
     *
     * @param reduction how per-element losses are combined
     * @param posWeight [1] or [size of the last dim], or null
     */
    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.posWeight = registerCopy("pos_weight", posWeight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        float[] q = posWeight == null ? null : posWeight.data();
        if (q != null && q.length != 1 && (input.rank() == 0 || q.length != input.size(-1))) {
            throw new IllegalArgumentException(name() + ": posWeight of " + q.length + " values does not match the last dim of input "
                    + java.util.Arrays.toString(input.shape()));
        }
        return reduction.apply(Autograd.apply(new BinaryCrossEntropy.WithLogits(q), input, target));
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("pos_weight", posWeight, null);
    }
}
