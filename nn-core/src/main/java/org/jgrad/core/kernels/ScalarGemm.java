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
}
