package org.jgrad.core.kernels;

/**
 * The patch matrix of a batch of channels-last images that carry their zero padding, read in
 * place: row i is the receptive field of output pixel i = (n·P + oh)·Q + ow, column
 * j = (r·S + s)·C + c is one tap of it, and element (i, j) is
 * {@code x[n][oh·strideH + r·dilH][ow·strideW + s·dilW][c]}. A convolution is then one GEMM over
 * the whole batch, {@code y[N·P·Q, K] = patches · w[R·S·C, K]}, whose packing copies runs of the
 * image straight into its slivers: with channels last, the C taps of one (r, s) — and the S·C
 * taps of a whole kernel row when dilW = 1 — are one contiguous run of the input. The padding is
 * in the images ({@link Conv2dKernel#toChannelsLast} writes it), so every tap is a real address
 * and a run never stops at the border.
 */
final class Patches implements MatrixSource {

    private final float[] x;
    private final int offX, h, w, c, p, q, r, s, strideH, strideW, dilH, dilW;

    /** Padded images {@code x[offX ..]} of shape [N, h, w, c]; output size p × q. */
    Patches(float[] x, int offX, int h, int w, int c, int p, int q, int r, int s,
            int strideH, int strideW, int dilH, int dilW) {
        this.x = x; this.offX = offX; this.h = h; this.w = w; this.c = c; this.p = p; this.q = q;
        this.r = r; this.s = s; this.strideH = strideH; this.strideW = strideW;
        this.dilH = dilH; this.dilW = dilW;
    }

    @Override
    public void copy(int i, int rows, int j, int cols, float[] dst, int off, int ld) {
        // the output pixel of row i, stepped along the rows without a division per row
        int ow = i % q, t = i / q, oh = t % p, n = t / p;
        int ch0 = j % c, tap = j / c, ks0 = tap % s, kr0 = tap / s;      // the first column's tap, the same for every row
        // the longest run a tap starts: the S·C taps of a kernel row with dilW = 1, else one tap's C channels
        int rowRun = dilW == 1 ? s * c : c;
        // columns that are one run (a B sliver of the weight gradient: some channels of one tap) are
        // one copy per row from a fixed offset past the window's corner
        boolean oneRun = cols <= rowRun - (dilW == 1 ? ks0 * c + ch0 : ch0);
        int firstTap = (kr0 * dilH * w + ks0 * dilW) * c + ch0;
        for (int row = 0; row < rows; row++) {
            int d = off + row * ld;
            int pixel = offX + ((n * h + oh * strideH) * w + ow * strideW) * c;
            if (oneRun) {
                copyRun(pixel + firstTap, dst, d, cols);
            } else {
                copyRow(pixel, ch0, ks0, kr0, rowRun, dst, d, cols);
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

    /**
     * One kernel row's S·C taps (dilW = 1) or one tap's C channels are one run of every row, cut in
     * equal pieces of at most {@code maxLen}.
     */
    @Override
    public int runFrom(int p0, int maxLen) {
        int rowRun = dilW == 1 ? s * c : c;
        int piece = (rowRun + maxLen - 1) / ((rowRun + maxLen - 1) / maxLen);
        return Math.min(Math.min(piece, rowRun - p0 % rowRun), maxLen);
    }

    /** {@code len} taps of the window at {@code pixel}, from channel ch of tap (kr, ks), run by run into {@code dst[d ..]}. */
    private void copyRow(int pixel, int ch, int ks, int kr, int rowRun, float[] dst, int d, int len) {
        for (int done = 0; done < len; ) {
            int start = dilW == 1 ? ks * c + ch : ch;
            int run = Math.min(rowRun - start, len - done);
            copyRun(pixel + (kr * dilH * w + ks * dilW) * c + ch, dst, d + done, run);
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

    private void copyRun(int src, float[] dst, int d, int len) {
        if (len == VectorGemm.NR && Simd.ENABLED) {
            // a row of a B sliver (the weight gradient's packing: one tap's channels) as two vector
            // moves instead of a call: the 32→64 layer's weight gradient 14.46 → 14.02 ms (medians, Zen 4)
            VectorSupport.copyTwoVectors(x, src, dst, d);
        } else if (len < 16) {
            for (int u = 0; u < len; u++) dst[d + u] = x[src + u];     // cheaper than a call for a few floats
        } else {
            System.arraycopy(x, src, dst, d, len);
        }
    }
}
