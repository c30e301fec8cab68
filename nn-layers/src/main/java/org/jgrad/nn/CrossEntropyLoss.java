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

    private final float[] weight;
    private final float labelSmoothing;

    public CrossEntropyLoss() {
        this(Reduction.MEAN, null, 0f);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, null, 0f);
    }

    /**
     * @param weight per-class weights of shape [C], or null
     * @param labelSmoothing ε in [0, 1]
     */
    public CrossEntropyLoss(Reduction reduction, Tensor weight, float labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (weight != null && weight.rank() != 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: class weights must be 1-D [C], got shape "
                    + java.util.Arrays.toString(weight.shape()));
        }
        this.weight = weight == null ? null : weight.toArray();
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Tensor rows = classesLast(name(), input, target);
        int classes = rows.size(1);
        if (weight != null && weight.length != classes) {
            throw new IllegalArgumentException(name() + ": " + weight.length + " class weights for " + classes + " classes");
        }
        int[] labels = classIndices(name(), target, classes);
        Tensor losses = Autograd.apply(new CrossEntropy(labels, weight, labelSmoothing), rows);
        losses = losses.reshape(input.rank() == 1 ? new int[0] : target.shape());
        if (reduction == Reduction.MEAN && weight != null) {
            double total = 0;
            for (int y : labels) total += weight[y];
            return losses.sum().div((float) total);
        }
        return reduction.apply(losses);
    }
}
