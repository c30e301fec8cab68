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
     * @param x input image {@code [C, H, W]}
     * @param offX offset of the image in {@code x}
     * @param c channels C
     * @param h height H
     * @param w width W
     * @param r kernel height R
     * @param s kernel width S
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros above and below
     * @param padW zeros left and right
     * @param dilH vertical spacing between kernel taps
     * @param dilW horizontal spacing between kernel taps
     * @param col column matrix {@code [C·R·S, P·Q]}, overwritten
     * @param offCol offset of the matrix in {@code col}
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
        boolean contiguous = strideH == 1 && strideW == 1 && q == w;
        int row = offCol;
        for (int ci = 0; ci < c; ci++) {
            int plane = offX + ci * h * w;
            for (int ri = 0; ri < r; ri++) {
                for (int si = 0; si < s; si++) {
                    int shift = si * dilW - padW;                 // iw = qi·strideW + shift
                    int q0 = clamp(ceilDiv(-shift, strideW), 0, q);
                    int q1 = clamp(ceilDiv(w - shift, strideW), q0, q);
                    if (q1 == q0) {
                        Arrays.fill(col, row, row + p * q, 0f);     // the tap reads only padding columns
                        row += p * q;
                        continue;
                    }
                    if (contiguous) {
                        copyBlock(x, plane, col, row, h, p, q, ri * dilH - padH, shift, q0, q1);
                        row += p * q;
                        continue;
                    }
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
     * @param col column matrix {@code [C·R·S, P·Q]}
     * @param offCol offset of the matrix in {@code col}
     * @param c channels C
     * @param h height H
     * @param w width W
     * @param r kernel height R
     * @param s kernel width S
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros above and below
     * @param padW zeros left and right
     * @param dilH vertical spacing between kernel taps
     * @param dilW horizontal spacing between kernel taps
     * @param dx image gradient {@code [C, H, W]}, added to
     * @param offDx offset of the image in {@code dx}
     * @throws IllegalArgumentException for impossible geometry or arrays too short
     */
    public static void col2im(float[] col, int offCol, int c, int h, int w, int r, int s,
                              int strideH, int strideW, int padH, int padW, int dilH, int dilW,
                              float[] dx, int offDx) {
        col2im(col, offCol, c, h, w, r, s, strideH, strideW, padH, padW, dilH, dilW, dx, offDx, false);
    }

    /**
     * {@link #col2im}, and when {@code mayClobber} the column elements that came from padding may
     * be overwritten with zeros (a caller's own workspace), which lets a stride-1 "same" width
     * convolution add each (c, r, s) block as one contiguous run.
     */
    static void col2im(float[] col, int offCol, int c, int h, int w, int r, int s,
                       int strideH, int strideW, int padH, int padW, int dilH, int dilW,
                       float[] dx, int offDx, boolean mayClobber) {
        int p = Checks.outputSize("col2im", " (height)", h, r, strideH, padH, dilH);
        int q = Checks.outputSize("col2im", " (width)", w, s, strideW, padW, dilW);
        Checks.positive("col2im", "channels", c);
        Checks.length("col2im", "input gradient", dx, offDx, (long) c * h * w);
        Checks.length("col2im", "column", col, offCol, (long) c * r * s * p * q);
        boolean contiguous = mayClobber && strideH == 1 && strideW == 1 && q == w;
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
                    if (q1 == q0 || pHi == pLo) {
                        row += p * q;                       // the tap reads only padding: nothing to add
                        continue;
                    }
                    if (contiguous) {
                        // zero the padding columns, then the rows pLo..pHi-1 are one run of dx
                        for (int pi = pLo; pi < pHi; pi++) {
                            int o = row + pi * q;
                            for (int qi = 0; qi < q0; qi++) col[o + qi] = 0f;
                            for (int qi = q1; qi < q; qi++) col[o + qi] = 0f;
                        }
                        int first = pLo * q + q0, last = (pHi - 1) * q + q1;
                        int dst = plane + (pLo - padH + ri * dilH) * w + shift;
                        Elementwise.addSerial(dx, dst + q0, col, row + first, dx, dst + q0, last - first);
                        row += p * q;
                        continue;
                    }
                    for (int pi = pLo; pi < pHi; pi++) {
                        int ih = pi * strideH - padH + ri * dilH;
                        int src = row + pi * q;
                        int dst = plane + ih * w + shift;
                        if (strideW == 1) {
                            Elementwise.addSerial(dx, dst + q0, col, src + q0, dx, dst + q0, q1 - q0);
                        } else {
                            for (int qi = q0; qi < q1; qi++) dx[dst + qi * strideW] += col[src + qi];
                        }
                    }
                    row += p * q;
                }
            }
        }
    }

    /**
     * One (c, r, s) block for stride 1 and Q = W, with a column inside the image (q0 &lt; q1):
     * column index pi·Q + qi reads input index
     * (pi + dh)·W + qi + shift, so the valid rows form a single contiguous copy; the padding
     * columns [0, q0) and [q1, Q) of each row are zeroed after it.
     */
    private static void copyBlock(float[] x, int plane, float[] col, int row, int h, int p, int q,
                                  int dh, int shift, int q0, int q1) {
        int pLo = clamp(-dh, 0, p), pHi = clamp(h - dh, pLo, p);
        Arrays.fill(col, row, row + pLo * q, 0f);
        Arrays.fill(col, row + pHi * q, row + p * q, 0f);
        if (pHi == pLo) return;
        int first = pLo * q + q0, last = (pHi - 1) * q + q1;
        System.arraycopy(x, plane + (pLo + dh) * q + shift + q0, col, row + first, last - first);
        for (int pi = pLo; pi < pHi; pi++) {
            int o = row + pi * q;
            for (int qi = 0; qi < q0; qi++) col[o + qi] = 0f;
            for (int qi = q1; qi < q; qi++) col[o + qi] = 0f;
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
