package org.jgrad.core;

import org.jgrad.core.kernels.Elementwise;

/**
 * Combining the gradients of a data-parallel step: the shards' gradients are summed by a fixed
 * pairwise tree over the shard indices, ((s0 + s1) + (s2 + s3)) + …, never in completion order, so
 * the sum is the same bits on any thread count — and a subtree can be summed on another machine
 * (a Spark executor) without changing a bit. The {@code Trainer} uses it; so can a custom loop.
 *
 * <pre>{@code
 * jshell> float[][][] g = {{{1}}, {{2}}, {{3}}};      // three shards, one parameter of one value
 * jshell> Gradients.sumTree(g, 0, 3); g[0][0][0]
 * $2 ==> 6.0                                           // (1 + 2) + 3
 * }</pre>
 */
public final class Gradients {

    private Gradients() {}

    /**
     * Sums shards {@code [lo, hi)} of {@code parts[shard][parameter][element]} into {@code parts[lo]}
     * by the fixed tree: the left subtree takes the largest power of two below the count.
     *
     * @param parts gradients indexed by shard, then parameter, then element; summed in place
     * @param lo first shard
     * @param hi end of the shards, exclusive
     */
    public static void sumTree(float[][][] parts, int lo, int hi) {
        if (hi - lo < 2) return;
        int mid = lo + Integer.highestOneBit(hi - lo - 1);
        sumTree(parts, lo, mid);
        sumTree(parts, mid, hi);
        for (int p = 0; p < parts[lo].length; p++) {
            Elementwise.add(parts[lo][p], 0, parts[mid][p], 0, parts[lo][p], 0, parts[lo][p].length);
        }
    }

    /**
     * The same tree over one value per shard (the shards' losses).
     *
     * @param v one value per shard; summed in place into {@code v[lo]}
     * @param lo first shard
     * @param hi end of the shards, exclusive
     */
    public static void sumTree(double[] v, int lo, int hi) {
        if (hi - lo < 2) return;
        int mid = lo + Integer.highestOneBit(hi - lo - 1);
        sumTree(v, lo, mid);
        sumTree(v, mid, hi);
        v[lo] += v[mid];
    }

    /** Floats per chunk of the passes over a whole gradient (256 KiB). */
    private static final int GRAIN = 1 << 16;

    /**
     * Whether no element is NaN or infinite (vectorised, in parallel chunks for a large gradient).
     *
     * @param a the values
     * @return true if every element is finite
     */
    public static boolean allFinite(float[] a) {
        int chunks = Parallel.chunks(a.length, GRAIN);
        if (chunks <= 1) return Elementwise.allFinite(a, 0, a.length);
        boolean[] finite = new boolean[chunks];
        Parallel.forChunks(chunks, c -> {
            int from = c * GRAIN;
            finite[c] = Elementwise.allFinite(a, from, Math.min(a.length, from + GRAIN) - from);
        });
        for (boolean f : finite) if (!f) return false;
        return true;
    }

    /** Copies {@code src} into {@code dst} (the same length), in parallel chunks for a large gradient. */
    static void copy(float[] src, float[] dst) {
        Parallel.forRange(dst.length, GRAIN, (from, to) -> System.arraycopy(src, from, dst, from, to - from));
    }
}
