package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Triplet margin loss on anchors, positives and negatives [N, D] (or [D]), as PyTorch:
 * {@code l_i = max(d(a_i, p_i) − d(a_i, n_i) + margin, 0)}, d(x, y) = ‖x − y + eps‖_p with
 * margin 1, p 2, eps 1e-6; with {@code swap} the negative distance is min(d(a, n), d(p, n)).
 *
 * <p>With {@code squared} (jgrad's option, not PyTorch's) the distances are squared,
 * {@code l_i = max(d(a_i, p_i)² − d(a_i, n_i)² + margin, 0)}: the form of FaceNet (Schroff et al.
 * 2015) and of the lecture, ‖f(q) − f(p)‖² + m ≤ ‖f(q) − f(n)‖². Its margin is in squared units,
 * and for p = 2 no root is taken, so the gradient stays finite when a = p. {@link #squared(float)}
 * builds it with the other options at their defaults.
 *
 * <pre>{@code
 * jshell> var a = Tensor.of(new float[]{0, 0}); var p = Tensor.of(new float[]{0, 1}); var n = Tensor.of(new float[]{0, 3});
 * jshell> new TripletMarginLoss().forward(a, p, n)
 * $2 ==> tensor(0.)           // max(1 − 3 + 1, 0)
 * jshell> TripletMarginLoss.squared(9f).forward(a, p, n)
 * $3 ==> tensor(1.0000)       // max(1 − 9 + 9, 0)
 * }</pre>
 */
public final class TripletMarginLoss extends LossModule {

    private final float margin, p, eps;
    private final boolean swap, squared;

    /** PyTorch's defaults: mean, margin 1, p 2, eps 1e-6, no swap, distances not squared. */
    public TripletMarginLoss() {
        this(Reduction.MEAN, 1f, 2f, 1e-6f, false);
    }

    /**
     * PyTorch's {@code TripletMarginLoss(margin, p, eps, swap, reduction)}: distances not squared.
     *
     * @param reduction how the per-anchor losses are combined
     * @param margin the gap wanted between the negative and the positive distance
     * @param p norm degree of the distance, positive
     * @param eps added to each difference before the norm
     * @param swap true to use the smaller of d(a, n) and d(p, n) as the negative distance
     */
    public TripletMarginLoss(Reduction reduction, float margin, float p, float eps, boolean swap) {
        this(reduction, margin, p, eps, swap, false);
    }

    /**
     * A triplet loss with every option.
     *
     * @param reduction how the per-anchor losses are combined
     * @param margin the gap wanted between the negative and the positive distance
     * @param p norm degree of the distance, positive
     * @param eps added to each difference before the norm
     * @param swap true to use the smaller of d(a, n) and d(p, n) as the negative distance
     * @param squared compare squared distances (FaceNet's form) instead of distances (PyTorch's)
     * @throws IllegalArgumentException if {@code p} is not positive
     */
    public TripletMarginLoss(Reduction reduction, float margin, float p, float eps, boolean swap, boolean squared) {
        super(reduction, "(anchor, positive, negative)");
        if (!(p > 0)) throw new IllegalArgumentException("TripletMarginLoss: p must be positive, got " + p);
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
        this.squared = squared;
    }

    /**
     * The squared-distance form with mean reduction, p 2, eps 1e-6, no swap: max(‖a − p‖² − ‖a − n‖² + margin, 0).
     *
     * @param margin the gap wanted, in squared units
     * @return a new loss
     */
    public static TripletMarginLoss squared(float margin) {
        return new TripletMarginLoss(Reduction.MEAN, margin, 2f, 1e-6f, false, true);
    }

    /**
     * The loss of each anchor's distance to its positive against its distance to its negative, reduced.
     *
     * @param anchor anchors {@code [N, D]} or {@code [D]}
     * @param positive positives, of the anchors' shape
     * @param negative negatives, of the anchors' shape
     * @return the reduced loss; {@code [N]} with no reduction
     */
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        Distances.requirePair(name(), anchor, positive);
        Distances.requirePair(name(), anchor, negative);
        Tensor dPos = distance(anchor, positive);
        Tensor dNeg = distance(anchor, negative);
        if (swap) dNeg = dNeg.minimum(distance(positive, negative));
        return reduction.apply(dPos.sub(dNeg).add(margin).relu());
    }

    private Tensor distance(Tensor x, Tensor y) {
        return squared ? Distances.pairwiseSquared(x, y, p, eps) : Distances.pairwise(x, y, p, eps);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("margin", margin, 1f) + option("p", p, 2f) + option("eps", eps, 1e-6f)
                + option("swap", swap, false) + option("squared", squared, false);
    }
}
