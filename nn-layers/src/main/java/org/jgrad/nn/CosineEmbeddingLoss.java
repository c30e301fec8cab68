package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Cosine embedding loss on pairs [N, D] (or [D]) with labels y ∈ {+1, −1}, as PyTorch:
 * {@code l_i = 1 − cos(x1_i, x2_i)} if y = 1, {@code max(0, cos(x1_i, x2_i) − margin)} if y = −1,
 * cos = x1·x2 / √((‖x1‖² + ε)(‖x2‖² + ε)), ε = 1e-12, margin 0 by default.
 *
 * <pre>{@code
 * jshell> new CosineEmbeddingLoss().forward(Tensor.of(new float[]{1, 0}), Tensor.of(new float[]{0, 1}), Tensor.of(new float[]{1}))
 * $1 ==> tensor(1.)
 * }</pre>
 */
public final class CosineEmbeddingLoss extends LossModule {

    private static final float EPS = 1e-12f;
    private final float margin;

    /** Cosine embedding loss with mean reduction and margin 0. */
    public CosineEmbeddingLoss() {
        this(Reduction.MEAN, 0f);
    }

    /**
     * Cosine embedding loss.
     *
     * @param reduction how per-pair losses are combined
     * @param margin cosine similarity below which an unlike pair costs nothing
     */
    public CosineEmbeddingLoss(Reduction reduction, float margin) {
        super(reduction, "(x1, x2, y)");
        this.margin = margin;
    }

    /**
     * The loss of the pairs (x1_i, x2_i) labelled alike (+1) or not (−1), reduced.
     *
     * @param x1 first embeddings {@code [N, D]} or {@code [D]}
     * @param x2 second embeddings, of {@code x1}'s shape
     * @param y +1 for a pair alike, −1 for one not, one per pair
     * @return the reduced loss; {@code [N]} with no reduction
     */
    public Tensor forward(Tensor x1, Tensor x2, Tensor y) {
        Distances.requirePair(name(), x1, x2);
        Distances.requireLabels(name(), x1, y);
        Loss.requireSigns(name(), y);
        Tensor labels = y.reshape(x1.rank() == 2 ? new int[] {x1.size(0)} : new int[0]);
        Tensor dot = x1.mul(x2).sum(-1);
        Tensor norms = x1.mul(x1).sum(-1).add(EPS).mul(x2.mul(x2).sum(-1).add(EPS)).sqrt();
        Tensor cos = dot.div(norms);
        Tensor pos = labels.eq(1f);
        Tensor neg = labels.eq(-1f);
        return reduction.apply(pos.mul(cos.neg().add(1f)).add(neg.mul(cos.sub(margin).relu())));
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("margin", margin, 0f);
    }
}
