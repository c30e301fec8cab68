package org.jgrad.core.ops;

/**
 * Cross-entropy fused with log-softmax, per row of logits [M, C]: with class weights w (1 if
 * none) and label smoothing ε,
 * <pre>
 *   loss_i = −Σ_c coef_ic · log p_ic,   coef_ic = (1 − ε)·w_{y_i}·[c = y_i] + (ε/C)·w_c
 *   ∂loss_i/∂x_ik = p_ik · Σ_c coef_ic − coef_ik
 * </pre>
 * which is PyTorch's definition. log p is computed as (x − max) − log Σ e^(x − max), so no logit
 * overflows, and the backward reuses the softmax instead of differentiating a chain of ops.
 */
public final class CrossEntropy extends Op {

    private final int[] labels;
    private final float[] weight;
    private final float smoothing;
    private int rows, classes;
    private float[] probs;

    /**
     * One application of the fused cross-entropy to a given set of labels.
     *
     * @param labels class index per row
     * @param weight per-class weights, or null
     * @param smoothing label smoothing ε in [0, 1]
     */
    public CrossEntropy(int[] labels, float[] weight, float smoothing) {
        this.labels = labels;
        this.weight = weight;
        this.smoothing = smoothing;
    }

    private double w(int c) {
        return weight == null ? 1 : weight[c];
    }

    @Override
    public FloatArray forward(FloatArray... in) {
        float[] x = in[0].data();
        rows = in[0].dim(0);
        classes = in[0].dim(1);
        probs = new float[x.length];
        float[] out = new float[rows];
        double wsum = 0;
        for (int c = 0; c < classes; c++) wsum += w(c);
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, x[o + c]);
            double s = 0;
            for (int c = 0; c < classes; c++) s += Math.exp(x[o + c] - max);
            double logS = Math.log(s);
            double loss = 0, smooth = 0;
            for (int c = 0; c < classes; c++) {
                double logp = (x[o + c] - max) - logS;
                probs[o + c] = (float) Math.exp(logp);
                smooth -= w(c) * logp;
                if (c == labels[i]) loss = -w(c) * logp;
            }
            out[i] = (float) ((1 - smoothing) * loss + smoothing / classes * smooth);
        }
        if (!needsGrad(0)) probs = null;
        return new FloatArray(out, rows);
    }

    @Override
    public FloatArray[] backward(FloatArray g) {
        float[] gd = g.data();
        float[] dx = new float[rows * classes];
        double wsum = 0;
        for (int c = 0; c < classes; c++) wsum += w(c);
        for (int i = 0; i < rows; i++) {
            int o = i * classes, y = labels[i];
            double total = (1 - smoothing) * w(y) + smoothing / classes * wsum;
            for (int c = 0; c < classes; c++) {
                double coef = smoothing / classes * w(c) + (c == y ? (1 - smoothing) * w(y) : 0);
                dx[o + c] = (float) (gd[i] * (probs[o + c] * total - coef));
            }
        }
        return new FloatArray[] {new FloatArray(dx, rows, classes)};
    }

    /** Σ_k ∂loss_i/∂x_ik · t_ik per row, the derivatives being the backward's for a gradient of 1. */
    @Override
    public FloatArray tangent(FloatArray y, FloatArray... t) {
        if (t[0] == null) return null;
        float[] ones = new float[rows];
        java.util.Arrays.fill(ones, 1f);
        float[] d = backward(new FloatArray(ones, rows))[0].data(), td = t[0].data();
        float[] out = new float[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int c = 0; c < classes; c++) s += (double) d[i * classes + c] * td[i * classes + c];
            out[i] = (float) s;
        }
        return new FloatArray(out, rows);
    }
}
