package org.jgrad.core.kernels;

import java.util.Arrays;
import org.jgrad.core.Parallel;

/**
 * Convolution over a batch by im2col + {@link Gemm#sgemm}, forward and backward.
 *
 * <p>Shapes are given by a {@link ConvGeometry}: input {@code x[N, C, H, W]}, weight
 * {@code w[K, C, R, S]}, bias {@code b[K]} (optional), output {@code y[N, K, P, Q]}, all
 * contiguous row-major from their offsets. Per image n:
 * <pre>
 *   y_n  = w · col(x_n) + b           (w as a K × C·R·S matrix, col as C·R·S × P·Q)
 *   dx_n = col2im(wᵀ · dy_n)
 *   dw   = Σ_n dy_n · col(x_n)ᵀ
 *   db_k = Σ_n Σ_pq dy[n, k, pq]
 * </pre>
 * A 1×1 kernel with stride 1 and no padding uses x_n directly as its column matrix.
 *
 * <p>Work runs in parallel over the batch with {@link Parallel}; each task takes its own column
 * buffer from a pool (reused across calls). The sums over the batch are cut into chunks whose
 * size depends only on the shapes, and the chunk partials are added by a fixed pairwise tree, so
 * results are bitwise identical for any thread count. All methods overwrite their outputs.
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
    private static final Workspace PARTIALS = new Workspace(2);

    /** Most partial weight gradients a backward pass keeps (a function of the shapes only). */
    private static final int MAX_PARTIALS = 16;
    /** Bound on the floats all partial weight gradients may take together. */
    private static final int PARTIAL_FLOATS = 1 << 24;

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
        int rows = g.colRows(), cols = g.colCols();
        int inPer = g.inputSize(), outPer = g.outputSize();
        boolean pointwise = g.isPointwise();
        Parallel.forRange(g.n, imagesPerTask(g), (from, to) -> {
            float[] col = pointwise ? null : COLUMNS.take(rows * cols);
            try {
                for (int i = from; i < to; i++) {
                    int yo = offY + i * outPer;
                    float beta = 0f;
                    if (bias != null) {
                        for (int k = 0; k < g.k; k++) Arrays.fill(y, yo + k * cols, yo + (k + 1) * cols, bias[offBias + k]);
                        beta = 1f;
                    }
                    // (the transposed product, as the weight gradient uses, measured slower here:
                    // packing colᵀ and transposing y back cost more than the fuller tiles gain)
                    if (pointwise) {
                        Gemm.sgemm(false, false, g.k, cols, rows, 1f, w, offW, rows,
                                x, offX + i * inPer, cols, beta, y, yo, cols);
                    } else {
                        im2col(g, x, offX + i * inPer, col);
                        Gemm.sgemm(false, false, g.k, cols, rows, 1f, w, offW, rows, col, 0, cols, beta, y, yo, cols);
                    }
                }
            } finally {
                COLUMNS.give(col);
            }
        });
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
     * {@code dx = ∂L/∂x} from {@code dy = ∂L/∂y}: per image {@code col2im(wᵀ · dy_n)}.
     *
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardInput(ConvGeometry g, float[] dy, int offDy, float[] w, int offW,
                                     float[] dx, int offDx) {
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "weight", w, offW, g.weightSize());
        Checks.length(g.op, "input gradient", dx, offDx, (long) g.n * g.inputSize());
        int rows = g.colRows(), cols = g.colCols();
        int inPer = g.inputSize(), outPer = g.outputSize();
        boolean pointwise = g.isPointwise();
        Parallel.forRange(g.n, imagesPerTask(g), (from, to) -> {
            float[] col = pointwise ? null : COLUMNS.take(rows * cols);
            try {
                for (int i = from; i < to; i++) {
                    int xo = offDx + i * inPer;
                    if (pointwise) {
                        Gemm.sgemm(true, false, rows, cols, g.k, 1f, w, offW, rows,
                                dy, offDy + i * outPer, cols, 0f, dx, xo, cols);
                    } else {
                        Gemm.sgemm(true, false, rows, cols, g.k, 1f, w, offW, rows,
                                dy, offDy + i * outPer, cols, 0f, col, 0, cols);
                        Arrays.fill(dx, xo, xo + inPer, 0f);
                        Im2col.col2im(col, 0, g.c, g.h, g.w, g.r, g.s, g.strideH, g.strideW,
                                g.padH, g.padW, g.dilH, g.dilW, dx, xo, true);
                    }
                }
            } finally {
                COLUMNS.give(col);
            }
        });
    }

    /**
     * {@code dw = ∂L/∂w = Σ_n dy_n · col(x_n)ᵀ}. The batch is cut into at most 16 chunks of a
     * size fixed by the shapes; each chunk sums its images in order, and the chunk sums are
     * combined by a pairwise tree ((c0+c1)+(c2+c3))…, independent of the thread count.
     *
     * @throws IllegalArgumentException when an array is too short for the geometry
     */
    public static void backwardWeight(ConvGeometry g, float[] x, int offX, float[] dy, int offDy,
                                      float[] dw, int offDw) {
        Checks.length(g.op, "input", x, offX, (long) g.n * g.inputSize());
        Checks.length(g.op, "output gradient", dy, offDy, (long) g.n * g.outputSize());
        Checks.length(g.op, "weight gradient", dw, offDw, g.weightSize());
        int ws = g.weightSize();
        if (g.n == 0) {
            Arrays.fill(dw, offDw, offDw + ws, 0f);
            return;
        }
        int chunks = Math.max(1, Math.min(Math.min(g.n, MAX_PARTIALS), PARTIAL_FLOATS / ws));
        int perChunk = (g.n + chunks - 1) / chunks;
        int used = (g.n + perChunk - 1) / perChunk;
        // slot 0 is dw itself; slots 1.. live in one pooled buffer
        float[] partials = used > 1 ? PARTIALS.take((used - 1) * ws) : null;
        try {
            Parallel.forChunks(used, chunk -> {
                float[] out = chunk == 0 ? dw : partials;
                int off = chunk == 0 ? offDw : (chunk - 1) * ws;
                int from = chunk * perChunk, to = Math.min(g.n, from + perChunk);
                weightGradientOfImages(g, x, offX, dy, offDy, from, to, out, off);
            });
            if (used > 1) {
                Parallel.forRange(ws, 1 << 14, (from, to) -> {
                    for (int step = 1; step < used; step *= 2) {
                        for (int i = 0; i + step < used; i += 2 * step) {
                            int dst = i == 0 ? offDw + from : (i - 1) * ws + from;
                            Runs.add(partials, (i + step - 1) * ws + from, i == 0 ? dw : partials, dst, to - from);
                        }
                    }
                });
            }
        } finally {
            PARTIALS.give(partials);
        }
    }

    /** {@code out = Σ_{n in [from, to)} dy_n · col(x_n)ᵀ}, images in order. */
    private static void weightGradientOfImages(ConvGeometry g, float[] x, int offX, float[] dy, int offDy,
                                               int from, int to, float[] out, int offOut) {
        int rows = g.colRows(), cols = g.colCols();
        int inPer = g.inputSize(), outPer = g.outputSize();
        boolean pointwise = g.isPointwise(), transposed = Gemm.prefersTranspose(g.k, rows);
        float[] col = pointwise ? null : COLUMNS.take(rows * cols);
        // dwᵀ = Σ col(x_n) · dy_nᵀ, [C·R·S, K], when that shape fills the GEMM's tiles better
        float[] dwt = transposed ? COLUMNS.take(rows * g.k) : null;
        try {
            for (int i = from; i < to; i++) {
                float beta = i == from ? 0f : 1f;
                float[] xs = pointwise ? x : col;
                int xo = pointwise ? offX + i * inPer : 0;
                if (!pointwise) im2col(g, x, offX + i * inPer, col);
                if (transposed) {
                    Gemm.sgemm(false, true, rows, g.k, cols, 1f, xs, xo, cols, dy, offDy + i * outPer, cols, beta, dwt, 0, g.k);
                } else {
                    Gemm.sgemm(false, true, g.k, rows, cols, 1f, dy, offDy + i * outPer, cols, xs, xo, cols, beta, out, offOut, rows);
                }
            }
            if (transposed) transpose(dwt, 0, rows, g.k, out, offOut);
        } finally {
            COLUMNS.give(col);
            COLUMNS.give(dwt);
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

    private static void im2col(ConvGeometry g, float[] x, int offX, float[] col) {
        Im2col.im2col(x, offX, g.c, g.h, g.w, g.r, g.s, g.strideH, g.strideW,
                g.padH, g.padW, g.dilH, g.dilW, col, 0);
    }

    /** Images per parallel task: one, or several when an image is tiny (a function of the shapes). */
    private static int imagesPerTask(ConvGeometry g) {
        long perImage = Math.max(1L, (long) g.k * g.colCols() * g.colRows());
        return (int) Math.max(1L, Math.min(g.n, (1L << 16) / perImage));
    }
}
