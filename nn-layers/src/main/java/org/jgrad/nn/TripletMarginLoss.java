package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Triplet margin loss on anchors, positives and negatives [N, D] (or [D]), as PyTorch:
 * {@code l_i = max(d(a_i, p_i) − d(a_i, n_i) + margin, 0)}, d(x, y) = ‖x − y + eps‖_p with
 * margin 1, p 2, eps 1e-6; with {@code swap} the negative distance is min(d(a, n), d(p, n)).
 *
 * <pre>{@code
 * jshell> var a = Tensor.of(new float[]{0, 0}); var p = Tensor.of(new float[]{0, 1}); var n = Tensor.of(new float[]{0, 3});
 * jshell> new TripletMarginLoss().forward(a, p, n)
 * $2 ==> tensor(0.)           // max(1 − 3 + 1, 0)
 * }</pre>
 */
public final class TripletMarginLoss extends LossModule {

    private final float margin, p, eps;
    private final boolean swap;

    public TripletMarginLoss() {
        this(Reduction.MEAN, 1f, 2f, 1e-6f, false);
    }

    public TripletMarginLoss(Reduction reduction, float margin, float p, float eps, boolean swap) {
        super(reduction, "(anchor, positive, negative)");
        if (!(p > 0)) throw new IllegalArgumentException("TripletMarginLoss: p must be positive, got " + p);
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
    }

    /** The loss of each anchor's distance to its positive against its distance to its negative, reduced. */
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        Distances.requirePair(name(), anchor, positive);
        Distances.requirePair(name(), anchor, negative);
        Tensor dPos = Distances.pairwise(anchor, positive, p, eps);
        Tensor dNeg = Distances.pairwise(anchor, negative, p, eps);
        if (swap) dNeg = dNeg.minimum(Distances.pairwise(positive, negative, p, eps));
        return reduction.apply(dPos.sub(dNeg).add(margin).relu());
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("margin", margin, 1f) + option("p", p, 2f) + option("eps", eps, 1e-6f)
                + option("swap", swap, false);
    }
}
