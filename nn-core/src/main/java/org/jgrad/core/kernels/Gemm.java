package org.jgrad.core.kernels;

/**
 * Single-precision general matrix multiply, row-major, BLAS style:
 * {@code C = alpha · op(A) · op(B) + beta · C}, where op(X) is X or Xᵀ.
 *
 * <p>op(A) is M×K, op(B) is K×N, C is M×N. Element (i, j) of a row-major matrix X with leading
 * dimension ldX is {@code X[offX + i·ldX + j]}; a transposed operand is read in place, never
 * materialised. When beta is 0, C is not read (NaN in C does not propagate), as in BLAS.
 */
public final class Gemm {

    private Gemm() {}

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}; see the class comment.
     *
     * @param transA true to read A transposed
     * @param transB true to read B transposed
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param alpha factor on the product
     * @param a matrix A
     * @param offA offset of A's first element
     * @param lda leading dimension of A (its row length as stored)
     * @param b matrix B
     * @param offB offset of B's first element
     * @param ldb leading dimension of B
     * @param beta factor on C's old values; 0 means C is not read
     * @param c matrix C, written in place
     * @param offC offset of C's first element
     * @param ldc leading dimension of C
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int offA, int lda, float[] b, int offB, int ldb,
                             float beta, float[] c, int offC, int ldc) {
        check(transA, transB, m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            // BLAS: A and B are not read, so Inf/NaN in them cannot reach C.
            scale(m, n, beta, c, offC, ldc);
            return;
        }
        if (Simd.ENABLED) {
            VectorGemm.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        } else {
            ScalarGemm.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }
    }

    /**
     * {@code C = A·B + beta·C} (m × n) where A (m × k) and B (k × n) are sources that the GEMM
     * packs from ({@link Patches}: a convolution's patch matrix read straight from the image).
     * Each element of C is the same fma chain as in the array form.
     */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, float beta, float[] c, int offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            scale(m, n, beta, c, offC, ldc);
        } else if (Simd.ENABLED) {
            VectorGemm.sgemm(m, n, k, a, b, beta, c, offC, ldc);
        } else {
            ScalarGemm.sgemm(m, n, k, a, b, beta, c, offC, ldc);
        }
    }

    /**
     * {@code C = A·B} (m × n) with sources for A and B, handed to {@code sink} block by block as
     * each block is finished (a convolution writes its NCHW output from there). Each element is
     * the same fma chain as in the array form.
     */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, MatrixSink sink) {
        sgemm(m, n, k, a, b, sink, true);
    }

    /**
     * The same, with {@code mayFork} false when the sink must see the blocks one at a time and in
     * a fixed order (one that adds into shared memory; the caller parallelises over disjoint work).
     */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, MatrixSink sink, boolean mayFork) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            sink.store(0, m, 0, n, new float[n], 0, 0);
        } else if (Simd.ENABLED) {
            VectorGemm.sgemm(m, n, k, a, b, sink, mayFork);
        } else {
            ScalarGemm.sgemm(m, n, k, a, b, sink);
        }
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        int widthA = transA ? m : k;
        int widthB = transB ? k : n;
        // (an empty operand, width 0, may come with a leading dimension of 0)
        if (lda < widthA || ldb < widthB || ldc < n || lda < 0 || ldb < 0 || ldc < 0) {
            throw new IllegalArgumentException("sgemm: leading dimensions lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc
                    + " are smaller than the row widths " + widthA + ", " + widthB + ", " + n);
        }
    }

    /** C = beta·C, without reading C when beta is 0. */
    private static void scale(int m, int n, float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = offC + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }
}
