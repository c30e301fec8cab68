package org.jgrad.core.kernels;

import java.util.Arrays;

/**
 * The patch matrix of a batch of channels-last images, read in place: row i is the receptive
 * field of output pixel i = (n·P + oh)·Q + ow, column j = (r·S + s)·C + c is one tap of it, and
 * element (i, j) is {@code x[n][oh·strideH − padH + r·dilH][ow·strideW − padW + s·dilW][c]}, or 0
 * in the padding. A convolution is then one GEMM over the whole batch,
 * {@code y[N·P·Q, K] = patches · w[R·S·C, K]}, whose packing copies runs of the image straight into
 * its slivers: with channels last, the C taps of one (r, s) — and the S·C taps of a whole kernel
 * row when dilW = 1 — are one contiguous run of the input.
 */
final class Patches implements MatrixSource {

    private final float[] x;
    private final int offX, h, w, c, p, q, r, s, strideH, strideW, padH, padW, dilH, dilW;

    /** Images {@code x[offX ..]} of shape [N, h, w, c]; output size p × q. */
    Patches(float[] x, int offX, int h, int w, int c, int p, int q, int r, int s,
            int strideH, int strideW, int padH, int padW, int dilH, int dilW) {
        this.x = x; this.offX = offX; this.h = h; this.w = w; this.c = c; this.p = p; this.q = q;
        this.r = r; this.s = s; this.strideH = strideH; this.strideW = strideW;
        this.padH = padH; this.padW = padW; this.dilH = dilH; this.dilW = dilW;
    }

    @Override
    public void copy(int i, int rows, int j, int cols, float[] dst, int off, int ld) {
        // the output pixel of row i, stepped along the rows without a division per row
        int ow = i % q, t = i / q, oh = t % p, n = t / p;
        int ch = j % c, tap = j / c, ks = tap % s, kr = tap / s;      // the first column's tap, the same for every row
        // all columns channels of one tap (a B sliver of the weight gradient): one run per row
        boolean oneRun = cols <= c - ch;
        for (int row = 0; row < rows; row++) {
            int d = off + row * ld;
            if (oneRun) {
                int ih = oh * strideH - padH + kr * dilH, iw = ow * strideW - padW + ks * dilW;
                if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                    Arrays.fill(dst, d, d + cols, 0f);
                } else {
                    System.arraycopy(x, offX + ((n * h + ih) * w + iw) * c + ch, dst, d, cols);
                }
            } else {
                copyRow(n, oh, ow, ch, ks, kr, cols, dst, d);
            }
            if (++ow == q) {
                ow = 0;
                if (++oh == p) {
                    oh = 0;
                    n++;
                }
            }
        }
    }

    /** {@code len} columns of output pixel (n, oh, ow), from channel ch of tap (kr, ks), into {@code dst[d ..]}. */
    private void copyRow(int n, int oh, int ow, int ch, int ks, int kr, int len, float[] dst, int d) {
        int image = offX + n * h * w * c;
        int ih0 = oh * strideH - padH, iw0 = ow * strideW - padW;
        for (int done = 0; done < len; ) {
            int ih = ih0 + kr * dilH, iw = iw0 + ks * dilW;
            int run;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                run = Math.min(c - ch, len - done);
                Arrays.fill(dst, d + done, d + done + run, 0f);
            } else {
                // with dilW = 1 the taps (ks, ks+1, …) still inside the row are one run of the input
                int taps = dilW == 1 ? Math.min(s - ks, w - iw) : 1;
                run = Math.min(taps * c - ch, len - done);
                int src = image + (ih * w + iw) * c + ch;
                if (run < 16) {
                    for (int u = 0; u < run; u++) dst[d + done + u] = x[src + u];
                } else {
                    System.arraycopy(x, src, dst, d + done, run);
                }
            }
            done += run;
            ch += run;
            while (ch >= c) {
                ch -= c;
                if (++ks == s) {
                    ks = 0;
                    kr++;
                }
            }
        }
    }
}
