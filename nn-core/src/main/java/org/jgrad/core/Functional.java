package org.jgrad.core;

import org.jgrad.core.ops.ConvOps;
import org.jgrad.core.ops.MatmulOps;

/**
 * Dense layers, convolution and pooling as functions of tensors, like {@code torch.nn.functional}:
 * each is one fused op with its own backward. Every
 * function records itself for autograd when an input requires grad (see {@link Autograd}).
 * Layout is NCHW: {@code [N, C, H, W]} for images, {@code [N, C, L]} for sequences.
 *
 * <p>Output size of every sliding window (PyTorch's rule, floor mode), per spatial dimension:
 * <pre>
 *   out = ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
 * </pre>
 * (pooling has dilation 1). A window that does not fit, a non-positive stride, a wrong rank or a
 * channel mismatch is refused with an {@link IllegalArgumentException} naming the op, e.g.
 * {@code conv2d: input has 3 channels but weight [16, 1, 5, 5] expects 1}.
 *
 * <pre>{@code
 * jshell> var x = Tensor.arange(16).reshape(1, 1, 4, 4)
 * jshell> var w = Tensor.ones(2, 1, 3, 3)
 * jshell> Functional.conv2d(x, w, null, 1, 1).shape()
 * $3 ==> int[4] { 1, 2, 4, 4 }
 * jshell> Functional.maxPool2d(x, 2).toArray()
 * $4 ==> float[4] { 5.0, 7.0, 13.0, 15.0 }
 * }</pre>
 */
public final class Functional {

    private Functional() {}

    /**
     * y = x·Wᵀ + b: a dense layer. x is [..., in], weight [out, in] (PyTorch's layout), bias [out]
     * or null; y is [..., out]. One GEMM reads W transposed in place.
     *
     * <pre>{@code
     * jshell> Functional.linear(Tensor.ones(2, 3), Tensor.ones(4, 3), Tensor.zeros(4)).shape()
     * $1 ==> int[2] { 2, 4 }
     * }</pre>
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return bias == null ? Autograd.apply(new MatmulOps.Linear(), x, weight)
                : Autograd.apply(new MatmulOps.Linear(), x, weight, bias);
    }

    /**
     * 2-D convolution (cross-correlation, as in PyTorch):
     * <pre>
     *   y[n, k, p, q] = b[k] + Σ_{c, r, s} w[k, c, r, s] · x[n, c, p·strideH − padH + r·dilH, q·strideW − padW + s·dilW]
     * </pre>
     * with zeros outside the input. Shapes: input {@code [N, C, H, W]}, weight {@code [K, C, R, S]},
     * bias {@code [K]} or null, output {@code [N, K, P, Q]} with P, Q from the class formula.
     * Gradients flow to input, weight and bias.
     *
     * <pre>{@code
     * jshell> var img = Tensor.randn(new SplittableRandom(1), 64, 1, 28, 28)
     * jshell> var w = Tensor.randn(new SplittableRandom(2), 32, 1, 5, 5).requiresGrad()
     * jshell> Functional.conv2d(img, w, null, new int[]{1, 1}, new int[]{2, 2}, new int[]{1, 1}).shape()
     * $3 ==> int[4] { 64, 32, 28, 28 }
     * }</pre>
     *
     * @param stride   (height, width), positive
     * @param padding  (height, width), zeros added on both sides, non-negative
     * @param dilation (height, width), spacing between kernel taps, positive
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        ConvOps.Conv2d fn = new ConvOps.Conv2d(stride, padding, dilation);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /**
     * A grouped convolution: input channels and output channels are cut into {@code groups}
     * groups, and each output group sees only its input group ({@code groups} = C is a depthwise
     * convolution), as PyTorch's {@code groups}. Weight {@code [K, C/groups, R, S]}; {@code groups}
     * must divide C and K.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        ConvOps.Conv2d fn = new ConvOps.Conv2d(stride, padding, dilation, groups);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[])} with the same stride and padding in both dimensions, dilation 1. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1});
    }

    /** Stride 1, no padding, dilation 1. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, 1, 0);
    }

    /**
     * 1-D convolution (cross-correlation):
     * <pre>
     *   y[n, k, l] = b[k] + Σ_{c, r} w[k, c, r] · x[n, c, l·stride − padding + r·dilation]
     * </pre>
     * Shapes: input {@code [N, C, L]}, weight {@code [K, C, R]}, bias {@code [K]} or null, output
     * {@code [N, K, Lout]} with Lout from the class formula.
     *
     * <pre>{@code
     * jshell> var x = Tensor.of(new float[]{1, 2, 3, 4, 5}, 1, 1, 5)
     * jshell> Functional.conv1d(x, Tensor.of(new float[]{1, 1, 1}, 1, 1, 3), null, 1, 0, 1).toArray()
     * $2 ==> float[3] { 6.0, 9.0, 12.0 }
     * }</pre>
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        ConvOps.Conv1d fn = new ConvOps.Conv1d(stride, padding, dilation);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /** A grouped 1-D convolution: weight {@code [K, C/groups, R]}; {@code groups} divides C and K. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        ConvOps.Conv1d fn = new ConvOps.Conv1d(stride, padding, dilation, groups);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /** 1-D convolution with dilation 1. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv1d(input, weight, bias, stride, padding, 1);
    }

    /**
     * Max pooling: {@code y[n, c, p, q] = max} over the window of rows {@code p·strideH − padH}
     * to {@code + kH − 1} and the columns likewise; padding never wins. The gradient goes to the
     * element that won; among equal maxima the first in row-major window order wins. Input
     * {@code [N, C, H, W]}, output {@code [N, C, P, Q]} (class formula, dilation 1). Padding may
     * be at most half the kernel.
     *
     * @param stride  (height, width), or null for the kernel size (PyTorch's default)
     * @param padding (height, width), or null for 0
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
        return Autograd.apply(new ConvOps.MaxPool2d(kernel, stride, padding), input);
    }

    /**
     * Max pooling with a square {@code kernel}, stride = kernel, no padding: the usual
     * downsampling by {@code kernel} after a convolution.
     */
    public static Tensor maxPool2d(Tensor input, int kernel) {
        return maxPool2d(input, new int[] {kernel, kernel}, null, null);
    }

    /**
     * Average pooling: {@code y[n, c, p, q] = (Σ window) / d}, with d = kH·kW when
     * {@code countIncludePad} (padding counts as zeros, PyTorch's default) or else the number of
     * real input elements in the window. Shapes as {@link #maxPool2d(Tensor, int[], int[], int[])}.
     *
     * <pre>{@code
     * jshell> var x = Tensor.of(new float[]{1, 2, 3, 4}, 1, 1, 2, 2)
     * jshell> Functional.avgPool2d(x, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false).get(0, 0, 0, 0)
     * $2 ==> 1.0
     * }</pre>
     *
     * @param stride  (height, width), or null for the kernel size
     * @param padding (height, width), or null for 0
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return Autograd.apply(new ConvOps.AvgPool2d(kernel, stride, padding, countIncludePad), input);
    }

    /** Average pooling with a square {@code kernel}, stride = kernel, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernel) {
        return avgPool2d(input, new int[] {kernel, kernel}, null, null, true);
    }

    /**
     * Adaptive average pooling to a 1×1 output (global average pooling):
     * {@code y[n, c, 0, 0] = mean over h, w of x[n, c, h, w]}, {@code [N, C, H, W] → [N, C, 1, 1]}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input) {
        return Autograd.apply(new ConvOps.AdaptiveAvgPool2d(), input);
    }

    /**
     * Adaptive average pooling to {@code [N, C, outH, outW]}, with PyTorch's bins: output cell i
     * averages input rows ⌊i·H/outH⌋ … ⌈(i+1)·H/outH⌉ − 1, and the columns likewise.
     *
     * <pre>{@code
     * jshell> Functional.adaptiveAvgPool2d(Tensor.arange(0, 16, 1).reshape(1, 1, 4, 4), 2, 2).toArray()
     * $1 ==> float[4] { 2.5, 4.5, 10.5, 12.5 }
     * }</pre>
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return Autograd.apply(new ConvOps.AdaptiveAvgPool2d(outH, outW), input);
    }
}
