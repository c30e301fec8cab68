package org.jgrad.core.kernels;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im for one image.
 *
 * <p>The column matrix of an image {@code x[C, H, W]} has C·R·S rows and P·Q columns (row-major):
 * {@code col[(c·R + r)·S + s][p·Q + q] = x[c][p·strideH − padH + r·dilH][q·strideW − padW + s·dilW]},
 * and 0 where that index falls in the padding. P and Q follow PyTorch:
 * {@code P = ⌊(H + 2·padH − dilH·(R−1) − 1) / strideH⌋ + 1}. With it a convolution is the GEMM
 * {@code y[K, P·Q] = w[K, C·R·S] · col}.
 *
 * <p>For each (c, r, s, p) the valid q form one contiguous range, computed once per (c, r, s), so
 * the inner loops have no bounds tests. With strideW = 1 that range is a contiguous run of the
 * input: im2col copies it with {@code System.arraycopy} (an intrinsic that the JIT already
 * vectorizes) and col2im adds it with a SIMD loop; other strides use a scalar gather/scatter.
 */
public final class Im2col {

    private Im2col() {}

    /**
     * Writes the [C·R·S, P·Q] column matrix of image {@code x[offX ..]} ([C, H, W]) into
     * {@code col[offCol ..]}; every element of the matrix is written.
     *
     * @throws IllegalArgumentException for impossible geometry or arrays too short
     */
    public static void im2col(float[] x, int offX, int c, int h, int w, int r, int s,
                              int strideH, int strideW, int padH, int padW, int dilH, int dilW,
                              float[] col, int offCol) {
        int p = Checks.outputSize("im2col", " (height)", h, r, strideH, padH, dilH);
        int q = Checks.outputSize("im2col", " (width)", w, s, strideW, padW, dilW);
        Checks.positive("im2col", "channels", c);
        Checks.length("im2col", "input", x, offX, (long) c * h * w);
        Checks.length("im2col", "column", col, offCol, (long) c * r * s * p * q);
        int row = offCol;
        for (int ci = 0; ci < c; ci++) {
            int plane = offX + ci * h * w;
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int shift = si * dilW - padW;                 // iw = qi·strideW + shift
                    int q0 = clamp(ceilDiv(-shift, strideW), 0, q);
                    int q1 = clamp(ceilDiv(w - shift, strideW), q0, q);
                    for (int pi = 0; pi < p; pi++) {
                        int ih = pi * strideH - padH + ri * dilH;
                        int dst = row + pi * q;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + q, 0f);
                            continue;
                        }
                        if (q0 > 0) Arrays.fill(col, dst, dst + q0, 0f);
                        int src = plane + ih * w + shift;
                        if (strideW == 1) {
                            System.arraycopy(x, src + q0, col, dst + q0, q1 - q0);
                        } else {
                            for (int qi = q0; qi < q1; qi++) col[dst + qi] = x[src + qi * strideW];
                        }
                        if (q1 < q) Arrays.fill(col, dst + q1, dst + q, 0f);
                    }
                    row += p * q;
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds each column-matrix element to the input position it was
     * read from, {@code dx[offDx ..] += col2im(col)} (elements that came from padding are dropped).
     * Accumulates: clear {@code dx} first for a plain result.
     *
     * @throws IllegalArgumentException for impossible geometry or arrays too short
     */
    public static void col2im(float[] col, int offCol, int c, int h, int w, int r, int s,
                              int strideH, int strideW, int padH, int padW, int dilH, int dilW,
                              float[] dx, int offDx) {
        int p = Checks.outputSize("col2im", " (height)", h, r, strideH, padH, dilH);
        int q = Checks.outputSize("col2im", " (width)", w, s, strideW, padW, dilW);
        Checks.positive("col2im", "channels", c);
        Checks.length("col2im", "input gradient", dx, offDx, (long) c * h * w);
        Checks.length("col2im", "column", col, offCol, (long) c * r * s * p * q);
        int row = offCol;
        for (int ci = 0; ci < c; ci++) {
            int plane = offDx + ci * h * w;
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int shift = si * dilW - padW;
                    int q0 = clamp(ceilDiv(-shift, strideW), 0, q);
                    int q1 = clamp(ceilDiv(w - shift, strideW), q0, q);
                    int pLo = clamp(ceilDiv(padH - ri * dilH, strideH), 0, p);
                    int pHi = clamp(ceilDiv(h + padH - ri * dilH, strideH), pLo, p);
                    for (int pi = pLo; pi < pHi; pi++) {
                        int ih = pi * strideH - padH + ri * dilH;
                        int src = row + pi * q;
                        int dst = plane + ih * w + shift;
                        if (strideW == 1) {
                            Runs.add(col, src + q0, dx, dst + q0, q1 - q0);
                        } else {
                            for (int qi = q0; qi < q1; qi++) dx[dst + qi * strideW] += col[src + qi];
                        }
                    }
                    row += p * q;
                }
            }
        }
    }

    /** ⌈a / b⌉ for b > 0 and any sign of a. */
    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
