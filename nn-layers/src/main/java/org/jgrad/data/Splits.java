package org.jgrad.data;

import java.util.SplittableRandom;

/** Random splits and bootstrap resamples, reproducible from a seed. */
public final class Splits {

    private Splits() {}

    /**
     * A random permutation of 0..n-1 (Fisher–Yates, drawing {@code rng.nextInt(i + 1)} for i from
     * n − 1 down to 1). Commons RNG's {@code PermutationSampler.shuffle} runs the same loop but
     * bounds its integers by another algorithm, so it gives other permutations for the same seed:
     * it would change every epoch's order of a seeded run (see {@link org.jgrad.io.RestorableRandom}).
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
     * Splits by fractions, as PyTorch's {@code random_split} with fractions: part i gets
     * {@code floor(fractions[i] · n)} samples, then the remainder (the samples the floors leave out) goes
     * one by one to the parts in order, round-robin. For 10 samples, {@code (0.33, 0.33, 0.34)} gives
     * floors 3, 3, 3 and the one left over goes to the first part: sizes 4, 3, 3. The shuffle is then
     * that of {@link #randomSplit(Dataset, long, int...)} with those sizes.
     *
     * <p>The fractions must add up to 1 within 1e-6. PyTorch instead refuses a sum even slightly above
     * 1 (such as 0.34 + 0.56 + 0.1 in floating point) and then treats the fractions as lengths; here both
     * sides of 1 are accepted. A part may come out empty (PyTorch warns then; here it is just empty).
     *
     * <pre>{@code
     * jshell> Arrays.stream(Splits.randomSplit(ds10, 0, 0.33, 0.33, 0.34)).mapToInt(Subset::size).toArray()
     * $1 ==> int[3] { 4, 3, 3 }
     * }</pre>
     *
     * @param ds the dataset to split
     * @param seed seed of the shuffle
     * @param fractions share of each part, each in [0, 1], adding up to 1
     * @return one subset per fraction, in order
     * @throws IllegalArgumentException if a fraction is outside [0, 1] (or NaN), or the fractions do not add up to 1
     */
    public static Subset[] randomSplit(Dataset ds, long seed, double... fractions) {
        int n = ds.size();
        int[] sizes = new int[fractions.length];
        double sum = 0;
        long floors = 0;
        for (int i = 0; i < fractions.length; i++) {
            double f = fractions[i];
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fraction " + f + " at index " + i + " is not between 0 and 1");
            }
            sum += f;
            sizes[i] = (int) Math.floor(f * n);
            floors += sizes[i];
        }
        if (fractions.length == 0 || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + java.util.Arrays.toString(fractions) + " add up to " + sum
                    + ", expected 1");
        }
        long remainder = n - floors;
        if (remainder < 0) {   // only a sum just above 1 times a huge dataset
            throw new IllegalArgumentException("randomSplit: fractions " + java.util.Arrays.toString(fractions) + " add up to " + sum
                    + ", more than 1: their parts of " + n + " samples add up to " + floors);
        }
        for (long i = 0; i < remainder; i++) sizes[(int) (i % sizes.length)]++;
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
