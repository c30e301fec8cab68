package org.jgrad.data;

import java.util.Arrays;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.FloatArray;

/**
 * A dataset held in two tensors: features [n, ...] and labels [n] (or [n, k] targets).
 *
 * <pre>{@code
 * jshell> var ds = new TensorDataset(Tensor.randn(rng, 100, 2), Tensor.zeros(100));
 * jshell> ds.batch(new int[]{3, 7}).features().shape()
 * $2 ==> int[2] { 2, 2 }
 * }</pre>
 */
public final class TensorDataset implements Dataset {

    private final Tensor features, labels;
    private final int rowSize, labelSize;

    /**
     * A dataset of the rows of {@code features} and {@code labels}.
     *
     * @param features samples {@code [n, ...]}
     * @param labels labels {@code [n, ...]}
     * @throws IllegalArgumentException if the sample counts differ or a tensor is 0-d
     */
    public TensorDataset(Tensor features, Tensor labels) {
        if (features.rank() < 1 || labels.rank() < 1 || features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("TensorDataset: features " + Arrays.toString(features.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + " must have the same first dimension (the number of samples)");
        }
        this.features = features.detach();
        this.labels = labels.detach();
        this.rowSize = features.numel() / Math.max(1, features.size(0));
        this.labelSize = labels.numel() / Math.max(1, labels.size(0));
    }

    /**
     * All the features, {@code [n, ...]}.
     *
     * @return the tensor given to the constructor
     */
    public Tensor features() {
        return features;
    }

    /**
     * All the labels, {@code [n, ...]}.
     *
     * @return the tensor given to the constructor
     */
    public Tensor labels() {
        return labels;
    }

    @Override
    public int size() {
        return features.size(0);
    }

    @Override
    public int[] featureShape() {
        return Arrays.copyOfRange(features.shape(), 1, features.rank());
    }

    @Override
    public Batch batch(int[] indices) {
        return new Batch(gather(features, rowSize, indices), gather(labels, labelSize, indices));
    }

    private Tensor gather(Tensor t, int row, int[] indices) {
        float[] src = t.data();
        float[] out = new float[indices.length * row];
        int n = size();
        for (int k : indices) {
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("TensorDataset: index " + k + " is out of range for " + n + " samples");
        }
        // rows scattered over a large dataset are cache misses each: a batch copies its rows
        // in parallel chunks of about 4,096 floats (five images; each row lands in its own place, so
        // any thread count gives the same batch)
        int rowsPerChunk = Math.max(1, (1 << 12) / Math.max(1, row));
        Parallel.forRange(indices.length, rowsPerChunk, (from, to) -> {
            for (int i = from; i < to; i++) System.arraycopy(src, indices[i] * row, out, i * row, row);
        });
        int[] shape = t.shape();
        shape[0] = indices.length;
        return Tensor.wrap(new FloatArray(out, shape));          // out is fresh: no second copy
    }

    /**
     * The size and shapes, e.g. {@code TensorDataset(1500 samples of [1, 28, 28], labels [1500])}.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        return "TensorDataset(" + size() + " samples of " + java.util.Arrays.toString(featureShape()) + ", labels " + java.util.Arrays.toString(labels.shape()) + ")";
    }
}
