package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Negative log-likelihood of log-probabilities (e.g. the output of {@link LogSoftmax}):
 * {@code l_i = −w_{y_i}·x_{i, y_i}}. Shapes as {@link CrossEntropyLoss}; MEAN divides by
 * Σ_i w_{y_i}. LogSoftmax followed by NLLLoss equals CrossEntropyLoss.
 *
 * <pre>{@code
 * jshell> new NLLLoss().forward(Tensor.of(new float[]{-1, -2, -3, -4}, 2, 2), Tensor.of(new float[]{0, 1}))
 * $1 ==> tensor(2.5000, …)
 * }</pre>
 */
public final class NLLLoss extends Loss {

    private final Tensor weight;          // buffer "weight", or null

    /** Negative log-likelihood with mean reduction and no class weights. */
    public NLLLoss() {
        this(Reduction.MEAN, null);
    }

    /**
     * Negative log-likelihood with no class weights.
     *
     * @param reduction how per-sample losses are combined
     */
    public NLLLoss(Reduction reduction) {
        this(reduction, null);
    }

    /**
     * Negative log-likelihood with optional class weights.
     *
     * @param reduction how per-sample losses are combined
     * @param weight per-class weights [C], or null
     */
    public NLLLoss(Reduction reduction, Tensor weight) {
        super(reduction);
        this.weight = registerClassWeights(weight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Tensor rows = classesLast(name(), input, target);
        int[] labels = classIndices(target, rows.size(1), weight);
        float[] classWeight = weight == null ? null : weight.data();
        float[] idx = new float[labels.length], w = new float[labels.length];
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            idx[i] = labels[i];
            w[i] = classWeight == null ? 1f : classWeight[labels[i]];
            total += w[i];
        }
        Tensor picked = rows.gather(1, Tensor.of(idx, labels.length, 1)).reshape(labels.length);
        Tensor losses = picked.mul(Tensor.of(w)).neg().reshape(input.rank() == 1 ? new int[0] : target.shape());
        if (reduction == Reduction.MEAN) return losses.sum().div((float) total);
        return reduction.apply(losses);
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + option("weight", weight, null);
    }
}
