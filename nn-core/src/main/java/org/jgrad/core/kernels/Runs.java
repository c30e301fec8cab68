package org.jgrad.core.kernels;

/**
 * Contiguous-run primitives used by col2im and by the fixed-order reductions of the
 * convolution kernels. Dispatches to {@link VectorRuns} when SIMD is on; the scalar loops here
 * are the fallback and the test oracle.
 */
final class Runs {

    private Runs() {}

    /** {@code dst[dstOff + i] += src[srcOff + i]} for i in [0, len). */
    static void add(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        if (Simd.ENABLED) {
            VectorRuns.add(src, srcOff, dst, dstOff, len);
        } else {
            addScalar(src, srcOff, dst, dstOff, len, 0);
        }
    }

    /** The scalar twin of {@link #add}, from element {@code from} on (the vector kernel's tail). */
    static void addScalar(float[] src, int srcOff, float[] dst, int dstOff, int len, int from) {
        for (int i = from; i < len; i++) dst[dstOff + i] += src[srcOff + i];
    }
}
