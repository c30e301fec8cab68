package org.jgrad.data;

/**
 * Indexable samples: features of a fixed shape and a label each. {@link #batch} gathers the
 * samples at some indices into one {@link Batch}.
 */
public interface Dataset {

    /**
     * Number of samples.
     *
     * @return the sample count
     */
    int size();

    /**
     * Shape of one sample's features, e.g. [1, 28, 28] or [784].
     *
     * @return the dimensions of one sample
     */
    int[] featureShape();

    /**
     * The samples at {@code indices}, stacked: features [n, featureShape...] and labels [n].
     *
     * @param indices positions of the samples, each in {@code [0, size())}
     * @return the stacked samples
     */
    Batch batch(int[] indices);

    /**
     * The whole dataset as one batch.
     *
     * @return every sample, in order
     */
    default Batch all() {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return batch(idx);
    }
}
