package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * Layer normalisation over the trailing dims given by {@code normalizedShape}:
 * {@code y = (x − μ) / √(σ² + eps) · γ + β}, μ and σ² (biased) per sample over those dims;
 * γ (ones) and β (zeros) have shape normalizedShape. Same in train and eval.
 *
 * <pre>{@code
 * jshell> new LayerNorm(3).forward(Tensor.of(new float[]{1, 2, 3}, 1, 3))
 * $1 ==> tensor([[-1.2247,  0.0000,  1.2247]], gradFn=<add>)
 * }</pre>
 */
public final class LayerNorm extends Module {

    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight, bias;

    /**
     * Layer normalisation with eps 1e-5 and a learned scale and shift.
     *
     * @param normalizedShape the trailing dimensions to normalise over
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5f, true);
    }

    /**
     * Layer normalisation with every option.
     *
     * @param normalizedShape the trailing dimensions to normalise over, non-empty and positive
     * @param eps added to the variance before the square root
     * @param elementwiseAffine true to learn a scale and a shift per element of {@code normalizedShape}
     * @throws IllegalArgumentException if an argument is out of range
     */
    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must be non-empty and positive, got "
                    + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length, r = x.rank();
        int[] s = x.shape();
        if (r < k || !Arrays.equals(Arrays.copyOfRange(s, r - k, r), normalizedShape)) {
            throw new IllegalArgumentException(describe() + ": expected input ending in " + Arrays.toString(normalizedShape)
                    + ", got shape " + Arrays.toString(s));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = r - k + i;
        Tensor y = x.sub(x.mean(dims, true)).div(x.var(dims, 0, true).add(eps).sqrt());
        return weight == null ? y : y.mul(weight).add(bias);
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwiseAffine=" + (weight != null);
    }
}
