package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * How a loss turns per-element losses into its result, as PyTorch's {@code reduction}:
 * MEAN (the default), SUM, NONE (the per-element tensor), and BATCH_MEAN (the sum divided by
 * the batch size, dim 0 — what KL divergence's math means; PyTorch's {@code 'batchmean'}).
 */
public enum Reduction {
    MEAN, SUM, NONE, BATCH_MEAN;

    /** Reduces per-element losses (for MEAN: by their count). */
    public Tensor apply(Tensor losses) {
        switch (this) {
            case SUM: return losses.sum();
            case NONE: return losses;
            case BATCH_MEAN: return losses.sum().div(losses.rank() == 0 ? 1 : losses.size(0));
            default: return losses.mean();
        }
    }
}
