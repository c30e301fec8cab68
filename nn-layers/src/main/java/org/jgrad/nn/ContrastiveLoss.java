package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * The contrastive loss of siamese networks (Hadsell, Chopra, LeCun 2006) on pairs of embeddings
 * [N, D] (or [D]) with labels y [N], 1 for a similar pair and 0 for a dissimilar one:
 * {@code l_i = ½·(y_i·d_i² + (1 − y_i)·max(0, margin − d_i)²)}, d_i = ‖x1_i − x2_i + eps‖₂,
 * margin 1, eps 1e-6. (Not in PyTorch; this is the paper's form with its label flipped to the
 * common "1 = same" convention.)
 *
 * <pre>{@code
 * jshell> new ContrastiveLoss().forward(Tensor.of(new float[]{0, 0}), Tensor.of(new float[]{0, 2}), Tensor.of(new float[]{1}))
 * $1 ==> tensor(2.0000)      // ½·2²
 * }</pre>
 */
public final class ContrastiveLoss extends LossModule {

    private final float margin, eps;

    /** Contrastive loss with mean reduction and margin 1. */
    public ContrastiveLoss() {
        this(Reduction.MEAN, 1f);
    }

    /**
     * Contrastive loss.
     *
     * @param reduction how per-pair losses are combined
     * @param margin distance beyond which a dissimilar pair costs nothing
     */
    public ContrastiveLoss(Reduction reduction, float margin) {
        super(reduction, "(x1, x2, similar)");
        this.margin = margin;
        this.eps = 1e-6f;
    }

    /**
     * The loss of the pairs (x1_i, x2_i) labelled similar (1) or dissimilar (0), reduced.
     *
     * @param x1 first embeddings {@code [N, D]} or {@code [D]}
     * @param x2 second embeddings, of {@code x1}'s shape
     * @param similar 1 for a similar pair, 0 for a dissimilar one, one per pair
     * @return the reduced loss; {@code [N]} with no reduction
     */
    public Tensor forward(Tensor x1, Tensor x2, Tensor similar) {
        Distances.requirePair(name(), x1, x2);
        Distances.requireLabels(name(), x1, similar);
        for (float v : similar.data()) {
            if (v != 0f && v != 1f) throw new IllegalArgumentException(name() + ": label " + v + " must be 1 (similar) or 0 (dissimilar)");
        }
        Tensor y = similar.reshape(x1.rank() == 2 ? new int[] {x1.size(0)} : new int[0]);
        Tensor d = Distances.pairwise(x1, x2, 2f, eps);
        Tensor push = d.neg().add(margin).relu();
        Tensor losses = y.mul(d.mul(d)).add(y.neg().add(1f).mul(push.mul(push))).mul(0.5f);
        return reduction.apply(losses);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("margin", margin, 1f);
    }
}
