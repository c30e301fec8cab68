package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * The multi-class SVM (Weston–Watkins) loss, as PyTorch's {@code MultiMarginLoss}: for scores
 * x [N, C] and labels y [N],
 * {@code l_i = w_{y_i}·Σ_{j ≠ y_i} max(0, margin − x_{i,y_i} + x_{i,j})^p / C}, p ∈ {1, 2},
 * margin 1. MEAN averages over N.
 *
 * <pre>{@code
 * jshell> new MultiMarginLoss().forward(Tensor.of(new float[]{0.1f, 0.2f, 0.4f, 0.8f}, 1, 4), Tensor.of(new float[]{3}))
 * $1 ==> tensor(0.3250)
 * }</pre>
 */
public final class MultiMarginLoss extends Loss {

    private final int p;
    private final float margin;
    private final Tensor weight;          // buffer "weight", or null

    /** Multi-class margin loss with mean reduction, p 1, margin 1 and no class weights. */
    public MultiMarginLoss() {
        this(Reduction.MEAN, 1, 1f, null);
    }

    /**
     * Multi-class margin loss with optional class weights.
     *
     * @param reduction how per-sample losses are combined
     * @param p 1 or 2, the power of each margin violation
     * @param margin the gap wanted between the true class's score and every other
     * @param weight per-class weights [C], or null
     */
    public MultiMarginLoss(Reduction reduction, int p, float margin, Tensor weight) {
        super(reduction);
        if (p != 1 && p != 2) throw new IllegalArgumentException("MultiMarginLoss: p must be 1 or 2, got " + p);
        this.p = p;
        this.margin = margin;
        this.weight = registerClassWeights(weight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        if (input.rank() != 2 || target.rank() != 1 || target.size(0) != input.size(0)) {
            throw new IllegalArgumentException(name() + ": expected input [N, C] and target [N], got " + Arrays.toString(input.shape())
                    + " and " + Arrays.toString(target.shape()));
        }
        int n = input.size(0), c = input.size(1);
        int[] labels = classIndices(target, c, weight);
        float[] classWeight = weight == null ? null : weight.data();
        float[] others = new float[n * c], w = new float[n];
        Arrays.fill(others, 1f);
        for (int i = 0; i < n; i++) {
            others[i * c + labels[i]] = 0f;   // the true class contributes no term
            w[i] = (classWeight == null ? 1f : classWeight[labels[i]]) / c;
        }
        Tensor correct = input.gather(1, target.reshape(n, 1));
        Tensor hinge = input.sub(correct).add(margin).relu();
        if (p == 2) hinge = hinge.mul(hinge);
        Tensor losses = hinge.mul(Tensor.of(others, n, c)).sum(1).mul(Tensor.of(w));
        return reduction.apply(losses);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("p", p, 1) + option("margin", margin, 1f) + option("weight", weight, null);
    }
}
