package org.jgrad.nn;

/**
 * {@link BatchNorm} for images [N, C, H, W]: statistics per channel over N, H and W.
 * Defaults as PyTorch: eps 1e-5, momentum 0.1, affine (γ = 1, β = 0).
 *
 * <pre>{@code
 * jshell> new BatchNorm2d(16).forward(Tensor.randn(new SplittableRandom(0), 8, 16, 5, 5)).shape()
 * $1 ==> int[4] { 8, 16, 5, 5 }
 * }</pre>
 */
public final class BatchNorm2d extends BatchNorm {

    /**
     * Batch normalisation with eps 1e-5, momentum 0.1 and a learned scale and shift.
     *
     * @param numFeatures number of channels C, positive
     */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    /**
     * Batch normalisation with every option.
     *
     * @param numFeatures number of channels C, positive
     * @param eps added to the variance before the square root, positive
     * @param momentum weight of the batch statistics in the running averages, in [0, 1]
     * @param affine true to learn a scale and a shift per channel
     */
    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    protected String expectedShape() {
        return "[N, C, H, W]";
    }
}
