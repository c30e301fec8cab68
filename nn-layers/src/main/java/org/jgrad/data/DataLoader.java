package org.jgrad.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Minibatches over a dataset, epoch after epoch. With shuffling, each epoch visits every sample
 * exactly once in a new order that depends only on (seed, epoch), so a run resumed at epoch k
 * sees the same batches as a run that went straight through.
 *
 * <pre>{@code
 * jshell> var loader = new DataLoader(ds, 32, true, 42);
 * jshell> for (Batch b : loader.epoch(0)) { ... }
 * }</pre>
 */
public final class DataLoader {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final long seed;

    /**
     * A loader that keeps the last, smaller batch.
     *
     * @param dataset the samples
     * @param batchSize samples per batch, at least 1
     * @param shuffle true to visit the samples in a new random order each epoch
     * @param seed seed of the shuffle; with the epoch number it fixes each epoch's order
     * @throws IllegalArgumentException if the dataset is empty or {@code batchSize < 1}
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed) {
        this(dataset, batchSize, shuffle, seed, false);
    }

    /**
     * A loader that keeps or drops the last, smaller batch.
     *
     * @param dataset the samples
     * @param batchSize samples per batch, at least 1
     * @param shuffle true to visit the samples in a new random order each epoch
     * @param seed seed of the shuffle; with the epoch number it fixes each epoch's order
     * @param dropLast skip the last batch when it is smaller than {@code batchSize}
     * @throws IllegalArgumentException when an epoch would have no batches: an empty dataset, or
     *         dropLast with fewer samples than the batch size
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + batchSize);
        int n = dataset.size();
        if (n == 0) throw new IllegalArgumentException("DataLoader: the dataset is empty (0 samples): an epoch would have no batches");
        if (dropLast && n < batchSize) {
            throw new IllegalArgumentException("DataLoader: the dataset has " + n + " samples, fewer than the batch size " + batchSize
                    + ", and dropLast skips the one short batch: an epoch would have no batches");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /**
     * The samples this loader batches.
     *
     * @return the dataset
     */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * Samples per batch (the last batch may hold fewer).
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Number of batches per epoch.
     *
     * @return the count, the last partial batch included unless dropLast
     */
    public int batches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The sample order of epoch {@code epoch}.
     *
     * @param epoch epoch number; the same number gives the same order
     * @return a new permutation of the dataset's indices (identity without shuffle)
     */
    public int[] order(int epoch) {
        if (!shuffle) {
            int[] p = new int[dataset.size()];
            for (int i = 0; i < p.length; i++) p[i] = i;
            return p;
        }
        // one independent stream per epoch, derived from the seed alone
        return Splits.permutation(dataset.size(), new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))));
    }

    /**
     * The batches of one epoch.
     *
     * @param epoch epoch number, which fixes the order
     * @return the batches in order; each iteration yields them again
     */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        int count = batches();
        return () -> new Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next * batchSize, to = Math.min(order.length, from + batchSize);
                next++;
                return dataset.batch(java.util.Arrays.copyOfRange(order, from, to));
            }
        };
    }

    /**
     * The batching and the dataset, e.g. {@code DataLoader(430 batches of 128, shuffled with seed 42, over ByteImages(...))}.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        return "DataLoader(" + batches() + " batches of " + batchSize + (dropLast ? ", last partial batch dropped" : "") + ", " + (shuffle ? "shuffled with seed " + seed : "in order") + ", over " + dataset + ")";
    }
}
