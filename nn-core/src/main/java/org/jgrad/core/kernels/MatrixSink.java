package org.jgrad.core.kernels;

/**
 * Where a GEMM that is given one writes its result, C = A·B, a block at a time: the block is
 * finished (every fma of its reduction done) when {@link #store} sees it, and each element is
 * stored exactly once. A convolution's sink writes channels-last rows of C into an NCHW output
 * (plus the bias) while the block is still in cache, instead of a transpose pass afterwards.
 */
interface MatrixSink {

    /**
     * Takes rows [i, i + rows) × columns [j, j + cols) of C from {@code buf[off + t·ld + u]}, t < rows, u < cols.
     * The block is the sink's until it returns: it may overwrite it (the caller never reads it again).
     */
    void store(int i, int rows, int j, int cols, float[] buf, int off, int ld);
}
