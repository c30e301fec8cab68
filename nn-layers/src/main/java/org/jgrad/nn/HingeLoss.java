package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * The binary SVM hinge loss on scores x with labels y ∈ {+1, −1}:
 * {@code l = max(0, margin − y·x)}, margin 1 by default. (PyTorch's HingeEmbeddingLoss is a
 * different loss on distances.)
 *
 * <pre>{@code
 * jshell> new HingeLoss().forward(Tensor.of(new float[]{2, 0.5f}), Tensor.of(new float[]{1, 1}))
 * $1 ==> tensor(0.2500, …)
 * }</pre>
 */
public final class HingeLoss extends Loss {

    private final float margin;

    /** Hinge loss with mean reduction and margin 1. */
    public HingeLoss() {
        this(Reduction.MEAN, 1f);
    }

    /**
     * Hinge loss.
     *
     * @param reduction how per-element losses are combined
     * @param margin the score {@code y·x} below which a sample costs something
     */
    public HingeLoss(Reduction reduction, float margin) {
        super(reduction);
        this.margin = margin;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        requireSameShape(input, target);
        requireSigns(name(), target);
        return reduction.apply(input.mul(target).neg().add(margin).relu());
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("margin", margin, 1f);
    }
}
