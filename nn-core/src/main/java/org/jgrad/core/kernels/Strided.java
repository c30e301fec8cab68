package org.jgrad.core.kernels;

/**
 * Copies an n-dimensional block between two arrays addressed by strides: the one primitive
 * behind permute, expand, narrow, cat and their backwards. A stride of 0 repeats an element
 * (broadcasting). Dimensions that are contiguous in both arrays are merged first, so the inner
 * loop runs as long as possible; a unit-stride inner loop becomes {@link System#arraycopy}.
 */
public final class Strided {

    private Strided() {}

    /**
     * {@code dst[dstOff + Σ i_d·dstStrides[d]] = src[srcOff + Σ i_d·srcStrides[d]]} for every index
     * i of {@code shape}; with {@code accumulate}, adds instead of overwriting.
     *
     * @param shape the index space
     * @param src source array
     * @param srcOff offset of the source's first element
     * @param srcStrides source stride per dimension
     * @param dst destination array
     * @param dstOff offset of the destination's first element
     * @param dstStrides destination stride per dimension
     * @param accumulate true to add into {@code dst}, false to overwrite
     */
    public static void copy(int[] shape, float[] src, int srcOff, int[] srcStrides,
                            float[] dst, int dstOff, int[] dstStrides, boolean accumulate) {
        forEachRun(shape, srcStrides, srcOff, dstStrides, dstOff,
                (run, so, sIn, d0, dIn, n) -> copyRun(src, so, sIn, dst, d0, dIn, n, accumulate));
    }

    /** One run of {@link #forEachRun}: the run's number, each operand's offset and stride along it, its length. */
    @FunctionalInterface
    public interface RunBody {
        /**
         * Handles one run.
         *
         * @param run the run's number
         * @param offA offset of the run's first element in A
         * @param strideA A's stride along the run
         * @param offB offset of the run's first element in B
         * @param strideB B's stride along the run
         * @param n the run's length
         */
        void run(int run, int offA, int strideA, int offB, int strideB, int n);
    }

    /**
     * Walks every index of {@code shape} over two operands addressed by strides (A and B), as runs
     * along the innermost dimension: dimensions of size 1 are dropped and neighbours laid out alike
     * in both operands are merged first, so runs are as long as possible, then an odometer steps
     * through the outer dimensions in row-major order. Run r covers elements r·n … r·n + n − 1 of
     * the index space in row-major order (so a contiguous third operand, such as a broadcast
     * result, is at offset r·n). Nothing is called for an empty shape.
     *
     * @param shape the index space
     * @param stridesA A's stride per dimension
     * @param offA offset of A's first element
     * @param stridesB B's stride per dimension
     * @param offB offset of B's first element
     * @param body called once per run
     */
    public static void forEachRun(int[] shape, int[] stridesA, int offA, int[] stridesB, int offB, RunBody body) {
        int rank = shape.length;
        for (int s : shape) if (s == 0) return;
        // merge dimensions from the innermost outwards; drop size-1 dimensions
        int[] dims = new int[rank + 1], as = new int[rank + 1], bs = new int[rank + 1];
        int m = 0;
        for (int d = rank - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (m > 0 && stridesA[d] == as[m - 1] * dims[m - 1] && stridesB[d] == bs[m - 1] * dims[m - 1]) {
                dims[m - 1] *= shape[d];
            } else {
                dims[m] = shape[d];
                as[m] = stridesA[d];
                bs[m] = stridesB[d];
                m++;
            }
        }
        if (m == 0) { // a single element
            dims[0] = 1;
            as[0] = 1;
            bs[0] = 1;
            m = 1;
        }
        // dims[0] is now the innermost run; iterate the others with an odometer
        int n = dims[0];
        int[] idx = new int[m];
        int oa = offA, ob = offB;
        for (int run = 0; ; run++) {
            body.run(run, oa, as[0], ob, bs[0], n);
            int k = 1;
            while (k < m) {
                idx[k]++;
                oa += as[k];
                ob += bs[k];
                if (idx[k] < dims[k]) break;
                oa -= as[k] * dims[k];
                ob -= bs[k] * dims[k];
                idx[k] = 0;
                k++;
            }
            if (k == m) return;
        }
    }

    private static void copyRun(float[] src, int so, int ss, float[] dst, int d0, int ds, int n, boolean accumulate) {
        if (ss == 1 && ds == 1) {
            if (accumulate) Elementwise.add(dst, d0, src, so, dst, d0, n);
            else System.arraycopy(src, so, dst, d0, n);
        } else if (accumulate) {
            for (int i = 0; i < n; i++) dst[d0 + i * ds] += src[so + i * ss];
        } else {
            for (int i = 0; i < n; i++) dst[d0 + i * ds] = src[so + i * ss];
        }
    }

    /**
     * Row-major strides of a contiguous array of this shape.
     *
     * @param shape the dimensions
     * @return one stride per dimension, the last 1
     */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }
}
