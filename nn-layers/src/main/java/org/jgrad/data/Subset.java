package org.jgrad.data;

/** The samples of another dataset at the given indices (a split, a bootstrap resample). */
public final class Subset implements Dataset {

    private final Dataset source;
    private final int[] indices;

    /**
     * The samples of {@code source} at {@code indices}, in that order.
     *
     * @param source the dataset to draw from
     * @param indices positions in {@code source}, repeats allowed
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Subset(Dataset source, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= source.size()) {
                throw new IndexOutOfBoundsException("Subset: index " + i + " is out of range for " + source.size() + " samples");
            }
        }
        this.source = source;
        this.indices = indices.clone();
    }

    /**
     * The indices into the source dataset, in order.
     *
     * @return a copy of the indices
     */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int[] featureShape() {
        return source.featureShape();
    }

    @Override
    public Batch batch(int[] idx) {
        int[] mapped = new int[idx.length];
        for (int i = 0; i < idx.length; i++) mapped[i] = indices[idx[i]];
        return source.batch(mapped);
    }

    /**
     * The size and the source, e.g. {@code Subset(7000 of TensorDataset(10000 samples of [1, 28, 28], labels [10000]))}.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        return "Subset(" + size() + " of " + source + ")";
    }
}
