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

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int offA, int lda, float[] b, int offB, int ldb,
                             float beta, float[] c, int offC, int ldc) {
        // Placeholder: a plain cache-friendly loop; the packed SIMD kernel replaces it.
        for (int i = 0; i < m; i++) {
            int rowC = offC + i * ldc;
            if (beta == 0f) {
                for (int j = 0; j < n; j++) c[rowC + j] = 0f;
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) c[rowC + j] *= beta;
            }
            for (int p = 0; p < k; p++) {
                float aip = alpha * (transA ? a[offA + p * lda + i] : a[offA + i * lda + p]);
                if (transB) {
                    for (int j = 0; j < n; j++) c[rowC + j] += aip * b[offB + j * ldb + p];
                } else {
                    int rowB = offB + p * ldb;
                    for (int j = 0; j < n; j++) c[rowC + j] += aip * b[rowB + j];
                }
            }
        }
    }
}
