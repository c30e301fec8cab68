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

    /**
     * The first {@code n} samples, as a view (no copy): PyTorch's {@code Subset(ds, range(n))}. Like
     * slicing {@code [:n]}, an {@code n} beyond the size gives all the samples, and 0 gives none.
     *
     * <pre>{@code
     * jshell> train.first(1000).size()
     * $1 ==> 1000
     * }</pre>
     *
     * @param n number of samples to keep, non-negative
     * @return a subset of the first {@code min(n, size())} samples, in order
     * @throws IllegalArgumentException if {@code n} is negative
     */
    default Subset first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("first: n must be non-negative, got " + n + " (the dataset has " + size() + " samples)");
        }
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return new Subset(this, idx);
    }
}
