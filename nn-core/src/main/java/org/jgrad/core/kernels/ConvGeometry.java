package org.jgrad.core.kernels;

/**
 * Validated shape of a 2-D convolution over a batch: input {@code [N, C, H, W]}, weight
 * {@code [K, C/groups, R, S]}, output {@code [N, K, P, Q]} with PyTorch's output size
 * {@code P = ⌊(H + 2·padH − dilH·(R−1) − 1) / strideH⌋ + 1} (Q likewise). A 1-D convolution is
 * the case H = R = 1 (see {@link #conv1d}). With {@code groups} G, the channels are cut into G
 * groups and output channels {@code [g·K/G, (g+1)·K/G)} see only input channels
 * {@code [g·C/G, (g+1)·C/G)} (G = C is a depthwise convolution), as in PyTorch. Construction
 * checks everything and throws
 * {@link IllegalArgumentException} with a message naming the op, e.g.
 * {@code conv2d: kernel 5 with padding 0 does not fit input 3 (height)}.
 *
 * <pre>{@code
 * jshell> var g = ConvGeometry.conv2d(64, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1)
 * jshell> g.p + "x" + g.q
 * $2 ==> "14x14"
 * }</pre>
 */
public final class ConvGeometry {

    /** Op name used in messages: "conv2d" or "conv1d". */
    public final String op;
    /** Batch size N, input channels C, input height H and width W, output channels K, kernel height R and width S. */
    public final int n, c, h, w, k, r, s;
    /** Strides, paddings (on each side) and dilations, per dimension. */
    public final int strideH, strideW, padH, padW, dilH, dilW;
    /** Channel groups; C and K are multiples of it. */
    public final int groups;
    /** Output height and width. */
    public final int p, q;

    private ConvGeometry(String op, int n, int c, int h, int w, int k, int r, int s,
                         int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {
        Checks.nonNegative(op, "batch size", n);
        Checks.positive(op, "input channels", c);
        Checks.positive(op, "output channels", k);
        Checks.positive(op, "groups", groups);
        if (c % groups != 0 || k % groups != 0) {
            throw new IllegalArgumentException(op + ": " + groups + " groups must divide both the " + c
                    + " input channels and the " + k + " output channels");
        }
        this.groups = groups;
        boolean oneD = op.equals("conv1d");
        this.p = Checks.outputSize(op, " (height)", h, r, strideH, padH, dilH);
        this.q = Checks.outputSize(op, oneD ? "" : " (width)", w, s, strideW, padW, dilW);
        this.op = op;
        this.n = n; this.c = c; this.h = h; this.w = w; this.k = k; this.r = r; this.s = s;
        this.strideH = strideH; this.strideW = strideW; this.padH = padH; this.padW = padW;
        this.dilH = dilH; this.dilW = dilW;
        Checks.size(op, "input", n, c, h, w);
        Checks.size(op, "output", n, k, p, q);
        Checks.size(op, "weight", k, c / groups, r, s);
        Checks.size(op, "column matrix C·R·S × P·Q", c / groups, r, s, p, q);
    }

    /**
     * A 2-D convolution; all sizes, strides and dilations positive, paddings non-negative.
     *
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param h input height H
     * @param w input width W
     * @param k output channels K
     * @param r kernel height R
     * @param s kernel width S
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros added above and below
     * @param padW zeros added left and right
     * @param dilH vertical spacing between kernel taps
     * @param dilW horizontal spacing between kernel taps
     * @return the checked geometry
     */
    public static ConvGeometry conv2d(int n, int c, int h, int w, int k, int r, int s,
                                      int strideH, int strideW, int padH, int padW, int dilH, int dilW) {
        return conv2d(n, c, h, w, k, r, s, strideH, strideW, padH, padW, dilH, dilW, 1);
    }

    /**
     * A grouped 2-D convolution (see the class comment); groups positive, dividing C and K.
     *
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param h input height H
     * @param w input width W
     * @param k output channels K
     * @param r kernel height R
     * @param s kernel width S
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH zeros added above and below
     * @param padW zeros added left and right
     * @param dilH vertical spacing between kernel taps
     * @param dilW horizontal spacing between kernel taps
     * @param groups channel groups G
     * @return the checked geometry
     */
    public static ConvGeometry conv2d(int n, int c, int h, int w, int k, int r, int s,
                                      int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {
        return new ConvGeometry("conv2d", n, c, h, w, k, r, s, strideH, strideW, padH, padW, dilH, dilW, groups);
    }

    /**
     * A 1-D convolution: input {@code [N, C, L]}, weight {@code [K, C, R]}, output {@code [N, K, Lout]};
     * the same memory layout as a 2-D convolution with H = R = 1, so all kernels apply unchanged
     * (here {@link #q} is Lout and {@link #p} is 1).
     *
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param length input length L
     * @param k output channels K
     * @param r kernel height R
     * @param stride stride along the sequence
     * @param pad zeros added at both ends
     * @param dil spacing between kernel taps
     * @return the checked geometry
     */
    public static ConvGeometry conv1d(int n, int c, int length, int k, int r, int stride, int pad, int dil) {
        return conv1d(n, c, length, k, r, stride, pad, dil, 1);
    }

    /**
     * A grouped 1-D convolution.
     *
     * @param n batch size N, ≥ 0
     * @param c input channels C
     * @param length input length L
     * @param k output channels K
     * @param r kernel height R
     * @param stride stride along the sequence
     * @param pad zeros added at both ends
     * @param dil spacing between kernel taps
     * @param groups channel groups G
     * @return the checked geometry
     */
    public static ConvGeometry conv1d(int n, int c, int length, int k, int r, int stride, int pad, int dil, int groups) {
        return new ConvGeometry("conv1d", n, c, 1, length, k, 1, r, 1, stride, 0, pad, 1, dil, groups);
    }

    /**
     * Floats of one input image, C·H·W.
     *
     * @return C·H·W
     */
    public int inputSize() { return c * h * w; }

    /**
     * Floats of one output image, K·P·Q.
     *
     * @return K·P·Q
     */
    public int outputSize() { return k * p * q; }

    /**
     * Floats of the weight, K·(C/groups)·R·S.
     *
     * @return K·(C/groups)·R·S
     */
    public int weightSize() { return k * (c / groups) * r * s; }

    /**
     * Rows of the column matrix, (C/groups)·R·S (the GEMM reduction length of the forward pass).
     *
     * @return (C/groups)·R·S
     */
    public int colRows() { return (c / groups) * r * s; }

    /**
     * One group alone: C/groups input and K/groups output channels, the same window (this one when ungrouped).
     *
     * @return the geometry of one group
     */
    public ConvGeometry perGroup() {
        return groups == 1 ? this
                : new ConvGeometry(op, n, c / groups, h, w, k / groups, r, s, strideH, strideW, padH, padW, dilH, dilW, 1);
    }

    /**
     * Columns of the column matrix, P·Q.
     *
     * @return P·Q
     */
    public int colCols() { return p * q; }

    /**
     * True for a 1×1 kernel with stride 1 and no padding: the input already is the column matrix.
     *
     * @return true if no column matrix is needed
     */
    public boolean isPointwise() {
        return r == 1 && s == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }

    /**
     * Multiply-adds of the forward pass, N·K·P·Q·(C/groups)·R·S (flops are twice this).
     *
     * @return the multiply-add count
     */
    public long macs() {
        return (long) n * k * p * q * (c / groups) * r * s;
    }

    @Override
    public String toString() {
        return op + "[N=" + n + ", C=" + c + ", H=" + h + ", W=" + w + ", K=" + k + ", R=" + r + ", S=" + s
                + ", stride=" + strideH + "x" + strideW + ", pad=" + padH + "x" + padW
                + ", dil=" + dilH + "x" + dilW + (groups > 1 ? ", groups=" + groups : "") + " -> P=" + p + ", Q=" + q + "]";
    }
}
