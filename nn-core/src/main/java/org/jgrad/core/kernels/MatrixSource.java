package org.jgrad.core.kernels;

/**
 * A GEMM operand that is never stored as a matrix: {@link Gemm#sgemm(int, int, int, MatrixSource,
 * MatrixSource, float[], int, int)} asks it for slivers while packing, and it writes them from
 * wherever its elements live. A convolution's patch matrix ({@link Patches}) is read this way
 * straight from the image, so no im2col matrix is ever materialised (implicit GEMM, as in
 * oneDNN and XNNPACK's indirection buffers).
 *
 * <p>{@link #copy} must give the same value for element (i, j) of the M × K (or K × N) matrix
 * every time it is asked, so that the GEMM's result does not depend on how it packs.
 */
interface MatrixSource {

    /** Copies rows [i, i + rows) × columns [j, j + cols) into {@code dst[off + t·ld + u]}, t < rows, u < cols. */
    void copy(int i, int rows, int j, int cols, float[] dst, int off, int ld);

    /**
     * The length of the K block from column {@code p0} (at most {@code maxLen}) whose every row this
     * source copies as one contiguous run, or 0 when it has no such runs: the GEMM then cuts K there,
     * so that packing is one copy per row.
     */
    default int runFrom(int p0, int maxLen) {
        return 0;
    }

    /** A row-major array as a source ({@code transposed}: element (i, j) is {@code a[off + j·ld + i]}). */
    static MatrixSource dense(float[] a, int offset, int ld, boolean transposed) {
        return (i, rows, j, cols, dst, off, ldDst) -> {
            for (int t = 0; t < rows; t++) {
                int d = off + t * ldDst;
                if (transposed) {
                    for (int u = 0; u < cols; u++) dst[d + u] = a[offset + (j + u) * ld + i + t];
                } else {
                    System.arraycopy(a, offset + (i + t) * ld + j, dst, d, cols);
                }
            }
        };
    }
}
