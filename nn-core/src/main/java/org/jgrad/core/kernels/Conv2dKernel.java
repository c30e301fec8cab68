package org.jgrad.core.kernels;

import java.util.Arrays;

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
 *   dx  = col2im(dy' · w)                    M = N·P·Q, N = R·S·C, K = K       (dy' = dy channels-last; col2im in the write-back)
 *   dw  = dy'ᵀ · patches(x)                  M = K,     N = R·S·C, K = N·P·Q
 *   db_k = Σ_n Σ_pq dy[n, k, pq]
 * </pre>
 * Every register tile is full when K and C are multiples of the vector tile (32 and 64 channels
 * are), and there is no per-image column buffer. Layers with fewer than 8 input channels (a first
 * layer on grey or RGB images) go image by image through im2col/col2im instead, except the
 * forward and the weight gradient at stride 1, which {@link VectorDirectConv} computes straight
 * from shifted copies of the image. A grouped
 * convolution runs group after group, each group's channels gathered into a contiguous batch.
 *
 * <p>Each output element is one fma chain over its whole reduction in a fixed order (the GEMM's
 * guarantee; few-channel weight gradients sum fixed chunks of images, then a fixed tree), so
 * results are bitwise identical for any thread count. Buffers (the channels-last
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

    static final Workspace COLUMNS = new Workspace(4 * Runtime.getRuntime().availableProcessors() + 4);
    /** Channels-last copies and reshaped weights: a few per call, reused across calls. */
    static final Workspace LAYOUTS = new Workspace(24);

    /**
     * Below this many input channels every pass goes image by image through im2col/col2im: a
     * channels-last patch is then a few floats per tap, and im2col's runs along image rows pack
     * better (the reference CNN's first layer, 1→32: forward 2.1 against 3.6 ms).
     */
    private static final int FEW_CHANNELS = 8;

    private Conv2dKernel() {}

    /**
     * {@code y = conv(x, w) + b}. {@code bias} may be null (then {@code offBias} is ignored).
     *
     * @param g the checked geometry
     * @param x input {@code [N, C, H, W]}
     * @param offX offset of the input in {@code x}
     * @param w weight {@code [K, C/groups, R, S]}
     * @param offW offset of the weight in {@code w}
     * @param bias bias {@code [K]}, or null
     * @param offBias offset of the bias in {@code bias}
     * @param y output {@code [N, K, P, Q]}, overwritten
     * @param offY offset of the output in {@code y}
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void forward(ConvGeometry g, float[] x, int offX, float[] w, int offW,
                               float[] bias, int offBias, float[] y, int offY) {
        Checks.length(g.op, "input", x, offX, (long) g.n * g.inputSize());
        Checks.length(g.op, "weight", w, offW, g.weightSize());
        if (bias != null) Checks.length(g.op, "bias", bias, offBias, g.k);
        Checks.length(g.op, "output", y, offY, (long) g.n * g.outputSize());
        if (g.n == 0) return;
        if (g.groups > 1) {
            ConvGeometry one = g.perGroup();
            forEachGroup(g, new float[][] {x}, new int[] {offX}, new int[] {g.inputSize()}, y, offY, g.outputSize(),
                    (in, out, group) -> forward(one, in[0], 0, w, offW + group * one.weightSize(),
                            bias, offBias + group * one.k, out, 0));
            return;
        }
        if (g.c < FEW_CHANNELS) {
            if (Simd.ENABLED && VectorDirectConv.handles(g)) VectorDirectConv.forward(g, x, offX, w, offW, bias, offBias, y, offY);
            else forwardByImage(g, x, offX, w, offW, bias, offBias, y, offY);
            return;
        }
        if (Simd.ENABLED && VectorBlockedConv.handles(g)) {
            VectorBlockedConv.forward(g, x, offX, w, offW, bias, offBias, y, offY);
            return;
        }
        forwardAsGemm(g, x, offX, w, offW, bias, offBias, y, offY);
    }

    /** The forward of {@link #forward} as one GEMM over the patches of the batch (ungrouped, 8 channels or more). */
    static void forwardAsGemm(ConvGeometry g, float[] x, int offX, float[] w, int offW,
                              float[] bias, int offBias, float[] y, int offY) {
        int taps = g.colRows(), pixels = g.n * g.colCols();
        float[] xt = LAYOUTS.take(paddedSize(g));
        float[] wt = LAYOUTS.take(g.weightSize());
        try {
            toChannelsLast(x, offX, g.n, g.c, g.h, g.w, g.padH, g.padW, xt);
            weightsInTapOrder(g, w, offW, wt, g.c * g.k, 1, g.k);            // w' = [R·S·C, K]
            Gemm.sgemm(pixels, g.k, taps, patches(g, xt), MatrixSource.dense(wt, 0, g.k, false),
                    channelsFirst(g.k, g.colCols(), bias, offBias, y, offY));
        } finally {
            LAYOUTS.give(xt);
            LAYOUTS.give(wt);
        }
    }

    /** One group's pass: its slices of the inputs, contiguous from 0, and where its slice of the output goes. */
    private interface GroupPass {
        void run(float[][] inputs, float[] output, int group);
    }

    /**
     * A grouped convolution, group after group on the ungrouped kernels: each group's channels of
     * every image (a slice of {@code sizes[i] / groups} floats per image of each input) are gathered
     * into a contiguous batch, the pass runs on the one-group geometry, and its output slice is
     * scattered back into {@code output} ({@code outputSize / groups} floats per image; null when
     * the pass writes its result in place, as the weight gradient does — the weights of a group
     * are contiguous already).
     */
    private static void forEachGroup(ConvGeometry g, float[][] inputs, int[] offsets, int[] sizes,
                                     float[] output, int offOut, int outputSize, GroupPass pass) {
        float[][] slices = new float[inputs.length][];
        float[] out = output == null ? null : LAYOUTS.take(g.n * (outputSize / g.groups));
        try {
            for (int i = 0; i < inputs.length; i++) slices[i] = LAYOUTS.take(g.n * (sizes[i] / g.groups));
            for (int group = 0; group < g.groups; group++) {
                for (int i = 0; i < inputs.length; i++) {
                    int slice = sizes[i] / g.groups;
                    for (int n = 0; n < g.n; n++)
                        System.arraycopy(inputs[i], offsets[i] + n * sizes[i] + group * slice, slices[i], n * slice, slice);
                }
                pass.run(slices, out, group);
                if (output != null) {
                    int slice = outputSize / g.groups;
                    for (int n = 0; n < g.n; n++)
                        System.arraycopy(out, n * slice, output, offOut + n * outputSize + group * slice, slice);
                }
            }
        } finally {
            for (float[] b : slices) LAYOUTS.give(b);
            LAYOUTS.give(out);
        }
    }

    /**
     * The forward image by image, {@code y_n = w · col(x_n) + b}: for layers with few input channels
     * (a first layer on grey or RGB images), whose patches are a few floats per tap — there the
     * im2col rows, runs along image rows, pack better than channels-last patches (measured on the
     * reference CNN's 1→32 layer: 2.1 against 3.6 ms).
     */
    private static void forwardByImage(ConvGeometry g, float[] x, int offX, float[] w, int offW,
                                       float[] bias, int offBias, float[] y, int offY) {
        int rows = g.colRows(), cols = g.colCols(), inPer = g.inputSize(), outPer = g.outputSize();
        Loops.forRange(g.n, imagesPerTask(g), (from, to) -> {
            float[] col = COLUMNS.take(rows * cols);
            try {
                for (int i = from; i < to; i++) {
                    int yo = offY + i * outPer;
                    float beta = 0f;
                    if (bias != null) {
                        for (int k = 0; k < g.k; k++) Arrays.fill(y, yo + k * cols, yo + (k + 1) * cols, bias[offBias + k]);
                        beta = 1f;
                    }
                    im2col(g, x, offX + i * inPer, col);
                    Gemm.sgemm(false, false, g.k, cols, rows, 1f, w, offW, rows, col, 0, cols, beta, y, yo, cols);
                }
            } finally {
                COLUMNS.give(col);
            }
        });
    }

    private static void im2col(ConvGeometry g, float[] x, int offX, float[] col) {
        Im2col.im2col(x, offX, g.c, g.h, g.w, g.r, g.s, g.strideH, g.strideW, g.padH, g.padW, g.dilH, g.dilW, col, 0);
    }

    /** Images per parallel task of the image-by-image passes: one, or several when an image is tiny. */
    private static int imagesPerTask(ConvGeometry g) {
        long perImage = Math.max(1L, (long) g.k * g.colCols() * g.colRows());
        return (int) Math.max(1L, Math.min(g.n, (1L << 16) / perImage));
    }

    /**
     * The weights in the patches' tap order: {@code dst[t·tapStride + k·kStride + c·cStride] =
     * w[k][c][r][s]} with t = r·S + s. [R·S·C, K] is (C·K, 1, K), [K, R·S·C] is (C, R·S·C, 1). The
     * loops run along the destination's unit stride: the other order writes floats a power-of-two
     * apart (8 KiB for 32 × 64 channels), all in one L1 set, and measured 0.7 ms per call in the
     * CNN's step.
     */
    static void weightsInTapOrder(ConvGeometry g, float[] w, int offW, float[] dst,
                                          int tapStride, int kStride, int cStride) {
        int rs = g.r * g.s;
        // taps in parallel: run serially, the 32→64 layer's 51K floats (a gather at stride R·S) were
        // 0.5 % of the reference CNN's step on 2 threads
        Loops.forRange(rs, itemsPerWeightTask(g.c * g.k), (from, to) -> {
            for (int t = from; t < to; t++) {
                int d = t * tapStride, src = offW + t;
                if (kStride == 1) {
                    for (int c = 0; c < g.c; c++)
                        for (int k = 0; k < g.k; k++) dst[d + c * cStride + k] = w[src + (k * g.c + c) * rs];
                } else {
                    for (int k = 0; k < g.k; k++)
                        for (int c = 0; c < g.c; c++) dst[d + k * kStride + c * cStride] = w[src + (k * g.c + c) * rs];
                }
            }
        });
    }

    /** The patch matrix of the padded channels-last input {@code xt} under the geometry's window. */
    private static Patches patches(ConvGeometry g, float[] xt) {
        return new Patches(xt, 0, g.h + 2 * g.padH, g.w + 2 * g.padW, g.c, g.p, g.q, g.r, g.s,
                g.strideH, g.strideW, g.dilH, g.dilW);
    }

    /** Floats in the padded channels-last copy of the batch's input. */
    static int paddedSize(ConvGeometry g) {
        return Math.multiplyExact(g.n, (g.h + 2 * g.padH) * (g.w + 2 * g.padW) * g.c);
    }

    /**
     * n images [c, h, w] from NCHW to channels-last with a zero border of padH rows and padW
     * columns: {@code dst[((i·H' + y + padH)·W' + x + padW)·c + ch] = src[off + ((i·c + ch)·h + y)·w + x]}
     * with H' = h + 2·padH, W' = w + 2·padW; the border is written as zeros, so the result does
     * not depend on what the buffer held.
     */
    static void toChannelsLast(float[] src, int off, int n, int c, int h, int w, int padH, int padW, float[] dst) {
        int wp = w + 2 * padW, rowFloats = wp * c, image = (h + 2 * padH) * rowFloats, plane = c * h * w;
        Loops.forRange(n, imagesPerLayoutTask(image), (from, to) -> {
            // A padded image is transposed whole into a scratch plane, then copied row by row into
            // its border: rows of a few pixels (14 in the reference CNN) leave no 16 × 16 blocks to
            // transpose in registers.
            float[] scratch = padH == 0 && padW == 0 ? null : COLUMNS.take(plane);
            try {
                for (int i = from; i < to; i++) {
                    int d = i * image;
                    if (scratch == null) {
                        Transpose16.matrix(src, off + i * plane, h * w, c, h * w, dst, d, c);
                        continue;
                    }
                    Transpose16.matrix(src, off + i * plane, h * w, c, h * w, scratch, 0, c);
                    Arrays.fill(dst, d, d + padH * rowFloats, 0f);
                    for (int y = 0; y < h; y++) {
                        int row = d + (padH + y) * rowFloats;
                        Arrays.fill(dst, row, row + padW * c, 0f);
                        System.arraycopy(scratch, y * w * c, dst, row + padW * c, w * c);
                        Arrays.fill(dst, row + (padW + w) * c, row + rowFloats, 0f);
                    }
                    Arrays.fill(dst, d + (padH + h) * rowFloats, d + image, 0f);
                }
            } finally {
                COLUMNS.give(scratch);
            }
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
                // 16 pixels × 16 channels at a time transposed in registers (the bias added first, in buf),
                // the pixels and channels left over float by float
                int run16 = Transpose16.available() ? run - run % 16 : 0, cols16 = Transpose16.available() ? cols - cols % 16 : 0;
                for (int ch = j; ch < j + cols; ch++) {
                    int d = off + (n * c + ch) * hw + pixel, src = offBuf + t * ld + ch - j;
                    boolean blocked = ch - j < cols16;
                    if (blocked && (ch - j) % 16 == 0) {
                        for (int e = 0; e < run16; e += 16) {
                            // the block is finished and buf is the GEMM's scratch: the bias goes in there first
                            if (bias != null) Transpose16.addToRows(buf, src + e * ld, ld, bias, offBias + ch);
                            Transpose16.block(buf, src + e * ld, ld, dst, d + e, hw);
                        }
                    }
                    int e0 = blocked ? run16 : 0;
                    if (bias == null) {
                        for (int e = e0; e < run; e++) dst[d + e] = buf[src + e * ld];
                    } else {
                        float b = bias[offBias + ch];
                        for (int e = e0; e < run; e++) dst[d + e] = buf[src + e * ld] + b;
                    }
                }
                t += run;
            }
        };
    }

    /** Images per parallel task in a layout pass: about 64K floats each (a function of the shapes). */
    private static int imagesPerLayoutTask(int floatsPerImage) {
        return Math.max(1, (1 << 16) / Math.max(1, floatsPerImage));
    }

    /**
     * Items (taps, output channels) per parallel task in a copy of the weights into another order:
     * about 16K floats each, so that a layer's weights (51K floats in the reference CNN's 32→64
     * layer) split over the threads, which 64K-float tasks would not (a function of the shapes).
     */
    private static int itemsPerWeightTask(int floatsPerItem) {
        return Math.max(1, (1 << 14) / Math.max(1, floatsPerItem));
    }

    /**
     * {@code dx = ∂L/∂x} from {@code dy = ∂L/∂y}: the gradient of the patches, {@code dy' · w}
     * ([N·P·Q × R·S·C], K = K), one GEMM per group of images whose finished blocks are added
     * straight into the channels-last input gradient at their windows (col2im in the GEMM's
     * write-back; no patch-gradient matrix is ever stored). Groups of images are disjoint in dx,
     * so they run in parallel, and inside a group the blocks are added in a fixed order. Layers
     * with few input channels go image by image through col2im.
     *
     * @param g the checked geometry
     * @param dy gradient of the output {@code [N, K, P, Q]}
     * @param offDy offset of the output gradient in {@code dy}
     * @param w weight {@code [K, C/groups, R, S]}
     * @param offW offset of the weight in {@code w}
     * @param dx gradient of the input {@code [N, C, H, W]}, written
     * @param offDx offset of the input gradient in {@code dx}
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardInput(ConvGeometry g, float[] dy, int offDy, float[] w, int offW,
                                     float[] dx, int offDx) {
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "weight", w, offW, g.weightSize());
        Checks.length(g.op, "input gradient", dx, offDx, (long) g.n * g.inputSize());
        if (g.n == 0) return;
        if (g.groups > 1) {
            ConvGeometry one = g.perGroup();
            forEachGroup(g, new float[][] {dy}, new int[] {offDy}, new int[] {g.outputSize()}, dx, offDx, g.inputSize(),
                    (in, out, group) -> backwardInput(one, in[0], 0, w, offW + group * one.weightSize(), out, 0));
            return;
        }
        if (g.c < FEW_CHANNELS) {
            backwardInputByImage(g, dy, offDy, w, offW, dx, offDx);
            return;
        }
        if (isFullConvolution(g)) {
            backwardInputAsConvolution(g, dy, offDy, w, offW, dx, offDx);
            return;
        }
        int taps = g.colRows(), pq = g.colCols();
        float[] dyt = LAYOUTS.take(g.n * g.outputSize());
        float[] wk = LAYOUTS.take(g.weightSize());
        float[] dxt = LAYOUTS.take(g.n * g.inputSize());
        try {
            toChannelsLast(dy, offDy, g.n, g.k, g.p, g.q, 0, 0, dyt);
            weightsInTapOrder(g, w, offW, wk, g.c, taps, 1);                 // w as [K, R·S·C]
            Arrays.fill(dxt, 0, g.n * g.inputSize(), 0f);
            MatrixSource weights = MatrixSource.dense(wk, 0, taps, false);
            // a group fills the GEMM's row blocks (a function of the shapes only)
            int images = Math.max(1, Math.min(g.n, 256 / Math.max(1, pq)));
            Loops.forRange(g.n, images, (from, to) -> Gemm.sgemm((to - from) * pq, taps, g.k,
                    MatrixSource.dense(dyt, from * g.outputSize(), g.k, false), weights, addToWindows(g, dxt, from * pq), false));
            fromChannelsLast(dxt, g.n, g.c, g.h * g.w, dx, offDx);
        } finally {
            LAYOUTS.give(dyt);
            LAYOUTS.give(wk);
            LAYOUTS.give(dxt);
        }
    }

    /**
     * Whether the input gradient is itself a stride-1 convolution of dy: with stride 1, every input
     * pixel is reached by the window at output pixel {@code ih + padH − r·dilH} for each tap r, so
     * dx is dy convolved with the flipped weights under padding {@code dilH·(R−1) − padH}, which
     * must not be negative (the forward's padding at most the kernel's reach).
     */
    private static boolean isFullConvolution(ConvGeometry g) {
        return g.strideH == 1 && g.strideW == 1 && g.padH <= g.dilH * (g.r - 1) && g.padW <= g.dilW * (g.s - 1);
    }

    /**
     * The stride-1 input gradient as a forward convolution: dy (K channels, P × Q) convolved with the
     * flipped, transposed weights {@code w_flip[c][k][r][s] = w[k][c][R−1−r][S−1−s]} under padding
     * {@code dil·(R−1) − pad}, whose output is H × W. So it runs on the forward's implicit GEMM:
     * M = N·H·W, N = C, a reduction over R·S·K. Unlike {@code col2im(dy'·w)}, whose reduction is only K
     * long and whose blocks are added into dx window by window, each element of dx is one fma chain,
     * written once, in NCHW, by the sink.
     */
    private static void backwardInputAsConvolution(ConvGeometry g, float[] dy, int offDy, float[] w, int offW,
                                                   float[] dx, int offDx) {
        ConvGeometry adjoint = ConvGeometry.conv2d(g.n, g.k, g.p, g.q, g.c, g.r, g.s, 1, 1,
                g.dilH * (g.r - 1) - g.padH, g.dilW * (g.s - 1) - g.padW, g.dilH, g.dilW);
        int rs = g.r * g.s;
        float[] wf = LAYOUTS.take(g.weightSize());
        try {
            // output channels in parallel: serial, this and the tap-order copy held the pass on 2 threads
            // at 7.1 ms against 6.15 in parallel (the 32→64 layer, Zen 4)
            Loops.forRange(g.k, itemsPerWeightTask(g.c * rs), (from, to) -> {
                for (int k = from; k < to; k++)
                    for (int c = 0; c < g.c; c++)
                        for (int t = 0; t < rs; t++) wf[(c * g.k + k) * rs + rs - 1 - t] = w[offW + (k * g.c + c) * rs + t];
            });
            forward(adjoint, dy, offDy, wf, 0, null, 0, dx, offDx);
        } finally {
            LAYOUTS.give(wf);
        }
    }

    /**
     * A sink for the patch gradient: row i is output pixel {@code firstPixel + i}, column j tap
     * (r, s, c); each element is added to the channels-last input gradient at the position that
     * tap reads (taps in the padding are dropped).
     */
    private static MatrixSink addToWindows(ConvGeometry g, float[] dxt, int firstPixel) {
        return (i, rows, j, cols, buf, offBuf, ld) -> {
            int pixel = firstPixel + i, ow = pixel % g.q, t = pixel / g.q, oh = t % g.p, n = t / g.p;
            int ch0 = j % g.c, tap0 = j / g.c;
            for (int row = 0; row < rows; row++) {
                int src = offBuf + row * ld, ch = ch0, ks = tap0 % g.s, kr = tap0 / g.s;
                for (int done = 0; done < cols; ) {
                    int ih = oh * g.strideH - g.padH + kr * g.dilH, iw = ow * g.strideW - g.padW + ks * g.dilW;
                    int run;
                    if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) {
                        // with dilW = 1 the taps (ks, ks+1, …) still inside the row are one run of dx
                        int inside = g.dilW == 1 ? Math.min(g.s - ks, g.w - iw) : 1;
                        run = Math.min(inside * g.c - ch, cols - done);
                        int at = ((n * g.h + ih) * g.w + iw) * g.c + ch;
                        Elementwise.addSerial(dxt, at, buf, src + done, dxt, at, run);
                    } else {
                        run = Math.min(g.c - ch, cols - done);
                    }
                    done += run;
                    ch += run;
                    while (ch >= g.c) {
                        ch -= g.c;
                        if (++ks == g.s) {
                            ks = 0;
                            kr++;
                        }
                    }
                }
                if (++ow == g.q) {
                    ow = 0;
                    if (++oh == g.p) {
                        oh = 0;
                        n++;
                    }
                }
            }
        };
    }

    /** {@code dst[off + (i·c + ch)·hw + j] = src[(i·hw + j)·c + ch]}: n images from NHWC to NCHW. */
    static void fromChannelsLast(float[] src, int n, int c, int hw, float[] dst, int off) {
        Loops.forRange(n, imagesPerLayoutTask(c * hw), (from, to) -> {
            for (int i = from; i < to; i++) Transpose16.matrix(src, i * c * hw, c, hw, c, dst, off + i * c * hw, hw);
        });
    }

    /** The input gradient image by image: {@code dx_n = col2im(wᵀ · dy_n)} (any stride). */
    private static void backwardInputByImage(ConvGeometry g, float[] dy, int offDy, float[] w, int offW,
                                             float[] dx, int offDx) {
        int rows = g.colRows(), cols = g.colCols();
        int inPer = g.inputSize(), outPer = g.outputSize();
        Loops.forRange(g.n, imagesPerTask(g), (from, to) -> {
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
     * {@code dw = ∂L/∂w = dy' · patches(x)}: a reduction over every output pixel of the batch in
     * order, so each element is a single fma chain, whatever the thread count — one GEMM, or (stride
     * 1, 16-lane vectors, C a multiple of 32) tap by tap over only the pixels whose tap reads inside
     * the image ({@link VectorTapWeightGradient}), the same bits without the padding's products.
     *
     * @param g the checked geometry
     * @param x input {@code [N, C, H, W]}
     * @param offX offset of the input in {@code x}
     * @param dy gradient of the output {@code [N, K, P, Q]}
     * @param offDy offset of the output gradient in {@code dy}
     * @param dw gradient of the weight {@code [K, C/groups, R, S]}, written
     * @param offDw offset of the weight gradient in {@code dw}
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardWeight(ConvGeometry g, float[] x, int offX, float[] dy, int offDy,
                                      float[] dw, int offDw) {
        Checks.length(g.op, "input", x, offX, (long) g.n * g.inputSize());
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "weight gradient", dw, offDw, g.weightSize());
        if (g.groups > 1) {
            ConvGeometry one = g.perGroup();
            forEachGroup(g, new float[][] {x, dy}, new int[] {offX, offDy}, new int[] {g.inputSize(), g.outputSize()}, null, 0, 0,
                    (in, out, group) -> backwardWeight(one, in[0], 0, in[1], 0, dw, offDw + group * one.weightSize()));
            return;
        }
        if (g.c < FEW_CHANNELS && g.n > 0) {
            backwardWeightByImage(g, x, offX, dy, offDy, dw, offDw);
            return;
        }
        backwardWeightTapOrder(g, x, offX, dy, offDy, dw, offDw, Simd.ENABLED && VectorTapWeightGradient.handles(g));
    }

    /** The weight gradient of {@link #backwardWeight} as one GEMM over the patches of the batch (ungrouped, 8 channels or more). */
    static void backwardWeightAsGemm(ConvGeometry g, float[] x, int offX, float[] dy, int offDy, float[] dw, int offDw) {
        backwardWeightTapOrder(g, x, offX, dy, offDy, dw, offDw, false);
    }

    /**
     * The weight gradient in tap order, {@code dwt[K, R·S·C]}, from the padded channels-last input:
     * tap by tap over the pixels inside the image ({@link VectorTapWeightGradient}) or as the GEMM
     * {@code dy' · patches(x)}, both one fma chain per element over the pixels in order; then
     * reordered into dw.
     */
    private static void backwardWeightTapOrder(ConvGeometry g, float[] x, int offX, float[] dy, int offDy,
                                               float[] dw, int offDw, boolean byTap) {
        int taps = g.colRows(), pq = g.colCols(), pixels = g.n * pq, rs = g.r * g.s;
        float[] xt = LAYOUTS.take(paddedSize(g));
        float[] dwt = LAYOUTS.take(g.weightSize());
        try {
            toChannelsLast(x, offX, g.n, g.c, g.h, g.w, g.padH, g.padW, xt);
            if (byTap) VectorTapWeightGradient.backwardWeight(g, xt, dy, offDy, dwt);
            else Gemm.sgemm(g.k, taps, pixels, channelRows(dy, offDy, g.k, pq), patches(g, xt), 0f, dwt, 0, taps);
            // dw[k][c][r][s] = dwt[k][(r·S + s)·C + c]
            for (int k = 0; k < g.k; k++)
                for (int c = 0; c < g.c; c++)
                    for (int t = 0; t < rs; t++) dw[offDw + (k * g.c + c) * rs + t] = dwt[k * taps + t * g.c + c];
        } finally {
            LAYOUTS.give(xt);
            LAYOUTS.give(dwt);
        }
    }

    /**
     * {@code dy[N, K, PQ]} read as the matrix {@code dy'[K, N·PQ]}, element (k, n·PQ + pq) =
     * {@code dy[n][k][pq]}, packed straight from dy in runs of at most PQ floats: no copy of the
     * whole gradient in that layout first (3.2 MB, serial, in the reference CNN's 32→64 layer).
     */
    private static MatrixSource channelRows(float[] dy, int offDy, int k, int pq) {
        return (i, rows, j, cols, dst, off, ld) -> {
            for (int t = 0; t < rows; t++) {
                for (int done = 0; done < cols; ) {
                    int col = j + done, n = col / pq, at = col - n * pq, run = Math.min(cols - done, pq - at);
                    System.arraycopy(dy, offDy + (n * k + i + t) * pq + at, dst, off + t * ld + done, run);
                    done += run;
                }
            }
        };
    }

    /** Most partial weight gradients the image-by-image weight gradient keeps (a function of the shapes only). */
    private static final int MAX_PARTIALS = 16;
    private static final Workspace PARTIALS = new Workspace(2);

    /**
     * The weight gradient image by image, for few input channels: {@code Σ_n dy_n · col(x_n)ᵀ}. The
     * batch is cut into at most 16 chunks of a size fixed by the shapes; each chunk sums its images
     * in order — at stride 1 in vector lanes straight from the image ({@link
     * VectorDirectConv#backwardWeight}), else one GEMM per image — and the chunk sums are combined by
     * a pairwise tree ((c0+c1)+(c2+c3))…, so the result does not depend on the thread count.
     */
    private static void backwardWeightByImage(ConvGeometry g, float[] x, int offX, float[] dy, int offDy,
                                              float[] dw, int offDw) {
        int ws = g.weightSize();
        int chunks = Math.max(1, Math.min(g.n, MAX_PARTIALS));
        int perChunk = (g.n + chunks - 1) / chunks;
        int used = (g.n + perChunk - 1) / perChunk;
        float[] partials = used > 1 ? PARTIALS.take((used - 1) * ws) : null;     // slot 0 is dw itself
        boolean direct = Simd.ENABLED && VectorDirectConv.handles(g);
        try {
            Loops.forChunks(used, chunk -> {
                float[] out = chunk == 0 ? dw : partials;
                int off = chunk == 0 ? offDw : (chunk - 1) * ws;
                int from = chunk * perChunk, to = Math.min(g.n, from + perChunk);
                if (direct) {
                    VectorDirectConv.backwardWeight(g, x, offX, dy, offDy, from, to, out, off);
                    return;
                }
                int rows = g.colRows(), cols = g.colCols();
                float[] col = COLUMNS.take(rows * cols);
                try {
                    for (int i = from; i < to; i++) {
                        im2col(g, x, offX + i * g.inputSize(), col);
                        Gemm.sgemm(false, true, g.k, rows, cols, 1f, dy, offDy + i * g.outputSize(), cols, col, 0, cols,
                                i == from ? 0f : 1f, out, off, rows);
                    }
                } finally {
                    COLUMNS.give(col);
                }
            });
            for (int step = 1; step < used; step *= 2) {
                for (int i = 0; i + step < used; i += 2 * step) {
                    float[] into = i == 0 ? dw : partials;
                    int at = i == 0 ? offDw : (i - 1) * ws;
                    Elementwise.addSerial(into, at, partials, (i + step - 1) * ws, into, at, ws);
                }
            }
        } finally {
            PARTIALS.give(partials);
        }
    }

    /**
     * {@code db[k] = Σ_n Σ_pq dy[n, k, pq]}: each image's plane summed in vector lanes, the planes
     * added in double in image order (a fixed order, whatever the thread count).
     *
     * @param g the checked geometry
     * @param dy gradient of the output {@code [N, K, P, Q]}
     * @param offDy offset of the output gradient in {@code dy}
     * @param db gradient of the bias {@code [K]}, written
     * @param offDb offset of the bias gradient in {@code db}
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardBias(ConvGeometry g, float[] dy, int offDy, float[] db, int offDb) {
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "bias gradient", db, offDb, g.k);
        int cols = g.colCols(), outPer = g.outputSize();
        int grain = Math.max(1, (1 << 16) / Math.max(1, g.n * cols));
        Loops.forRange(g.k, grain, (from, to) -> {
            for (int k = from; k < to; k++) {
                double sum = 0;
                for (int i = 0; i < g.n; i++) sum += Elementwise.sum(dy, offDy + i * outPer + k * cols, cols);
                db[offDb + k] = (float) sum;
            }
        });
    }
}
