package org.jgrad.nn;

import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.CrossEntropy;

/**
 * Cross-entropy of logits against class indices, fused with log-softmax (PyTorch's
 * {@code CrossEntropyLoss}): {@code l_i = −w_{y_i}·log softmax(x_i)_{y_i}}, optionally with class
 * weights w and label smoothing ε, where the target distribution is (1 − ε)·onehot + ε/C.
 *
 * <p>Shapes: input [N, C] with target [N], input [C] with a one-element target, or input
 * [N, C, d…] with target [N, d…]. Targets are whole numbers 0..C−1 held in a float tensor. MEAN
 * divides by Σ_i w_{y_i} (N without weights), as PyTorch.
 *
 * <pre>{@code
 * jshell> new CrossEntropyLoss().forward(Tensor.zeros(2, 10), Tensor.of(new float[]{3, 7}))
 * $1 ==> tensor(2.3026)      // ln 10
 * }</pre>
 */
public final class CrossEntropyLoss extends Loss {

    private final Tensor weight;          // buffer "weight", or null
    private final float labelSmoothing;

    /** Cross-entropy with mean reduction, no class weights and no label smoothing. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN, null, 0f);
    }

    /**
     * Cross-entropy with no class weights and no label smoothing.
     *
     * @param reduction how per-sample losses are combined
     */
    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, null, 0f);
    }

    /**
     * Cross-entropy with optional class weights and label smoothing.
     *
     * @param reduction how per-sample losses are combined
     * @param weight per-class weights of shape [C], or null
     * @param labelSmoothing ε in [0, 1]
     */
    public CrossEntropyLoss(Reduction reduction, Tensor weight, float labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.weight = registerClassWeights(weight);
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Tensor rows = classesLast(name(), input, target);
        int[] labels = classIndices(target, rows.size(1), weight);
        float[] w = weight == null ? null : weight.data();
        Tensor losses = Autograd.apply(new CrossEntropy(labels, w, labelSmoothing), rows);
        losses = losses.reshape(input.rank() == 1 ? new int[0] : target.shape());
        if (reduction == Reduction.MEAN && w != null) {
            double total = 0;
            for (int y : labels) total += w[y];
            return losses.sum().div((float) total);
        }
        return reduction.apply(losses);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("weight", weight, null) + option("label_smoothing", labelSmoothing, 0f);
    }
}
