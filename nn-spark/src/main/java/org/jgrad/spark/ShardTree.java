package org.jgrad.spark;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.core.Gradients;

/**
 * The fixed pairwise tree of {@link Gradients#sumTree} over the shards of one step, cut where
 * partitions meet: a partition sums the largest whole subtrees inside its range of shards, and
 * the driver adds those subtree sums exactly where {@code sumTree} would. Each addition is
 * {@code sumTree} over two parts, so every float sees the same operands in the same order as on
 * one machine.
 */
final class ShardTree {

    private ShardTree() {}

    /** The split of node [lo, hi): the left subtree takes the largest power of two below the count. */
    static int mid(int lo, int hi) {
        return lo + Integer.highestOneBit(hi - lo - 1);
    }

    /** The largest whole subtrees of the tree over [0, shards) inside [from, to), left to right, as {lo, hi}. */
    static List<int[]> nodesWithin(int shards, int from, int to) {
        List<int[]> out = new ArrayList<>();
        collect(0, shards, from, to, out);
        return out;
    }

    private static void collect(int lo, int hi, int from, int to, List<int[]> out) {
        if (hi <= from || lo >= to) return;
        if (from <= lo && hi <= to) {
            out.add(new int[] {lo, hi});
            return;
        }
        int mid = mid(lo, hi);
        collect(lo, mid, from, to, out);
        collect(mid, hi, from, to, out);
    }

    /** The partitions' shard ranges: {@code parts} contiguous, near-equal ranges of [0, shards). */
    static int[][] ranges(int shards, int parts) {
        int[][] r = new int[parts][];
        for (int i = 0; i < parts; i++) r[i] = new int[] {(int) ((long) i * shards / parts), (int) ((long) (i + 1) * shards / parts)};
        return r;
    }

    /** Adds part {@code b} into part {@code a}, parameter by parameter: the one addition of {@code sumTree}. */
    static void add(float[][] a, float[][] b) {
        Gradients.sumTree(new float[][][] {a, b}, 0, 2);
    }

    /**
     * Finishes the tree over [0, shards) on the driver. {@code end[lo]} is the end of a subtree
     * whose sum a partition already put in {@code grads[lo]} and {@code losses[lo]} (0 where none
     * starts); the total ends up in {@code grads[0]} and {@code losses[0]}.
     */
    static void finish(float[][][] grads, double[] losses, int[] end, int lo, int hi) {
        if (end[lo] == hi) return;
        if (hi - lo < 2) throw new IllegalStateException("ShardTree: no partition returned shard " + lo);
        int mid = mid(lo, hi);
        finish(grads, losses, end, lo, mid);
        finish(grads, losses, end, mid, hi);
        add(grads[lo], grads[mid]);
        losses[lo] += losses[mid];
    }
}
