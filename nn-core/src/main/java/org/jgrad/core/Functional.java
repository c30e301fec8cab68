package org.jgrad.core;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.jgrad.core.ops.ConvOps;
import org.jgrad.core.ops.MatmulOps;
import org.jgrad.core.ops.ReluAfter;
import org.jgrad.core.ops.Pointwise;
import org.jgrad.core.ops.UnaryOps;

/**
 * Dense layers, convolution, pooling and activations as functions of tensors, like
 * {@code torch.nn.functional}: each is one fused op with its own backward. Every
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
     *
     * @param x input {@code [..., in]}
     * @param weight {@code [out, in]}
     * @param bias {@code [out]}, or null for none
     * @return {@code [..., out]}
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return bias == null ? Autograd.apply(new MatmulOps.Linear(), x, weight)
                : Autograd.apply(new MatmulOps.Linear(), x, weight, bias);
    }

    /**
     * {@code relu(linear(x, weight, bias))} as one op: the same values and gradients, with the ReLU
     * applied in place to the product (one activation array instead of two). {@code Sequential}
     * uses it for a {@code Linear} followed by a {@code ReLU}.
     *
     * @param x input {@code [..., in]}
     * @param weight {@code [out, in]}
     * @param bias {@code [out]}, or null for none
     * @return {@code [..., out]}, with no negative element
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) {
        return bias == null ? Autograd.apply(new ReluAfter(new MatmulOps.Linear()), x, weight)
                : Autograd.apply(new ReluAfter(new MatmulOps.Linear()), x, weight, bias);
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
     * @param input {@code [N, C, H, W]}
     * @param weight {@code [K, C, R, S]}
     * @param bias {@code [K]}, or null for none
     * @param stride   (height, width), positive
     * @param padding  (height, width), zeros added on both sides, non-negative
     * @param dilation (height, width), spacing between kernel taps, positive
     * @return {@code [N, K, P, Q]}
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
     *
     * @param input {@code [N, C, H, W]}
     * @param weight {@code [K, C/groups, R, S]}
     * @param bias {@code [K]}, or null for none
     * @param stride (height, width), positive
     * @param padding (height, width), zeros added on both sides, non-negative
     * @param dilation (height, width), spacing between kernel taps, positive
     * @param groups number of channel groups, dividing C and K
     * @return {@code [N, K, P, Q]}
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        ConvOps.Conv2d fn = new ConvOps.Conv2d(stride, padding, dilation, groups);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /**
     * {@code relu(conv2d(…, groups))} as one op, as {@link #linearRelu}: the same values and gradients.
     *
     * @param input {@code [N, C, H, W]}
     * @param weight {@code [K, C/groups, R, S]}
     * @param bias {@code [K]}, or null for none
     * @param stride (height, width), positive
     * @param padding (height, width), zeros added on both sides, non-negative
     * @param dilation (height, width), spacing between kernel taps, positive
     * @param groups number of channel groups, dividing C and K
     * @return {@code [N, K, P, Q]}, with no negative element
     */
    public static Tensor conv2dRelu(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        ReluAfter fn = new ReluAfter(new ConvOps.Conv2d(stride, padding, dilation, groups));
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[])} with the same stride and padding in both dimensions, dilation 1.
     *
     * @param input {@code [N, C, H, W]}
     * @param weight {@code [K, C, R, S]}
     * @param bias {@code [K]}, or null for none
     * @param stride step in both dimensions, positive
     * @param padding zeros added on every side, non-negative
     * @return {@code [N, K, P, Q]}
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1});
    }

    /**
     * Stride 1, no padding, dilation 1.
     *
     * @param input {@code [N, C, H, W]}
     * @param weight {@code [K, C, R, S]}
     * @param bias {@code [K]}, or null for none
     * @return {@code [N, K, H − R + 1, W − S + 1]}
     */
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
     *
     * @param input {@code [N, C, L]}
     * @param weight {@code [K, C, R]}
     * @param bias {@code [K]}, or null for none
     * @param stride step along the sequence, positive
     * @param padding zeros added at both ends, non-negative
     * @param dilation spacing between kernel taps, positive
     * @return {@code [N, K, Lout]}
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        ConvOps.Conv1d fn = new ConvOps.Conv1d(stride, padding, dilation);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /**
     * A grouped 1-D convolution: weight {@code [K, C/groups, R]}; {@code groups} divides C and K.
     *
     * @param input {@code [N, C, L]}
     * @param weight {@code [K, C/groups, R]}
     * @param bias {@code [K]}, or null for none
     * @param stride step along the sequence, positive
     * @param padding zeros added at both ends, non-negative
     * @param dilation spacing between kernel taps, positive
     * @param groups number of channel groups, dividing C and K
     * @return {@code [N, K, Lout]}
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        ConvOps.Conv1d fn = new ConvOps.Conv1d(stride, padding, dilation, groups);
        return bias == null ? Autograd.apply(fn, input, weight) : Autograd.apply(fn, input, weight, bias);
    }

    /**
     * 1-D convolution with dilation 1.
     *
     * @param input {@code [N, C, L]}
     * @param weight {@code [K, C, R]}
     * @param bias {@code [K]}, or null for none
     * @param stride step along the sequence, positive
     * @param padding zeros added at both ends, non-negative
     * @return {@code [N, K, Lout]}
     */
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
     * @param input {@code [N, C, H, W]}
     * @param kernel window (height, width), positive
     * @param stride  (height, width), or null for the kernel size (PyTorch's default)
     * @param padding (height, width), or null for 0
     * @return {@code [N, C, P, Q]}
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
        return Autograd.apply(new ConvOps.MaxPool2d(kernel, stride, padding), input);
    }

    /**
     * Max pooling with a square {@code kernel}, stride = kernel, no padding: the usual
     * downsampling by {@code kernel} after a convolution.
     *
     * @param input {@code [N, C, H, W]}
     * @param kernel window height and width, also the stride
     * @return {@code [N, C, H / kernel, W / kernel]}, rounded down
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
     * @param input {@code [N, C, H, W]}
     * @param kernel window (height, width), positive
     * @param countIncludePad true to divide by the full window size, false to count only real elements
     * @param stride  (height, width), or null for the kernel size
     * @param padding (height, width), or null for 0
     * @return {@code [N, C, P, Q]}
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return Autograd.apply(new ConvOps.AvgPool2d(kernel, stride, padding, countIncludePad), input);
    }

    /**
     * Average pooling with a square {@code kernel}, stride = kernel, no padding.
     *
     * @param input {@code [N, C, H, W]}
     * @param kernel window height and width, also the stride
     * @return {@code [N, C, H / kernel, W / kernel]}, rounded down
     */
    public static Tensor avgPool2d(Tensor input, int kernel) {
        return avgPool2d(input, new int[] {kernel, kernel}, null, null, true);
    }

    /**
     * Adaptive average pooling to a 1×1 output (global average pooling):
     * {@code y[n, c, 0, 0] = mean over h, w of x[n, c, h, w]}, {@code [N, C, H, W] → [N, C, 1, 1]}.
     *
     * @param input {@code [N, C, H, W]}
     * @return {@code [N, C, 1, 1]}
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
     *
     * @param input {@code [N, C, H, W]}
     * @param outH output height, positive
     * @param outW output width, positive
     * @return {@code [N, C, outH, outW]}
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return Autograd.apply(new ConvOps.AdaptiveAvgPool2d(outH, outW), input);
    }

    // ---------------------------------------------------------------- activations
    //
    // The functional forms of the activation modules. Each is stable at large |x|: nothing
    // overflows to NaN or Inf for x = ±100. Derivatives are taken at the same closed forms; at a
    // kink the left-hand slope is used, as in PyTorch (ReLU′(0) = 0).

    /** SELU's constants (Klambauer et al. 2017). */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale (Klambauer et al. 2017). */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /**
     * max(x, 0).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /**
     * x for x > 0, αx otherwise.
     *
     * @param x input of any shape
     * @param alpha slope for negative inputs
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor leakyRelu(Tensor x, float alpha) {
        return pointwise("leakyRelu", v -> v > 0 ? v : alpha * v, v -> v > 0 ? 1 : alpha, x);
    }

    /**
     * max(x, 0) + α·min(x, 0) with a learnable α; α is a tensor of shape [1] or [C] (one per
     * channel, dim 1 of the input).
     *
     * @param x input; with more than one α, dim 1 holds the channels
     * @param alpha {@code [1]} or {@code [C]}, the slopes for negative inputs
     * @return a tensor of {@code x}'s shape
     * @throws IllegalArgumentException if {@code alpha} has C &gt; 1 elements and dim 1 of {@code x} is not of size C
     */
    public static Tensor prelu(Tensor x, Tensor alpha) {
        Tensor a = alpha;
        if (alpha.numel() > 1) {
            if (x.rank() < 2 || x.size(1) != alpha.numel()) {
                throw new IllegalArgumentException("prelu: " + alpha.numel() + " parameters need input with " + alpha.numel()
                        + " channels in dim 1, got shape " + Arrays.toString(x.shape()));
            }
            int[] s = new int[x.rank() - 1];
            Arrays.fill(s, 1);
            s[0] = alpha.numel();
            a = alpha.reshape(s);
        }
        return x.relu().sub(x.neg().relu().mul(a));
    }

    /**
     * x for x > 0, α(eˣ − 1) otherwise.
     *
     * @param x input of any shape
     * @param alpha scale of the negative part, which tends to −α
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor elu(Tensor x, float alpha) {
        return pointwise("elu", v -> v > 0 ? v : alpha * Math.expm1(v), v -> v > 0 ? 1 : alpha * Math.exp(v), x);
    }

    /**
     * scale·(x for x > 0, α(eˣ − 1) otherwise), with SELU's fixed α and scale.
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor selu(Tensor x) {
        return pointwise("selu", v -> SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)),
                v -> SELU_SCALE * (v > 0 ? 1 : SELU_ALPHA * Math.exp(v)), x);
    }

    /**
     * 1 / (1 + e^−x).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape, in [0, 1]
     */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /**
     * Hyperbolic tangent.
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape, in [−1, 1]
     */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /**
     * log(1 + eˣ) = max(x, 0) + log1p(e^−|x|); its slope is σ(x).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape, positive
     */
    public static Tensor softplus(Tensor x) {
        return pointwise("softplus", Pointwise::softplus, Pointwise::sigmoid, x);
    }

    /**
     * log σ(x) = −softplus(−x).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape, not above 0
     */
    public static Tensor logSigmoid(Tensor x) {
        return pointwise("logSigmoid", v -> -Pointwise.softplus(-v), v -> Pointwise.sigmoid(-v), x);
    }

    /**
     * SiLU: x·σ(x) (Swish with β = 1).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor silu(Tensor x) {
        return swish(x, 1f);
    }

    /**
     * Swish with a constant β: x·σ(βx).
     *
     * @param x input of any shape
     * @param beta slope inside the sigmoid
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor swish(Tensor x, float beta) {
        return pointwise("swish", v -> v * Pointwise.sigmoid(beta * v), v -> {
            double s = Pointwise.sigmoid(beta * v);
            return s + beta * v * s * (1 - s);
        }, x);
    }

    /**
     * Swish with a learnable β (a one-element tensor): x·σ(βx).
     *
     * @param x input of any shape
     * @param beta one-element tensor, trained along with the rest
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor swish(Tensor x, Tensor beta) {
        return x.mul(x.mul(beta).sigmoid());
    }

    /**
     * Mish: x·tanh(softplus(x)).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor mish(Tensor x) {
        return pointwise("mish", v -> v * Math.tanh(Pointwise.softplus(v)), v -> {
            double t = Math.tanh(Pointwise.softplus(v));
            return t + v * (1 - t * t) * Pointwise.sigmoid(v);
        }, x);
    }

    /**
     * GELU, exact: x·Φ(x) with Φ the standard normal CDF.
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor gelu(Tensor x) {
        return Autograd.apply(new UnaryOps.Gelu(), x);
    }

    /**
     * GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
     *
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor geluTanh(Tensor x) {
        double k = Math.sqrt(2 / Math.PI);
        return pointwise("geluTanh", v -> 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))), v -> {
            double t = Math.tanh(k * (v + 0.044715 * v * v * v));
            return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v);
        }, x);
    }

    /**
     * min(max(x, lo), hi); the slope is 1 strictly inside (lo, hi), as PyTorch.
     *
     * @param x input of any shape
     * @param lo lower bound
     * @param hi upper bound, not below {@code lo}
     * @return a tensor of {@code x}'s shape
     * @throws IllegalArgumentException if {@code lo > hi}
     */
    public static Tensor hardtanh(Tensor x, float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("hardtanh: min " + lo + " is greater than max " + hi);
        return pointwise("hardtanh", v -> Math.min(Math.max(v, lo), hi), v -> v > lo && v < hi ? 1 : 0, x);
    }

    /**
     * Softmax along {@code dim}, as {@link Tensor#softmax(int)}.
     *
     * @param x input
     * @param dim dimension to normalise over (negative counts from the end)
     * @return probabilities of {@code x}'s shape, summing to 1 along {@code dim}
     */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /**
     * Log-softmax along {@code dim}, as {@link Tensor#logSoftmax(int)}.
     *
     * @param x input
     * @param dim dimension to normalise over (negative counts from the end)
     * @return log-probabilities of {@code x}'s shape
     */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /**
     * 1 where x > threshold, else 0 (the perceptron's step). Its derivative is zero almost
     * everywhere, so a backward pass through it is an error rather than a silent zero gradient.
     *
     * @param x input of any shape
     * @param threshold values above it give 1
     * @return a mask of {@code x}'s shape
     */
    public static Tensor step(Tensor x, float threshold) {
        return pointwise("step", v -> v > threshold ? 1 : 0, v -> {
            throw new IllegalStateException("step: the threshold function has no useful gradient (it is 0 almost everywhere),"
                    + " so backward through it cannot train anything; use sigmoid or tanh in training, or detach() its input");
        }, x);
    }

    /**
     * A custom elementwise function y = f(x) with its derivative f′(x), both evaluated in double
     * per element, as one op (see {@link Pointwise}).
     *
     * <pre>{@code
     * jshell> Functional.pointwise("square", x -> x * x, x -> 2 * x, Tensor.of(new float[]{3}))
     * $1 ==> tensor([9.])
     * }</pre>
     *
     * @param name op name, shown by {@link Tensor#gradFn()} and in errors
     * @param f the function
     * @param df its derivative
     * @param x input of any shape
     * @return a tensor of {@code x}'s shape
     */
    public static Tensor pointwise(String name, DoubleUnaryOperator f, DoubleUnaryOperator df, Tensor x) {
        return Autograd.apply(new Pointwise(name, f, df), x);
    }
}
