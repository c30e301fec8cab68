package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * How a loss turns per-element losses into its result, as PyTorch's {@code reduction}:
 * MEAN (the default), SUM, NONE (the per-element tensor), and BATCH_MEAN (the sum divided by
 * the batch size, dim 0 — what KL divergence's math means; PyTorch's {@code 'batchmean'}).
 */
public enum Reduction {
    /** The mean of all elements. */
    MEAN,
    /** The sum of all elements. */
    SUM,
    /** No reduction: the per-element tensor. */
    NONE,
    /** The sum divided by the batch size (dim 0). */
    BATCH_MEAN;

    /**
     * Reduces per-element losses (for MEAN: by their count).
     *
     * @param losses per-element losses
     * @return the reduced loss; {@code losses} itself for NONE
     */
    public Tensor apply(Tensor losses) {
        switch (this) {
            case SUM: return losses.sum();
            case NONE: return losses;
            case BATCH_MEAN: return losses.sum().div(losses.rank() == 0 ? 1 : losses.size(0));
            default: return losses.mean();
        }
    }
}
