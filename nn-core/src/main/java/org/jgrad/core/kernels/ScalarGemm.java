package org.jgrad.core.kernels;

/**
 * The scalar twin of {@link VectorGemm}: plain loops, used when SIMD is off, and the kernel the
 * vector code must agree with.
 *
 * <p>Both compute every element of C by the same sequence of float operations:
 * {@code acc = beta·c} (or 0 when beta is 0), then {@code acc = fma(alpha·a[i,p], b[p,j], acc)}
 * for p = 0, 1, …, K−1 in order. So for the same inputs they give bitwise the same result, on
 * any vector width and thread count.
 */
final class ScalarGemm {

    private ScalarGemm() {}

    /** Same contract as {@link Gemm#sgemm}; arguments are already checked. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, int lda, float[] b, int offB, int ldb,
                      float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            int rowC = offC + i * ldc;
            for (int j = 0; j < n; j++) c[rowC + j] = beta == 0f ? 0f : beta * c[rowC + j];
            // i-p-j order: the inner loop walks a row of C (and of B when not transposed).
            for (int p = 0; p < k; p++) {
                float aip = alpha * (transA ? a[offA + p * lda + i] : a[offA + i * lda + p]);
                if (transB) {
                    for (int j = 0; j < n; j++) c[rowC + j] = Math.fma(aip, b[offB + j * ldb + p], c[rowC + j]);
                } else {
                    int rowB = offB + p * ldb;
                    for (int j = 0; j < n; j++) c[rowC + j] = Math.fma(aip, b[rowB + j], c[rowC + j]);
                }
            }
        }
    }

    /** Rows of a B source held at once by {@link #sgemm(int, int, int, MatrixSource, MatrixSource, float, float[], int, int)}. */
    private static final int BLOCK = 256;

    /**
     * {@code C = A·B + beta·C} with operands that pack themselves. K is walked in blocks of rows
     * of B; within a block every element of C continues its fma chain in order of p, so the
     * result is the same chain as the array form.
     */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            int rowC = offC + i * ldc;
            for (int j = 0; j < n; j++) c[rowC + j] = beta == 0f ? 0f : beta * c[rowC + j];
        }
        float[] rowA = new float[Math.min(k, BLOCK)], rowsB = new float[Math.min(k, BLOCK) * n];
        for (int p0 = 0; p0 < k; p0 += BLOCK) {
            int kb = Math.min(BLOCK, k - p0);
            b.copy(p0, kb, 0, n, rowsB, 0, n);
            for (int i = 0; i < m; i++) {
                a.copy(i, 1, p0, kb, rowA, 0, kb);
                int rowC = offC + i * ldc;
                for (int p = 0; p < kb; p++) {
                    float aip = rowA[p];
                    for (int j = 0; j < n; j++) c[rowC + j] = Math.fma(aip, rowsB[p * n + j], c[rowC + j]);
                }
            }
        }
    }

    /** {@code C = A·B} handed to {@code sink} in blocks of rows, each computed as above. */
    static void sgemm(int m, int n, int k, MatrixSource a, MatrixSource b, MatrixSink sink) {
        int rows = Math.max(1, Math.min(m, (1 << 16) / n));
        float[] c = new float[rows * n];
        for (int i0 = 0; i0 < m; i0 += rows) {
            int mb = Math.min(rows, m - i0), first = i0;
            MatrixSource block = (i, r, j, cols, dst, off, ld) -> a.copy(first + i, r, j, cols, dst, off, ld);
            sgemm(mb, n, k, block, b, 0f, c, 0, n);
            sink.store(i0, mb, 0, n, c, 0, n);
        }
    }
}
