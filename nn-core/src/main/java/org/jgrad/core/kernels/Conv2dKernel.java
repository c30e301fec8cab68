package org.jgrad.core.kernels;

import java.util.Arrays;
import org.jgrad.core.Parallel;

/**
 * Convolution over a batch, forward and backward, as GEMMs over all the images at once.
 *
 * <p>Shapes are given by a {@link ConvGeometry}: input {@code x[N, C, H, W]}, weight
 * {@code w[K, C, R, S]}, bias {@code b[K]} (optional), output {@code y[N, K, P, Q]}, all
 * contiguous row-major from their offsets. Inside, images are channels-last (NHWC) so that a
 * receptive field is a few contiguous runs of memory, and the {@link Patches} of the batch —
 * an [N·P·Q × R·S·C] matrix that is never materialised — are packed by the GEMM straight from the
 * image (implicit GEMM):
 * <pre>
 *   y   = patches(x) · w'                    M = N·P·Q, N = K,     K = R·S·C   (w' = w as [R·S·C, K])
 *   dx  = patches(dy) · flip(w)'             M = N·H·W, N = C,     K = R·S·K   (stride 1: a convolution of dy)
 *   dw  = dy' · patches(x)                   M = K,     N = R·S·C, K = N·P·Q   (dy' = dy as [K, N·P·Q])
 *   db_k = Σ_n Σ_pq dy[n, k, pq]
 * </pre>
 * Every register tile is full when K and C are multiples of the vector tile (32 and 64 channels
 * are), and there is no per-image column buffer. An input gradient with stride above 1 still
 * goes image by image through col2im.
 *
 * <p>Each output element is one fma chain over its whole reduction in a fixed order (the GEMM's
 * guarantee), so results are bitwise identical for any thread count. Buffers (the channels-last
 * copies) come from a pool and are reused across calls. All methods overwrite their outputs.
 *
 * <pre>{@code
 * jshell> var g = ConvGeometry.conv2d(1, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1)
 * jshell> float[] y = new float[9]
 * jshell> Conv2dKernel.forward(g, new float[]{1,2,3,4,5,6,7,8,9}, 0, new float[]{0,0,0,0,1,0,0,0,0}, 0, null, 0, y, 0)
 * jshell> y
 * y ==> float[9] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0 }
 * }</pre>
 */
public final class Conv2dKernel {

    private static final Workspace COLUMNS = new Workspace(4 * Runtime.getRuntime().availableProcessors() + 4);
    /** Channels-last copies and reshaped weights: a few per call, reused across calls. */
    private static final Workspace LAYOUTS = new Workspace(24);

    /** Below this many input channels the forward packs runs along image rows instead of along channels. */
    private static final int FEW_CHANNELS = 8;

    private Conv2dKernel() {}

    /**
     * {@code y = conv(x, w) + b}. {@code bias} may be null (then {@code offBias} is ignored).
     *
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void forward(ConvGeometry g, float[] x, int offX, float[] w, int offW,
                               float[] bias, int offBias, float[] y, int offY) {
        Checks.length(g.op, "input", x, offX, (long) g.n * g.inputSize());
        Checks.length(g.op, "weight", w, offW, g.weightSize());
        if (bias != null) Checks.length(g.op, "bias", bias, offBias, g.k);
        Checks.length(g.op, "output", y, offY, (long) g.n * g.outputSize());
        if (g.n == 0) return;
        int taps = g.colRows(), pixels = g.n * g.colCols();
        float[] xt = LAYOUTS.take(g.n * g.inputSize());
        float[] wt = LAYOUTS.take(g.weightSize());
        try {
            toChannelsLast(x, offX, g.n, g.c, g.h * g.w, xt);
            // w'[(r·S + s)·C + c][k] = w[k][c][r][s]
            for (int k = 0; k < g.k; k++)
                for (int c = 0; c < g.c; c++)
                    for (int t = 0; t < g.r * g.s; t++) wt[(t * g.c + c) * g.k + k] = w[offW + (k * g.c + c) * g.r * g.s + t];
            if (g.c >= FEW_CHANNELS) {
                Gemm.sgemm(pixels, g.k, taps, patches(g, xt), MatrixSource.dense(wt, 0, g.k, false),
                        channelsFirst(g.k, g.colCols(), bias, offBias, y, offY));
            } else {
                // few channels: runs along image rows pack faster than runs along channels
                Gemm.sgemm(g.k, pixels, taps, MatrixSource.dense(wt, 0, g.k, true), patches(g, xt).transposed(),
                        channelRows(g.colCols(), bias, offBias, y, offY, g.k));
            }
        } finally {
            LAYOUTS.give(xt);
            LAYOUTS.give(wt);
        }
    }

    /**
     * A sink for channel-major results: row ch of C is channel ch, column i = n·hw + j pixel j of
     * image n, stored at {@code dst[off + (n·c + ch)·hw + j]} plus {@code bias[offBias + ch]}.
     */
    static MatrixSink channelRows(int hw, float[] bias, int offBias, float[] dst, int off, int c) {
        return (i, rows, j, cols, buf, offBuf, ld) -> {
            for (int t = 0; t < rows; t++) {
                int ch = i + t;
                float b = bias == null ? 0f : bias[offBias + ch];
                for (int u = 0; u < cols; ) {
                    int n = (j + u) / hw, pixel = (j + u) % hw, run = Math.min(cols - u, hw - pixel);
                    int d = off + (n * c + ch) * hw + pixel, src = offBuf + t * ld + u;
                    if (bias == null) {
                        System.arraycopy(buf, src, dst, d, run);
                    } else {
                        for (int e = 0; e < run; e++) dst[d + e] = buf[src + e] + b;
                    }
                    u += run;
                }
            }
        };
    }

    /** The patch matrix of channels-last images {@code xt} under the geometry's window. */
    private static Patches patches(ConvGeometry g, float[] xt) {
        return new Patches(xt, 0, g.h, g.w, g.c, g.p, g.q, g.r, g.s, g.strideH, g.strideW, g.padH, g.padW, g.dilH, g.dilW);
    }

    /** {@code dst[(i·hw + j)·c + ch] = src[off + (i·c + ch)·hw + j]}: n images from NCHW to NHWC. */
    static void toChannelsLast(float[] src, int off, int n, int c, int hw, float[] dst) {
        Parallel.forRange(n, imagesPerTask(c * hw), (from, to) -> {
            for (int i = from; i < to; i++) transpose(src, off + i * c * hw, c, hw, dst, i * c * hw);
        });
    }

    /**
     * A sink for channels-last results: row i of C is pixel j of image n (i = n·hw + j), column ch a
     * channel, stored at {@code dst[off + (n·c + ch)·hw + j]} plus {@code bias[offBias + ch]} when
     * a bias is given — the NCHW output, written while the GEMM's block is still in cache.
     */
    static MatrixSink channelsFirst(int c, int hw, float[] bias, int offBias, float[] dst, int off) {
        return (i, rows, j, cols, buf, offBuf, ld) -> {
            for (int t = 0; t < rows; ) {
                int n = (i + t) / hw, pixel = (i + t) % hw, run = Math.min(rows - t, hw - pixel);
                for (int ch = j; ch < j + cols; ch++) {
                    int d = off + (n * c + ch) * hw + pixel, src = offBuf + t * ld + ch - j;
                    if (bias == null) {
                        for (int e = 0; e < run; e++) dst[d + e] = buf[src + e * ld];
                    } else {
                        float b = bias[offBias + ch];
                        for (int e = 0; e < run; e++) dst[d + e] = buf[src + e * ld] + b;
                    }
                }
                t += run;
            }
        };
    }

    /** Images per parallel task in a layout pass: about 64K floats each (a function of the shapes). */
    private static int imagesPerTask(int floatsPerImage) {
        return Math.max(1, (1 << 16) / Math.max(1, floatsPerImage));
    }

    /** dst[j·rows + i] = src[off + i·cols + j]: a rows × cols matrix transposed, in blocks that stay in L1. */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst, int offDst) {
        final int b = 32;
        for (int i0 = 0; i0 < rows; i0 += b) {
            int i1 = Math.min(rows, i0 + b);
            for (int j0 = 0; j0 < cols; j0 += b) {
                int j1 = Math.min(cols, j0 + b);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) dst[offDst + j * rows + i] = src[off + i * cols + j];
                }
            }
        }
    }

    /**
     * {@code dx = ∂L/∂x} from {@code dy = ∂L/∂y}. With stride 1 this is a convolution of dy with
     * the flipped, transposed weights (padding {@code dil·(R−1) − pad}), one GEMM over the batch;
     * other strides go image by image as {@code col2im(wᵀ · dy_n)}.
     *
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardInput(ConvGeometry g, float[] dy, int offDy, float[] w, int offW,
                                     float[] dx, int offDx) {
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "weight", w, offW, g.weightSize());
        Checks.length(g.op, "input gradient", dx, offDx, (long) g.n * g.inputSize());
        if (g.n == 0) return;
        if (g.strideH != 1 || g.strideW != 1 || g.c < FEW_CHANNELS) {
            backwardInputByImage(g, dy, offDy, w, offW, dx, offDx);
            return;
        }
        int rs = g.r * g.s;
        float[] dyt = LAYOUTS.take(g.n * g.outputSize());
        float[] wf = LAYOUTS.take(g.weightSize());
        try {
            toChannelsLast(dy, offDy, g.n, g.k, g.colCols(), dyt);
            // flip(w)'[((R−1−r)·S + S−1−s)·K + k][c] = w[k][c][r][s]
            for (int k = 0; k < g.k; k++)
                for (int c = 0; c < g.c; c++)
                    for (int t = 0; t < rs; t++) wf[((rs - 1 - t) * g.k + k) * g.c + c] = w[offW + (k * g.c + c) * rs + t];
            Patches windows = new Patches(dyt, 0, g.p, g.q, g.k, g.h, g.w, g.r, g.s, 1, 1,
                    g.dilH * (g.r - 1) - g.padH, g.dilW * (g.s - 1) - g.padW, g.dilH, g.dilW);
            Gemm.sgemm(g.n * g.h * g.w, g.c, rs * g.k, windows, MatrixSource.dense(wf, 0, g.c, false),
                    channelsFirst(g.c, g.h * g.w, null, 0, dx, offDx));
        } finally {
            LAYOUTS.give(dyt);
            LAYOUTS.give(wf);
        }
    }

    /** The input gradient image by image: {@code dx_n = col2im(wᵀ · dy_n)} (any stride). */
    private static void backwardInputByImage(ConvGeometry g, float[] dy, int offDy, float[] w, int offW,
                                             float[] dx, int offDx) {
        int rows = g.colRows(), cols = g.colCols();
        int inPer = g.inputSize(), outPer = g.outputSize();
        long perImage = Math.max(1L, (long) g.k * cols * rows);
        int imagesPerTask = (int) Math.max(1L, Math.min(g.n, (1L << 16) / perImage));
        Parallel.forRange(g.n, imagesPerTask, (from, to) -> {
            float[] col = COLUMNS.take(rows * cols);
            try {
                for (int i = from; i < to; i++) {
                    int xo = offDx + i * inPer;
                    Gemm.sgemm(true, false, rows, cols, g.k, 1f, w, offW, rows,
                            dy, offDy + i * outPer, cols, 0f, col, 0, cols);
                    Arrays.fill(dx, xo, xo + inPer, 0f);
                    Im2col.col2im(col, 0, g.c, g.h, g.w, g.r, g.s, g.strideH, g.strideW,
                            g.padH, g.padW, g.dilH, g.dilW, dx, xo, true);
                }
            } finally {
                COLUMNS.give(col);
            }
        });
    }

    /**
     * {@code dw = ∂L/∂w = dy' · patches(x)}: one GEMM whose reduction runs over every output pixel
     * of the batch in order, so each element is a single fma chain, whatever the thread count.
     *
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardWeight(ConvGeometry g, float[] x, int offX, float[] dy, int offDy,
                                      float[] dw, int offDw) {
        Checks.length(g.op, "input", x, offX, (long) g.n * g.inputSize());
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "weight gradient", dw, offDw, g.weightSize());
        int taps = g.colRows(), pq = g.colCols(), pixels = g.n * pq, rs = g.r * g.s;
        float[] xt = LAYOUTS.take(g.n * g.inputSize());
        float[] dyk = LAYOUTS.take(g.n * g.outputSize());
        float[] dwt = LAYOUTS.take(g.weightSize());
        try {
            toChannelsLast(x, offX, g.n, g.c, g.h * g.w, xt);
            // dy'[k][n·PQ + pq] = dy[n][k][pq]: runs of PQ floats
            for (int n = 0; n < g.n; n++)
                for (int k = 0; k < g.k; k++) System.arraycopy(dy, offDy + (n * g.k + k) * pq, dyk, k * pixels + n * pq, pq);
            Gemm.sgemm(g.k, taps, pixels, MatrixSource.dense(dyk, 0, Math.max(1, pixels), false), patches(g, xt), 0f, dwt, 0, taps);
            // dw[k][c][r][s] = dwt[k][(r·S + s)·C + c]
            for (int k = 0; k < g.k; k++)
                for (int c = 0; c < g.c; c++)
                    for (int t = 0; t < rs; t++) dw[offDw + (k * g.c + c) * rs + t] = dwt[k * taps + t * g.c + c];
        } finally {
            LAYOUTS.give(xt);
            LAYOUTS.give(dyk);
            LAYOUTS.give(dwt);
        }
    }

    /**
     * {@code db[k] = Σ_n Σ_pq dy[n, k, pq]}, summed in double in a fixed order.
     *
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardBias(ConvGeometry g, float[] dy, int offDy, float[] db, int offDb) {
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "bias gradient", db, offDb, g.k);
        int cols = g.colCols(), outPer = g.outputSize();
        int grain = Math.max(1, (1 << 16) / Math.max(1, g.n * cols));
        Parallel.forRange(g.k, grain, (from, to) -> {
            for (int k = from; k < to; k++) {
                double sum = 0;
                for (int i = 0; i < g.n; i++) {
                    int o = offDy + i * outPer + k * cols;
                    for (int j = 0; j < cols; j++) sum += dy[o + j];
                }
                db[offDb + k] = (float) sum;
            }
        });
    }
}
