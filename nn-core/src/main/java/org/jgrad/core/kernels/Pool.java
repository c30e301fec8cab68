package org.jgrad.core.kernels;

import java.util.Arrays;

/**
 * 2-D pooling over {@code [N, C, H, W]}, forward and backward, parallel over the N·C planes
 * (each task owns whole planes, so results do not depend on the thread count). Shapes come from
 * a {@link PoolGeometry}; all arrays are contiguous row-major from their offsets; every method
 * overwrites its output.
 *
 * <ul>
 *   <li>Max pooling: padding counts as −∞ (never chosen). The argmax of each output is the index
 *       {@code ih·W + iw} inside its input plane. Ties go to the <b>first</b> maximum in
 *       row-major window order; a NaN in the window wins (it propagates) and the first NaN is
 *       recorded.</li>
 *   <li>Average pooling: the divisor is kH·kW when {@code countIncludePad} (PyTorch's default),
 *       else the number of real (non-padding) elements in the window.</li>
 *   <li>Global average pooling (adaptive average pooling to 1×1): the mean of each plane.</li>
 * </ul>
 *
 * <pre>{@code
 * jshell> var g = PoolGeometry.maxPool2d(1, 1, 2, 2, 2, 2, 2, 2, 0, 0)
 * jshell> float[] y = new float[1]; int[] arg = new int[1]
 * jshell> Pool.maxPool2d(g, new float[]{1, 4, 4, 2}, 0, y, 0, arg, 0)
 * jshell> y[0] + " at " + arg[0]
 * $4 ==> "4.0 at 1"
 * }</pre>
 */
public final class Pool {

    private Pool() {}

    /**
     * Max pooling forward. {@code argmax} (same layout as {@code y}) may be null when no backward
     * pass will follow.
     *
     * @param g the checked geometry
     * @param x input {@code [N, C, H, W]}
     * @param offX offset of the input in {@code x}
     * @param y output {@code [N, C, P, Q]}, overwritten
     * @param offY offset of the output in {@code y}
     * @param argmax receives, per output element, the index of its maximum within its input plane (row·W + column), or null
     * @param offArg offset in {@code argmax}
     */
    public static void maxPool2d(PoolGeometry g, float[] x, int offX, float[] y, int offY,
                                 int[] argmax, int offArg) {
        Checks.length("maxPool2d", "input", x, offX, g.inputSize());
        Checks.length("maxPool2d", "output", y, offY, g.outputSize());
        if (argmax != null) Checks.length("maxPool2d", "argmax", argmax, offArg, g.outputSize());
        boolean vector = Simd.ENABLED && VectorPool.handles(g);
        Loops.forRange(g.planes(), planesPerTask(g), (from, to) -> {
            if (vector) {
                VectorPool.maxPool2x2(g, from, to, x, offX, y, offY, argmax, offArg);
            } else {
                for (int plane = from; plane < to; plane++) {
                    for (int pi = 0; pi < g.p; pi++) ScalarPool.maxRow(g, plane, pi, 0, x, offX, y, offY, argmax, offArg);
                }
            }
        });
    }

    /**
     * Max pooling backward: {@code dx} is cleared, then each {@code dy} is added at its argmax.
     *
     * @param g the checked geometry
     * @param dy gradient of the output {@code [N, C, P, Q]}
     * @param offDy offset of the output gradient in {@code dy}
     * @param argmax the indices the forward recorded
     * @param offArg offset in {@code argmax}
     * @param dx gradient of the input {@code [N, C, H, W]}, overwritten
     * @param offDx offset of the input gradient in {@code dx}
     */
    public static void maxPool2dBackward(PoolGeometry g, float[] dy, int offDy, int[] argmax, int offArg,
                                         float[] dx, int offDx) {
        Checks.length("maxPool2d", "output gradient", dy, offDy, g.outputSize());
        Checks.length("maxPool2d", "argmax", argmax, offArg, g.outputSize());
        Checks.length("maxPool2d", "input gradient", dx, offDx, g.inputSize());
        int hw = g.h * g.w, pq = g.p * g.q;
        Loops.forRange(g.planes(), planesPerTask(g), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int xo = offDx + plane * hw, yo = offDy + plane * pq, ao = offArg + plane * pq;
                Arrays.fill(dx, xo, xo + hw, 0f);
                for (int j = 0; j < pq; j++) {
                    int at = argmax[ao + j];
                    if (at < 0 || at >= hw) {
                        throw new IllegalArgumentException("maxPool2d" + ": argmax " + at + " outside the input plane of "
                                + hw + " elements (plane " + plane + ", output " + j + ")");
                    }
                    dx[xo + at] += dy[yo + j];
                }
            }
        });
    }

    /**
     * Average pooling forward; see the class comment for the divisor.
     *
     * @param g the checked geometry
     * @param countIncludePad true to divide by the full window size, false to count only real elements
     * @param x input {@code [N, C, H, W]}
     * @param offX offset of the input in {@code x}
     * @param y output {@code [N, C, P, Q]}, overwritten
     * @param offY offset of the output in {@code y}
     */
    public static void avgPool2d(PoolGeometry g, boolean countIncludePad, float[] x, int offX, float[] y, int offY) {
        Checks.length("avgPool2d", "input", x, offX, g.inputSize());
        Checks.length("avgPool2d", "output", y, offY, g.outputSize());
        Loops.forRange(g.planes(), planesPerTask(g), (from, to) ->
                forEachWindow(g, from, to, offX, offY, (in, out, hLo, hHi, wLo, wHi) -> {
                    float sum = 0f;
                    for (int ih = hLo; ih < hHi; ih++) {
                        int row = in + ih * g.w;
                        for (int iw = wLo; iw < wHi; iw++) sum += x[row + iw];
                    }
                    y[out] = sum / divisor(g, countIncludePad, hLo, hHi, wLo, wHi);
                }));
    }

    /**
     * Average pooling backward: {@code dx} is cleared, then each {@code dy / divisor} is spread over its window.
     *
     * @param g the checked geometry
     * @param countIncludePad true to divide by the full window size, false to count only real elements
     * @param dy gradient of the output {@code [N, C, P, Q]}
     * @param offDy offset of the output gradient in {@code dy}
     * @param dx gradient of the input {@code [N, C, H, W]}, overwritten
     * @param offDx offset of the input gradient in {@code dx}
     */
    public static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, float[] dy, int offDy,
                                         float[] dx, int offDx) {
        Checks.length("avgPool2d", "output gradient", dy, offDy, g.outputSize());
        Checks.length("avgPool2d", "input gradient", dx, offDx, g.inputSize());
        int hw = g.h * g.w;
        Loops.forRange(g.planes(), planesPerTask(g), (from, to) -> {
            Arrays.fill(dx, offDx + from * hw, offDx + to * hw, 0f);
            forEachWindow(g, from, to, offDx, offDy, (in, out, hLo, hHi, wLo, wHi) -> {
                float share = dy[out] / divisor(g, countIncludePad, hLo, hHi, wLo, wHi);
                for (int ih = hLo; ih < hHi; ih++) {
                    int row = in + ih * g.w;
                    for (int iw = wLo; iw < wHi; iw++) dx[row + iw] += share;
                }
            });
        });
    }

    /** One pooling window: rows [hLo, hHi) × columns [wLo, wHi) of the input plane that starts at {@code in}, clipped to it; {@code out} is its output's index. */
    private interface Window {
        void visit(int in, int out, int hLo, int hHi, int wLo, int wHi);
    }

    /** Visits every window of planes {@code [from, to)} in row-major output order. */
    private static void forEachWindow(PoolGeometry g, int from, int to, int offIn, int offOut, Window body) {
        int hw = g.h * g.w, pq = g.p * g.q;
        for (int plane = from; plane < to; plane++) {
            int in = offIn + plane * hw, out = offOut + plane * pq;
            for (int pi = 0; pi < g.p; pi++) {
                int h0 = pi * g.strideH - g.padH;
                int hLo = Math.max(0, h0), hHi = Math.min(g.h, h0 + g.kH);
                for (int qi = 0; qi < g.q; qi++) {
                    int w0 = qi * g.strideW - g.padW;
                    body.visit(in, out + pi * g.q + qi, hLo, hHi, Math.max(0, w0), Math.min(g.w, w0 + g.kW));
                }
            }
        }
    }

    private static int divisor(PoolGeometry g, boolean countIncludePad, int hLo, int hHi, int wLo, int wHi) {
        return countIncludePad ? g.kH * g.kW : (hHi - hLo) * (wHi - wLo);
    }

    /**
     * Global average pooling (adaptive average pooling to 1×1): {@code y[plane] = mean(x[plane, :])}
     * for {@code planes} planes of {@code size} elements each, summed in double.
     *
     * @param planes number of planes, N·C
     * @param size elements per plane
     * @param x input planes
     * @param offX offset of the first plane in {@code x}
     * @param y one mean per plane, overwritten
     * @param offY offset of the first mean in {@code y}
     */
    public static void globalAvgPool(int planes, int size, float[] x, int offX, float[] y, int offY) {
        Checks.nonNegative("globalAvgPool", "planes", planes);
        Checks.positive("globalAvgPool", "plane size", size);
        Checks.length("globalAvgPool", "input", x, offX, (long) planes * size);
        Checks.length("globalAvgPool", "output", y, offY, planes);
        Loops.forRange(planes, Math.max(1, (1 << 15) / size), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int o = offX + plane * size;
                double sum = 0;
                for (int j = 0; j < size; j++) sum += x[o + j];
                y[offY + plane] = (float) (sum / size);
            }
        });
    }

    /**
     * Global average pooling backward: {@code dx[plane, :] = dy[plane] / size}.
     *
     * @param planes number of planes, N·C
     * @param size elements per plane
     * @param dy gradient of the means, one per plane
     * @param offDy offset in {@code dy}
     * @param dx gradient of the planes, overwritten
     * @param offDx offset in {@code dx}
     */
    public static void globalAvgPoolBackward(int planes, int size, float[] dy, int offDy, float[] dx, int offDx) {
        Checks.nonNegative("globalAvgPool", "planes", planes);
        Checks.positive("globalAvgPool", "plane size", size);
        Checks.length("globalAvgPool", "output gradient", dy, offDy, planes);
        Checks.length("globalAvgPool", "input gradient", dx, offDx, (long) planes * size);
        Loops.forRange(planes, Math.max(1, (1 << 15) / size), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int o = offDx + plane * size;
                Arrays.fill(dx, o, o + size, dy[offDy + plane] / size);
            }
        });
    }

    /**
     * Adaptive average pooling of {@code planes} planes of h × w to oh × ow, with PyTorch's bins:
     * output cell (i, j) is the mean of input rows ⌊i·h/oh⌋ … ⌈(i+1)·h/oh⌉ − 1 and the columns
     * likewise (bins may overlap when the output is not a divisor of the input), summed in double.
     *
     * @param planes number of planes, N·C
     * @param h input height
     * @param w input width
     * @param oh output height
     * @param ow output width
     * @param x input planes {@code [planes, h, w]}
     * @param offX offset of the input in {@code x}
     * @param y output {@code [planes, oh, ow]}, overwritten
     * @param offY offset of the output in {@code y}
     */
    public static void adaptiveAvgPool2d(int planes, int h, int w, int oh, int ow, float[] x, int offX, float[] y, int offY) {
        checkAdaptive(planes, h, w, oh, ow);
        Checks.length("adaptiveAvgPool2d", "input", x, offX, (long) planes * h * w);
        Checks.length("adaptiveAvgPool2d", "output", y, offY, (long) planes * oh * ow);
        Loops.forRange(planes, Math.max(1, (1 << 15) / (h * w)), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                for (int i = 0; i < oh; i++) {
                    int y0 = binStart(i, h, oh), y1 = binEnd(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int x0 = binStart(j, w, ow), x1 = binEnd(j, w, ow);
                        double sum = 0;
                        for (int r = y0; r < y1; r++)
                            for (int c = x0; c < x1; c++) sum += x[offX + (plane * h + r) * w + c];
                        y[offY + (plane * oh + i) * ow + j] = (float) (sum / ((y1 - y0) * (x1 - x0)));
                    }
                }
            }
        });
    }

    /**
     * Adaptive average pooling backward: each output cell's gradient, divided by its bin's size, added over its bin.
     *
     * @param planes number of planes, N·C
     * @param h input height
     * @param w input width
     * @param oh output height
     * @param ow output width
     * @param dy gradient of the output {@code [planes, oh, ow]}
     * @param offDy offset of the output gradient in {@code dy}
     * @param dx gradient of the input {@code [planes, h, w]}, overwritten
     * @param offDx offset of the input gradient in {@code dx}
     */
    public static void adaptiveAvgPool2dBackward(int planes, int h, int w, int oh, int ow, float[] dy, int offDy, float[] dx, int offDx) {
        checkAdaptive(planes, h, w, oh, ow);
        Checks.length("adaptiveAvgPool2d", "output gradient", dy, offDy, (long) planes * oh * ow);
        Checks.length("adaptiveAvgPool2d", "input gradient", dx, offDx, (long) planes * h * w);
        Loops.forRange(planes, Math.max(1, (1 << 15) / (h * w)), (from, to) -> {
            Arrays.fill(dx, offDx + from * h * w, offDx + to * h * w, 0f);
            for (int plane = from; plane < to; plane++) {
                for (int i = 0; i < oh; i++) {
                    int y0 = binStart(i, h, oh), y1 = binEnd(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int x0 = binStart(j, w, ow), x1 = binEnd(j, w, ow);
                        float g = dy[offDy + (plane * oh + i) * ow + j] / ((y1 - y0) * (x1 - x0));
                        for (int r = y0; r < y1; r++)
                            for (int c = x0; c < x1; c++) dx[offDx + (plane * h + r) * w + c] += g;
                    }
                }
            }
        });
    }

    private static void checkAdaptive(int planes, int h, int w, int oh, int ow) {
        Checks.nonNegative("adaptiveAvgPool2d", "planes", planes);
        Checks.positive("adaptiveAvgPool2d", "input height", h);
        Checks.positive("adaptiveAvgPool2d", "input width", w);
        Checks.positive("adaptiveAvgPool2d", "output height", oh);
        Checks.positive("adaptiveAvgPool2d", "output width", ow);
    }

    /** First input index of adaptive bin i: ⌊i·in/out⌋. */
    private static int binStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input index of adaptive bin i: ⌈(i+1)·in/out⌉. */
    private static int binEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** Planes per parallel task, from the plane size only. */
    private static int planesPerTask(PoolGeometry g) {
        return Math.max(1, (1 << 15) / Math.max(1, g.h * g.w));
    }
}
