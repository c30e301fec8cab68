package org.jgrad.nn.functional;

import java.util.Arrays;
import org.jgrad.core.Autograd;
import org.jgrad.core.Functional;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Function;
import org.jgrad.core.ops.NDArray;

/**
 * Convolution and pooling as differentiable functions of tensors — the one seam between the
 * conv/pool layers and their kernels. Ungrouped convolution, max and average pooling and global
 * average pooling run on nn-core's implicit-GEMM convolution and pooling kernels ({@link Functional}); grouped
 * convolution and adaptive pooling to sizes other than 1×1 run on the direct loops below (each
 * op's forward and backward side by side), correct but not fast.
 *
 * <p>Output size per spatial dim: {@code ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1}.
 *
 * <pre>{@code
 * jshell> ConvFunctions.conv2d(Tensor.ones(1, 1, 3, 3), Tensor.ones(1, 1, 2, 2), null, 1, 0).toArray()
 * $1 ==> float[4] { 4.0, 4.0, 4.0, 4.0 }
 * }</pre>
 */
public final class ConvFunctions {

    private ConvFunctions() {}

    static int outSize(String op, int in, int k, int stride, int pad, int dilation) {
        int span = dilation * (k - 1) + 1;
        int out = (in + 2 * pad - span) / stride + 1;
        if (in + 2 * pad < span) {
            throw new IllegalArgumentException(op + ": input size " + in + " (padded by " + pad + " on each side) is smaller than the kernel's span "
                    + span + " (kernel " + k + ", dilation " + dilation + ")");
        }
        return out;
    }

    /** 2-D convolution with square kernel parameters; {@code bias} may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1);
    }

    /**
     * 2-D convolution (cross-correlation, as PyTorch): x [N, C, H, W], weight [O, C/groups, kh, kw],
     * bias [O] or null → [N, O, Ho, Wo].
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (x.rank() != 4 || weight.rank() != 4) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [O, C/groups, kh, kw], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(weight.shape()));
        }
        if (groups <= 0 || x.size(1) != weight.size(1) * groups || weight.size(0) % groups != 0) {
            throw new IllegalArgumentException("conv2d: input with " + x.size(1) + " channels does not fit weight "
                    + Arrays.toString(weight.shape()) + " with " + groups + " group(s)");
        }
        if (bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("conv2d: bias of shape " + Arrays.toString(bias.shape()) + " does not match "
                    + weight.size(0) + " output channels");
        }
        if (groups == 1) return Functional.conv2d(x, weight, bias, stride, padding, dilation); // implicit GEMM over the batch
        Conv2d op = new Conv2d(stride, padding, dilation, groups);
        return bias == null ? Autograd.apply(op, x, weight) : Autograd.apply(op, x, weight, bias);
    }

    /** 1-D convolution: x [N, C, L], weight [O, C/groups, k] → [N, O, Lo], as a conv2d of height 1. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        if (x.rank() != 3 || weight.rank() != 3) {
            throw new IllegalArgumentException("conv1d: expected input [N, C, L] and weight [O, C/groups, k], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(weight.shape()));
        }
        Tensor y = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups);
        return y.squeeze(2);
    }

    /** Max pooling over kh×kw windows; padding counts as −∞. x [N, C, H, W] → [N, C, Ho, Wo]. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        requireImage("maxPool2d", x);
        return Functional.maxPool2d(x, kernel, stride, padding);
    }

    /**
     * Average pooling over kh×kw windows. With {@code countIncludePad} (PyTorch's default) the
     * divisor is always kh·kw; without it, only the window's cells inside the input count.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        requireImage("avgPool2d", x);
        return Functional.avgPool2d(x, kernel, stride, padding, countIncludePad);
    }

    /**
     * Adaptive average pooling to [outH, outW]: output cell i averages input rows
     * ⌊i·H/outH⌋ … ⌈(i+1)·H/outH⌉ − 1 (likewise columns), as PyTorch.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        requireImage("adaptiveAvgPool2d", x);
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got " + outH + "×" + outW);
        if (outH == 1 && outW == 1) return Functional.adaptiveAvgPool2d(x); // global average: nn-core's kernel
        return Autograd.apply(new AdaptiveAvg(outH, outW), x);
    }

    private static void requireImage(String op, Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": expected input [N, C, H, W], got " + Arrays.toString(x.shape()));
    }

    // ---------------------------------------------------------------- ops

    /** Direct-loop convolution; its backward scatters into dx, dw and db. */
    static final class Conv2d extends Function {
        private final int sh, sw, ph, pw, dh, dw, groups;
        private NDArray x, w;
        private boolean hasBias;
        private int n, c, h, wd, o, kh, kw, ho, wo;

        Conv2d(int[] stride, int[] padding, int[] dilation, int groups) {
            sh = stride[0];
            sw = stride[1];
            ph = padding[0];
            pw = padding[1];
            dh = dilation[0];
            dw = dilation[1];
            this.groups = groups;
            if (sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || ph < 0 || pw < 0) {
                throw new IllegalArgumentException("conv2d: stride and dilation must be positive and padding ≥ 0, got stride "
                        + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation " + Arrays.toString(dilation));
            }
        }

        @Override
        public NDArray forward(NDArray... in) {
            x = in[0];
            w = in[1];
            hasBias = in.length > 2;
            n = x.dim(0); c = x.dim(1); h = x.dim(2); wd = x.dim(3);
            o = w.dim(0); kh = w.dim(2); kw = w.dim(3);
            ho = outSize("conv2d", h, kh, sh, ph, dh);
            wo = outSize("conv2d", wd, kw, sw, pw, dw);
            float[] xs = x.data(), ws = w.data(), b = hasBias ? in[2].data() : null;
            float[] out = new float[n * o * ho * wo];
            int cg = c / groups, og = o / groups;
            for (int b0 = 0; b0 < n; b0++) {
                for (int oc = 0; oc < o; oc++) {
                    int g = oc / og, outBase = ((b0 * o) + oc) * ho * wo;
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            float s = b == null ? 0f : b[oc];
                            for (int ic = 0; ic < cg; ic++) {
                                int xBase = ((b0 * c) + g * cg + ic) * h * wd, wBase = ((oc * cg) + ic) * kh * kw;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = oy * sh - ph + ky * dh;
                                    if (iy < 0 || iy >= h) continue;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = ox * sw - pw + kx * dw;
                                        if (ix < 0 || ix >= wd) continue;
                                        s += xs[xBase + iy * wd + ix] * ws[wBase + ky * kw + kx];
                                    }
                                }
                            }
                            out[outBase + oy * wo + ox] = s;
                        }
                    }
                }
            }
            return new NDArray(out, n, o, ho, wo);
        }

        @Override
        public NDArray[] backward(NDArray gradOut) {
            float[] gs = gradOut.data(), xs = x.data(), ws = w.data();
            float[] gx = needsGrad(0) ? new float[xs.length] : null, gw = needsGrad(1) ? new float[ws.length] : null;
            float[] gb = hasBias && needsGrad(2) ? new float[o] : null;
            int cg = c / groups, og = o / groups;
            for (int b0 = 0; b0 < n; b0++) {
                for (int oc = 0; oc < o; oc++) {
                    int g = oc / og, outBase = ((b0 * o) + oc) * ho * wo;
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            float go = gs[outBase + oy * wo + ox];
                            if (gb != null) gb[oc] += go;
                            for (int ic = 0; ic < cg; ic++) {
                                int xBase = ((b0 * c) + g * cg + ic) * h * wd, wBase = ((oc * cg) + ic) * kh * kw;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = oy * sh - ph + ky * dh;
                                    if (iy < 0 || iy >= h) continue;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = ox * sw - pw + kx * dw;
                                        if (ix < 0 || ix >= wd) continue;
                                        int xi = xBase + iy * wd + ix, wi = wBase + ky * kw + kx;
                                        if (gx != null) gx[xi] += go * ws[wi];
                                        if (gw != null) gw[wi] += go * xs[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new NDArray[] {gx == null ? null : new NDArray(gx, x.shape()), gw == null ? null : new NDArray(gw, w.shape()),
                    gb == null ? null : new NDArray(gb, o)};
        }

        @Override
        public String name() {
            return "conv2d";
        }
    }

    /** Max or average pooling; max remembers the winning input of each window for its backward. */
    static final class Pool extends Function {
        private final boolean max, countIncludePad;
        private final int kh, kw, sh, sw, ph, pw;
        private int[] inShape;
        private int[] argmax;
        private int ho, wo;

        Pool(boolean max, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
            String op = max ? "maxPool2d" : "avgPool2d";
            this.max = max;
            this.countIncludePad = countIncludePad;
            kh = kernel[0];
            kw = kernel[1];
            sh = stride[0];
            sw = stride[1];
            ph = padding[0];
            pw = padding[1];
            if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0) {
                throw new IllegalArgumentException(op + ": kernel and stride must be positive and padding ≥ 0, got kernel "
                        + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding));
            }
            if (2 * ph > kh || 2 * pw > kw) {
                throw new IllegalArgumentException(op + ": padding " + Arrays.toString(padding) + " must be at most half the kernel "
                        + Arrays.toString(kernel));
            }
        }

        @Override
        public NDArray forward(NDArray... in) {
            NDArray x = in[0];
            inShape = x.shape();
            int planes = inShape[0] * inShape[1], h = inShape[2], w = inShape[3];
            String op = max ? "maxPool2d" : "avgPool2d";
            ho = outSize(op, h, kh, sh, ph, 1);
            wo = outSize(op, w, kw, sw, pw, 1);
            float[] xs = x.data(), out = new float[planes * ho * wo];
            if (max) argmax = new int[out.length];
            for (int p = 0; p < planes; p++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        int oi = (p * ho + oy) * wo + ox;
                        float best = Float.NEGATIVE_INFINITY, sum = 0f;
                        int bestAt = -1, count = 0;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * sh - ph + ky;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * sw - pw + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                int xi = (p * h + iy) * w + ix;
                                float v = xs[xi];
                                // NaN propagates, as in PyTorch: it wins every comparison it takes part in
                                if (bestAt < 0 || v > best || v != v) {
                                    best = v;
                                    bestAt = xi;
                                }
                                sum += v;
                                count++;
                            }
                        }
                        if (max) {
                            out[oi] = best;
                            argmax[oi] = bestAt;
                        } else {
                            out[oi] = sum / (countIncludePad ? kh * kw : count);
                        }
                    }
                }
            }
            return new NDArray(out, inShape[0], inShape[1], ho, wo);
        }

        @Override
        public NDArray[] backward(NDArray gradOut) {
            float[] gs = gradOut.data(), gx = new float[inShape[0] * inShape[1] * inShape[2] * inShape[3]];
            if (max) {
                for (int i = 0; i < gs.length; i++) gx[argmax[i]] += gs[i];
                return new NDArray[] {new NDArray(gx, inShape)};
            }
            int planes = inShape[0] * inShape[1], h = inShape[2], w = inShape[3];
            for (int p = 0; p < planes; p++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        int y0 = Math.max(oy * sh - ph, 0), y1 = Math.min(oy * sh - ph + kh, h);
                        int x0 = Math.max(ox * sw - pw, 0), x1 = Math.min(ox * sw - pw + kw, w);
                        int count = countIncludePad ? kh * kw : (y1 - y0) * (x1 - x0);
                        float g = gs[(p * ho + oy) * wo + ox] / count;
                        for (int iy = y0; iy < y1; iy++) for (int ix = x0; ix < x1; ix++) gx[(p * h + iy) * w + ix] += g;
                    }
                }
            }
            return new NDArray[] {new NDArray(gx, inShape)};
        }

        @Override
        public String name() {
            return max ? "maxPool2d" : "avgPool2d";
        }
    }

    /** Adaptive average pooling with PyTorch's bin edges. */
    static final class AdaptiveAvg extends Function {
        private final int oh, ow;
        private int[] inShape;

        AdaptiveAvg(int oh, int ow) {
            this.oh = oh;
            this.ow = ow;
        }

        private static int start(int i, int in, int out) {
            return (int) Math.floor((double) i * in / out);
        }

        private static int end(int i, int in, int out) {
            return (int) Math.ceil((double) (i + 1) * in / out);
        }

        @Override
        public NDArray forward(NDArray... in) {
            inShape = in[0].shape();
            int planes = inShape[0] * inShape[1], h = inShape[2], w = inShape[3];
            float[] xs = in[0].data(), out = new float[planes * oh * ow];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < oh; i++) {
                    int y0 = start(i, h, oh), y1 = end(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int x0 = start(j, w, ow), x1 = end(j, w, ow);
                        float s = 0f;
                        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) s += xs[(p * h + y) * w + x];
                        out[(p * oh + i) * ow + j] = s / ((y1 - y0) * (x1 - x0));
                    }
                }
            }
            return new NDArray(out, inShape[0], inShape[1], oh, ow);
        }

        @Override
        public NDArray[] backward(NDArray gradOut) {
            int planes = inShape[0] * inShape[1], h = inShape[2], w = inShape[3];
            float[] gs = gradOut.data(), gx = new float[planes * h * w];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < oh; i++) {
                    int y0 = start(i, h, oh), y1 = end(i, h, oh);
                    for (int j = 0; j < ow; j++) {
                        int x0 = start(j, w, ow), x1 = end(j, w, ow);
                        float g = gs[(p * oh + i) * ow + j] / ((y1 - y0) * (x1 - x0));
                        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) gx[(p * h + y) * w + x] += g;
                    }
                }
            }
            return new NDArray[] {new NDArray(gx, inShape)};
        }

        @Override
        public String name() {
            return "adaptiveAvgPool2d";
        }
    }
}
