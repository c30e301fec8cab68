package org.jgrad.data;

import java.util.SplittableRandom;

/** Random splits and bootstrap resamples, reproducible from a seed. */
public final class Splits {

    private Splits() {}

    /**
     * A random permutation of 0..n-1 (Fisher–Yates).
     *
     * @param n number of elements
     * @param rng source of the shuffle
     * @return a new array holding each of 0..n-1 once
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Cuts a shuffled copy of the dataset into disjoint parts of the given sizes, e.g.
     * {@code randomSplit(ds, seed, 50_000, 10_000)}. The sizes must add up to the dataset's size.
     *
     * @param ds the dataset to split
     * @param seed seed of the shuffle
     * @param sizes sample count of each part, non-negative
     * @return one subset per size, in order
     * @throws IllegalArgumentException if a size is negative or the sizes do not add up to the dataset's size
     */
    public static Subset[] randomSplit(Dataset ds, long seed, int... sizes) {
        long total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("randomSplit: negative size " + s);
            total += s;
        }
        if (total != ds.size()) {
            throw new IllegalArgumentException("randomSplit: sizes " + java.util.Arrays.toString(sizes) + " add up to " + total
                    + " but the dataset has " + ds.size() + " samples");
        }
        int[] perm = permutation(ds.size(), new SplittableRandom(seed));
        Subset[] out = new Subset[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = new Subset(ds, java.util.Arrays.copyOfRange(perm, start, start + sizes[i]));
            start += sizes[i];
        }
        return out;
    }

    /**
     * Splits by fractions (e.g. 0.8, 0.1, 0.1); the last part takes the rounding remainder.
     *
     * @param ds the dataset to split
     * @param seed seed of the shuffle
     * @param fractions share of each part, non-negative, adding up to 1
     * @return one subset per fraction, in order
     */
    public static Subset[] randomSplit(Dataset ds, long seed, double... fractions) {
        int[] sizes = new int[fractions.length];
        int used = 0;
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (fractions[i] < 0) throw new IllegalArgumentException("randomSplit: negative fraction " + fractions[i]);
            sum += fractions[i];
            sizes[i] = i == fractions.length - 1 ? ds.size() - used : (int) Math.floor(fractions[i] * ds.size());
            used += sizes[i];
        }
        if (Math.abs(sum - 1) > 1e-6) throw new IllegalArgumentException("randomSplit: fractions add up to " + sum + ", expected 1");
        return randomSplit(ds, seed, sizes);
    }

    /**
     * n samples drawn with replacement (a bootstrap resample of the same size as the dataset).
     *
     * @param ds the dataset to resample
     * @param seed seed of the draws
     * @return a subset of {@code ds.size()} indices, repeats allowed
     */
    public static Subset bootstrap(Dataset ds, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] idx = new int[ds.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = rng.nextInt(ds.size());
        return new Subset(ds, idx);
    }
}
