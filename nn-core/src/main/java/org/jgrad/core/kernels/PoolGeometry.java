package org.jgrad.core.kernels;

/**
 * Validated shape of a 2-D pooling window over {@code [N, C, H, W]}: kernel, stride and
 * padding per dimension, output {@code [N, C, P, Q]} with {@code P = ⌊(H + 2·padH − kH) / strideH⌋ + 1}
 * (floor mode, as PyTorch's default). As in PyTorch, padding may be at most half the kernel, so
 * every window holds at least one real input element.
 */
public final class PoolGeometry {

    /** Op name used in messages: "maxPool2d" or "avgPool2d". */
    public final String op;
    /** Batch size N, channels C, input height H and width W, window size, strides and paddings (on each side), per dimension. */
    public final int n, c, h, w, kH, kW, strideH, strideW, padH, padW;
    /** Output height and width. */
    public final int p, q;

    private PoolGeometry(String op, int n, int c, int h, int w, int kH, int kW,
                         int strideH, int strideW, int padH, int padW) {
        Checks.nonNegative(op, "batch size", n);
        Checks.positive(op, "channels", c);
        this.p = Checks.outputSize(op, " (height)", h, kH, strideH, padH, 1);
        this.q = Checks.outputSize(op, " (width)", w, kW, strideW, padW, 1);
        if (2 * padH > kH || 2 * padW > kW) {
            boolean height = 2 * padH > kH;
            throw new IllegalArgumentException(op + ": padding " + (height ? padH : padW)
                    + " must be at most half of kernel " + (height ? kH : kW) + (height ? " (height)" : " (width)"));
        }
        this.op = op;
        this.n = n; this.c = c; this.h = h; this.w = w; this.kH = kH; this.kW = kW;
        this.strideH = strideH; this.strideW = strideW; this.padH = padH; this.padW = padW;
        Checks.size(op, "input", n, c, h, w);
    }

    /**
     * The window of pooling op {@code op} (named in errors): {@code "maxPool2d"} or
     * {@code "avgPool2d"}; the geometry is the same for both.
     *
     * @param op name of the op in errors
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param h input height H
     * @param w input width W
     * @param kH window height
     * @param kW window width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros added above and below
     * @param padW zeros added left and right
     * @return the checked geometry
     */
    public static PoolGeometry of(String op, int n, int c, int h, int w, int kH, int kW,
                                  int strideH, int strideW, int padH, int padW) {
        return new PoolGeometry(op, n, c, h, w, kH, kW, strideH, strideW, padH, padW);
    }

    /**
     * Max pooling window; argmax ties go to the first index in row-major window order.
     *
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param h input height H
     * @param w input width W
     * @param kH window height
     * @param kW window width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros added above and below
     * @param padW zeros added left and right
     * @return the checked geometry
     */
    public static PoolGeometry maxPool2d(int n, int c, int h, int w, int kH, int kW,
                                         int strideH, int strideW, int padH, int padW) {
        return of("maxPool2d", n, c, h, w, kH, kW, strideH, strideW, padH, padW);
    }

    /**
     * Average pooling window.
     *
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param h input height H
     * @param w input width W
     * @param kH window height
     * @param kW window width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros added above and below
     * @param padW zeros added left and right
     * @return the checked geometry
     */
    public static PoolGeometry avgPool2d(int n, int c, int h, int w, int kH, int kW,
                                         int strideH, int strideW, int padH, int padW) {
        return of("avgPool2d", n, c, h, w, kH, kW, strideH, strideW, padH, padW);
    }

    /**
     * Number of planes, N·C.
     *
     * @return N·C
     */
    public int planes() { return n * c; }

    /**
     * Floats of the whole input, N·C·H·W.
     *
     * @return N·C·H·W
     */
    public int inputSize() { return n * c * h * w; }

    /**
     * Floats of the whole output, N·C·P·Q.
     *
     * @return N·C·P·Q
     */
    public int outputSize() { return n * c * p * q; }

    @Override
    public String toString() {
        return op + "[N=" + n + ", C=" + c + ", H=" + h + ", W=" + w + ", kernel=" + kH + "x" + kW
                + ", stride=" + strideH + "x" + strideW + ", pad=" + padH + "x" + padW + " -> P=" + p + ", Q=" + q + "]";
    }
}
