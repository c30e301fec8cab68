package org.jgrad.nn;

/**
 * {@link BatchNorm} for input [N, C] or [N, C, L]: statistics per channel over N (and L).
 * Defaults as PyTorch: eps 1e-5, momentum 0.1, affine (γ = 1, β = 0).
 *
 * <pre>{@code
 * jshell> var bn = new BatchNorm1d(2);
 * jshell> bn.forward(Tensor.of(new float[]{1, 10, 3, 30}, 2, 2))
 * $2 ==> tensor([[-1.0000, -1.0000],
 *                [ 1.0000,  1.0000]], gradFn=<add>)
 * }</pre>
 */
public final class BatchNorm1d extends BatchNorm {

    /**
     * Batch normalisation with eps 1e-5, momentum 0.1 and a learned scale and shift.
     *
     * @param numFeatures number of features C, positive
     */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    /**
     * Batch normalisation with every option.
     *
     * @param numFeatures number of features C, positive
     * @param eps added to the variance before the square root, positive
     * @param momentum weight of the batch statistics in the running averages, in [0, 1]
     * @param affine true to learn a scale and a shift per feature
     */
    public BatchNorm1d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    protected String expectedShape() {
        return "[N, C] or [N, C, L]";
    }
}
