package org.jgrad.data;

import org.jgrad.core.Tensor;

/**
 * Features [n, ...] and labels [n] (class indices held as floats, or regression targets).
 *
 * @param features the n samples' features, samples along dimension 0
 * @param labels one label per sample, in the same order
 */
public record Batch(Tensor features, Tensor labels) {

    /**
     * The number of samples.
     *
     * @return the size of the features' dimension 0
     */
    public int size() {
        return features.size(0);
    }
}
