package org.jgrad.core.ops;

import org.jgrad.core.kernels.Conv2dKernel;
import org.jgrad.core.kernels.ConvGeometry;
import org.jgrad.core.kernels.Pool;
import org.jgrad.core.kernels.PoolGeometry;

/**
 * Convolution and pooling ops over the kernels of {@link Conv2dKernel} and {@link Pool}, each
 * with its backward beside its forward. Inputs are NCHW ({@code [N, C, L]} for conv1d). This
 * layer checks ranks, channel counts and the bias shape; the window geometry (sizes, strides,
 * padding, an output below 1) is checked by {@link ConvGeometry} / {@link PoolGeometry}, whose
 * messages pass through unchanged.
 */
public final class ConvOps {

    private ConvOps() {}

    /**
     * Cross-correlation of {@code x[N, C, H, W]} with {@code w[K, C/groups, R, S]} plus an optional
     * {@code b[K]} (a third input), giving {@code [N, K, P, Q]}. Backward computes only the
     * gradients asked for (input, weight, bias), each on {@link Conv2dKernel}'s implicit GEMM.
     */
    public static final class Conv2d extends Op {
        private final int strideH, strideW, padH, padW, dilH, dilW, groups;
        private ConvGeometry g;
        private FloatArray x, w;
        private boolean hasBias;

        /**
         * {@code stride}, {@code padding}, {@code dilation}: two values each, (height, width).
         *
         * @param stride (height, width), positive
         * @param padding (height, width), non-negative
         * @param dilation (height, width), positive
         */
        public Conv2d(int[] stride, int[] padding, int[] dilation) {
            this(stride, padding, dilation, 1);
        }

        /**
         * A grouped convolution: {@code groups} divides C and K (C groups is depthwise).
         *
         * @param stride (height, width), positive
         * @param padding (height, width), non-negative
         * @param dilation (height, width), positive
         * @param groups number of channel groups
         */
        public Conv2d(int[] stride, int[] padding, int[] dilation, int groups) {
            int[] st = pair("conv2d", "stride", stride), pad = pair("conv2d", "padding", padding);
            int[] dil = pair("conv2d", "dilation", dilation);
            strideH = st[0]; strideW = st[1]; padH = pad[0]; padW = pad[1]; dilH = dil[0]; dilW = dil[1];
            this.groups = groups;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            hasBias = inputs("conv2d", in);
            FloatArray input = in[0], weight = in[1];
            rank("conv2d", "input", input, 4, "[N, C, H, W]");
            rank("conv2d", "weight", weight, 4, groups == 1 ? "[K, C, R, S]" : "[K, C/groups, R, S]");
            channels("conv2d", input, weight, groups);
            if (hasBias) bias("conv2d", in[2], weight);
            g = ConvGeometry.conv2d(input.shape[0], input.shape[1], input.shape[2], input.shape[3],
                    weight.shape[0], weight.shape[2], weight.shape[3], strideH, strideW, padH, padW, dilH, dilW, groups);
            return run(g, in, new int[] {g.n, g.k, g.p, g.q});
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            return gradients(g, gy);
        }

        /** Bilinear in (x, w), affine in b: conv(tx, w) + conv(x, tw) + tb. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return tangent(g, t, y.shape);
        }

        FloatArray tangent(ConvGeometry geo, FloatArray[] t, int[] outShape) {
            FloatArray tb = hasBias ? t[2] : null, sum = null;
            if (t[0] != null) sum = convolve(geo, t[0], w, tb, outShape);
            if (t[1] != null) {
                FloatArray part = convolve(geo, x, t[1], sum == null ? tb : null, outShape);
                sum = sum == null ? part : BinaryOps.add(sum, part);
            }
            if (sum == null && tb != null) {
                int[] perChannel = new int[outShape.length];
                java.util.Arrays.fill(perChannel, 1);
                perChannel[1] = geo.k;
                sum = BinaryOps.expand(tb.reshape(perChannel), outShape);
            }
            return sum;
        }

        /** One convolution into a new array (the kernel overwrites all of it). */
        private static FloatArray convolve(ConvGeometry geo, FloatArray input, FloatArray weight, FloatArray bias, int[] outShape) {
            FloatArray y = FloatArray.empty(outShape);
            Conv2dKernel.forward(geo, input.data, 0, weight.data, 0, bias == null ? null : bias.data, 0, y.data, 0);
            return y;
        }

        private FloatArray run(ConvGeometry geo, FloatArray[] in, int[] outShape) {
            FloatArray y = convolve(geo, in[0], in[1], hasBias ? in[2] : null, outShape);
            // keep only what the backward and the tangent rule will read
            x = needsGrad(1) ? in[0] : null;
            w = needsGrad(0) ? in[1] : null;
            return y;
        }

        private FloatArray[] gradients(ConvGeometry geo, FloatArray gy) {
            FloatArray[] out = new FloatArray[hasBias ? 3 : 2];
            if (needsGrad(0)) {
                out[0] = FloatArray.empty(xShape(geo));
                Conv2dKernel.backwardInput(geo, gy.data, 0, w.data, 0, out[0].data, 0);
            }
            if (needsGrad(1)) {
                out[1] = gradArray(1, wShape(geo));
                Conv2dKernel.backwardWeight(geo, x.data, 0, gy.data, 0, out[1].data, 0);
            }
            if (hasBias && needsGrad(2)) {
                out[2] = gradArray(2, geo.k);
                Conv2dKernel.backwardBias(geo, gy.data, 0, out[2].data, 0);
            }
            return out;
        }

        int[] xShape(ConvGeometry geo) {
            return new int[] {geo.n, geo.c, geo.h, geo.w};
        }

        int[] wShape(ConvGeometry geo) {
            return new int[] {geo.k, geo.c / geo.groups, geo.r, geo.s};
        }

        /** The 1-D case shares the arithmetic: same memory layout with H = R = 1. */
        FloatArray forward1d(FloatArray[] in, ConvGeometry geo) {
            g = geo;
            return run(geo, in, new int[] {geo.n, geo.k, geo.q});
        }
    }

    /**
     * Cross-correlation of {@code x[N, C, L]} with {@code w[K, C, R]} plus an optional {@code b[K]},
     * giving {@code [N, K, Lout]}: {@link Conv2d} with H = R = 1.
     */
    public static final class Conv1d extends Op {
        private final int stride, padding, dilation, groups;
        private Conv2d conv;
        private ConvGeometry g;

        /**
         * A 1-D convolution with one group.
         *
         * @param stride step along the sequence, positive
         * @param padding zeros added at both ends
         * @param dilation spacing between kernel taps, positive
         */
        public Conv1d(int stride, int padding, int dilation) {
            this(stride, padding, dilation, 1);
        }

        /**
         * A grouped 1-D convolution: {@code groups} divides C and K.
         *
         * @param stride step along the sequence, positive
         * @param padding zeros added at both ends
         * @param dilation spacing between kernel taps, positive
         * @param groups number of channel groups
         */
        public Conv1d(int stride, int padding, int dilation, int groups) {
            this.stride = stride;
            this.padding = padding;
            this.dilation = dilation;
            this.groups = groups;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            boolean hasBias = inputs("conv1d", in);
            FloatArray input = in[0], weight = in[1];
            rank("conv1d", "input", input, 3, "[N, C, L]");
            rank("conv1d", "weight", weight, 3, groups == 1 ? "[K, C, R]" : "[K, C/groups, R]");
            channels("conv1d", input, weight, groups);
            if (hasBias) bias("conv1d", in[2], weight);
            g = ConvGeometry.conv1d(input.shape[0], input.shape[1], input.shape[2], weight.shape[0], weight.shape[2],
                    stride, padding, dilation, groups);
            conv = new Conv2d(new int[] {1, stride}, new int[] {0, padding}, new int[] {1, dilation}, groups);
            conv.setNeedsGrad(new boolean[] {needsGrad(0), needsGrad(1), needsGrad(2)});
            conv.hasBias = hasBias;
            return conv.forward1d(in, g);
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            FloatArray[] grads = conv.gradients(g, gy);
            if (grads[0] != null) grads[0] = grads[0].reshape(g.n, g.c, g.w);
            if (grads[1] != null) grads[1] = grads[1].reshape(g.k, g.c / g.groups, g.s);
            return grads;
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return conv.tangent(g, t, y.shape);
        }
    }

    /** What max and average pooling share: the window's arguments, checked once, and the geometry of an input. */
    abstract static sealed class WindowPool extends Op permits MaxPool2d, AvgPool2d {
        private final String op;
        private final int[] kernel, stride, padding;
        PoolGeometry g;

        WindowPool(String op, int[] kernel, int[] stride, int[] padding) {
            this.op = op;
            this.kernel = pair(op, "kernel", kernel);
            this.stride = stride == null ? this.kernel : pair(op, "stride", stride);
            this.padding = padding == null ? new int[] {0, 0} : pair(op, "padding", padding);
        }

        /** Checks {@code x}, keeps its geometry in {@link #g} and returns the output array to fill. */
        FloatArray output(FloatArray x) {
            rank(op, "input", x, 4, "[N, C, H, W]");
            g = PoolGeometry.of(op, x.shape[0], x.shape[1], x.shape[2], x.shape[3],
                    kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
            return FloatArray.empty(g.n, g.c, g.p, g.q);
        }
    }

    /**
     * Max pooling of {@code [N, C, H, W]}: each output is the maximum of its window (padding
     * never wins). The forward keeps the argmax (ties: the first in row-major window order) and
     * the backward routes each gradient to it.
     */
    public static final class MaxPool2d extends WindowPool {
        private int[] argmax;

        /**
         * {@code stride} null means the kernel size, {@code padding} null means 0.
         *
         * @param kernel window (height, width)
         * @param stride (height, width), or null
         * @param padding (height, width), or null
         */
        public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
            super("maxPool2d", kernel, stride, padding);
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            FloatArray y = output(in[0]);
            argmax = needsGrad(0) ? Arena.ints(y.size()) : null;
            Pool.maxPool2d(g, in[0].data, 0, y.data, 0, argmax, 0);
            return y;
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            // the kernel clears each plane in its parallel task (a serial zeroing pass here was 1.6 %
            // of the reference CNN's step on 2 threads)
            FloatArray dx = FloatArray.empty(g.n, g.c, g.h, g.w);
            Pool.maxPool2dBackward(g, gy.data, 0, argmax, 0, dx.data, 0);
            return new FloatArray[] {dx};
        }

        /** The tangent of each window's argmax. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            if (t[0] == null) return null;
            FloatArray out = FloatArray.empty(y.shape);
            int hw = g.h * g.w, pq = g.p * g.q;
            for (int j = 0; j < out.data.length; j++) out.data[j] = t[0].data[(j / pq) * hw + argmax[j]];
            return out;
        }
    }

    /**
     * Average pooling of {@code [N, C, H, W]}. The divisor is kH·kW when {@code countIncludePad}
     * (PyTorch's default), else the number of real input elements in the window.
     */
    public static final class AvgPool2d extends WindowPool {
        private final boolean countIncludePad;

        /**
         * {@code stride} null means the kernel size, {@code padding} null means 0.
         *
         * @param kernel window (height, width)
         * @param stride (height, width), or null
         * @param padding (height, width), or null
         * @param countIncludePad true to divide by the full window size, false to count only real elements
         */
        public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
            super("avgPool2d", kernel, stride, padding);
            this.countIncludePad = countIncludePad;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            FloatArray y = output(in[0]);
            Pool.avgPool2d(g, countIncludePad, in[0].data, 0, y.data, 0);
            return y;
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            FloatArray dx = FloatArray.empty(g.n, g.c, g.h, g.w);      // the kernel clears each plane in parallel
            Pool.avgPool2dBackward(g, countIncludePad, gy.data, 0, dx.data, 0);
            return new FloatArray[] {dx};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /**
     * Adaptive average pooling {@code [N, C, H, W] → [N, C, outH, outW]} with PyTorch's bins (see
     * {@link Pool#adaptiveAvgPool2d}); to 1×1 it is global average pooling.
     */
    public static final class AdaptiveAvgPool2d extends Op {
        private final int outH, outW;
        private int[] shape;

        /** Global average pooling, to 1×1. */
        public AdaptiveAvgPool2d() {
            this(1, 1);
        }

        /**
         * Adaptive average pooling to {@code outH × outW}.
         *
         * @param outH output height, positive
         * @param outW output width, positive
         */
        public AdaptiveAvgPool2d(int outH, int outW) {
            if (outH <= 0 || outW <= 0) {
                throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got " + outH + "×" + outW);
            }
            this.outH = outH;
            this.outW = outW;
        }

        private boolean global() {
            return outH == 1 && outW == 1;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            FloatArray x = in[0];
            rank("adaptiveAvgPool2d", "input", x, 4, "[N, C, H, W]");
            shape = x.shape();
            int planes = shape[0] * shape[1], size = shape[2] * shape[3];
            if (size == 0) {
                throw new IllegalArgumentException("adaptiveAvgPool2d: input " + Shapes.str(shape)
                        + " has an empty plane; height and width must be positive");
            }
            FloatArray y = FloatArray.empty(shape[0], shape[1], outH, outW);
            if (global()) {
                Pool.globalAvgPool(planes, size, x.data, 0, y.data, 0);
            } else {
                Pool.adaptiveAvgPool2d(planes, shape[2], shape[3], outH, outW, x.data, 0, y.data, 0);
            }
            return y;
        }

        @Override
        public FloatArray[] backward(FloatArray gy) {
            FloatArray dx = FloatArray.empty(shape);
            int planes = shape[0] * shape[1];
            if (global()) {
                Pool.globalAvgPoolBackward(planes, shape[2] * shape[3], gy.data, 0, dx.data, 0);
            } else {
                Pool.adaptiveAvgPool2dBackward(planes, shape[2], shape[3], outH, outW, gy.data, 0, dx.data, 0);
            }
            return new FloatArray[] {dx};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    // ---------------------------------------------------------------- checks

    /** Two (input, weight) or three (plus bias) inputs; returns whether a bias is present. */
    private static boolean inputs(String op, FloatArray[] in) {
        if (in.length != 2 && in.length != 3) {
            throw new IllegalArgumentException(op + ": expected input, weight and an optional bias, got "
                    + in.length + " arrays");
        }
        return in.length == 3;
    }

    private static void rank(String op, String what, FloatArray a, int rank, String layout) {
        if (a.rank() != rank) {
            throw new IllegalArgumentException(op + ": expected " + what + " of rank " + rank + " " + layout
                    + ", got " + Shapes.str(a.shape));
        }
    }

    private static void channels(String op, FloatArray input, FloatArray weight, int groups) {
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        if ((long) weight.shape[1] * groups != input.shape[1]) {
            throw new IllegalArgumentException(op + ": input has " + input.shape[1] + " channels but weight "
                    + Shapes.str(weight.shape) + " expects " + weight.shape[1] + (groups == 1 ? "" : " per group × " + groups
                    + " groups = " + (long) weight.shape[1] * groups));
        }
        if (weight.shape[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(weight.shape) + " has " + weight.shape[0]
                    + " output channels, not a multiple of the " + groups + " groups");
        }
    }

    private static void bias(String op, FloatArray bias, FloatArray weight) {
        if (bias.rank() != 1 || bias.shape[0] != weight.shape[0]) {
            throw new IllegalArgumentException(op + ": expected bias of shape [" + weight.shape[0]
                    + "] (one value per output channel of weight " + Shapes.str(weight.shape) + "), got "
                    + Shapes.str(bias.shape));
        }
    }

    /** A (height, width) pair, copied. */
    private static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 2 values (height, width), got "
                    + (v == null ? "null" : Shapes.str(v)));
        }
        return v.clone();
    }
}
