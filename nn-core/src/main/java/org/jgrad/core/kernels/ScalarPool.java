package org.jgrad.core.kernels;

/**
 * The scalar twin of {@link VectorPool}: max pooling of one output row, used when SIMD is off or
 * the geometry is not the vector kernel's, for the vector kernel's tail, and as the oracle the
 * tests compare it with. Tie and NaN rules are {@link Pool}'s.
 */
final class ScalarPool {

    private ScalarPool() {}

    /**
     * Outputs {@code qFrom..Q−1} of output row {@code pi} of one plane: the scalar max pooling, the
     * tail of {@link VectorPool#maxPool2x2} and its oracle in the tests.
     */
    static void maxRow(PoolGeometry g, int plane, int pi, int qFrom, float[] x, int offX, float[] y, int offY,
                       int[] argmax, int offArg) {
        int h = g.h, w = g.w, q = g.q, kH = g.kH, kW = g.kW;
        int sW = g.strideW, padW = g.padW;
        int xo = offX + plane * h * w, yo = offY + (plane * g.p + pi) * q, ao = offArg + (plane * g.p + pi) * q;
        int h0 = pi * g.strideH - g.padH;
        int hLo = Math.max(0, h0), hHi = Math.min(h, h0 + kH);
        for (int qi = qFrom; qi < q; qi++) {
            int w0 = qi * sW - padW;
            int wLo = Math.max(0, w0), wHi = Math.min(w, w0 + kW);
            float best = Float.NEGATIVE_INFINITY;
            int at = hLo * w + wLo;
            for (int ih = hLo; ih < hHi; ih++) {
                int row = ih * w;
                for (int iw = wLo; iw < wHi; iw++) {
                    float v = x[xo + row + iw];
                    // strictly greater keeps the first maximum; the first NaN wins and stays
                    boolean take = v > best || (v != v && best == best);
                    best = take ? v : best;
                    at = take ? row + iw : at;
                }
            }
            y[yo + qi] = best;
            if (argmax != null) argmax[ao + qi] = at;
        }
    }
}
