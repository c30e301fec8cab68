package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * 2-D convolution (cross-correlation, as PyTorch): input [N, C, H, W] → [N, O, Ho, Wo] with
 * {@code Ho = ⌊(H + 2·pad − dilation·(k − 1) − 1)/stride⌋ + 1}; weight [O, C/groups, kh, kw], bias [O].
 * PyTorch's default init: U(−1/√fanIn, 1/√fanIn) for weight and bias, fanIn = C/groups·kh·kw. An unbatched
 * input [C, H, W] gives [O, Ho, Wo], as PyTorch (run as a batch of one; gradients flow to it alike).
 *
 * <pre>{@code
 * jshell> var conv = new Conv2d(1, 32, 5, 1, 2);        // in, out, kernel, stride, padding
 * jshell> conv.forward(Tensor.zeros(8, 1, 28, 28)).shape()
 * $2 ==> int[4] { 8, 32, 28, 28 }
 * jshell> conv.forward(Tensor.zeros(1, 28, 28)).shape()   // unbatched
 * $3 ==> int[3] { 32, 28, 28 }
 * }</pre>
 */
public final class Conv2d extends Convolution {

    /**
     * A square kernel, stride 1, no padding, with PyTorch's default init from the global generator ({@link Defaults#rng()}).
     *
     * @param in input channels
     * @param out output channels
     * @param kernel kernel height and width
     */
    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    /**
     * A square kernel with PyTorch's default init from the global generator ({@link Defaults#rng()}).
     *
     * @param in input channels
     * @param out output channels
     * @param kernel kernel height and width
     * @param stride step in both dimensions
     * @param padding zeros added on every side
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, Defaults.rng());
    }

    /**
     * A square kernel with PyTorch's default init drawn from {@code rng}.
     *
     * @param in input channels
     * @param out output channels
     * @param kernel kernel height and width
     * @param stride step in both dimensions
     * @param padding zeros added on every side
     * @param rng source of the initial weights
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, RandomGenerator rng) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1, true, rng);
    }

    /**
     * kernel, stride, padding, dilation: (height, width) each.
     *
     * @param in input channels
     * @param out output channels, divisible by {@code groups}
     * @param kernel (height, width)
     * @param stride (height, width), positive
     * @param padding (height, width), zeros added on both sides
     * @param dilation (height, width), spacing between kernel taps
     * @param groups channel groups, dividing {@code in} and {@code out}
     * @param bias true to learn a bias per output channel
     * @param rng source of the initial weights
     */
    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias,
                  RandomGenerator rng) {
        super("Conv2d", in, out, kernel, stride, padding, dilation, groups, bias, rng);
    }

    @Override
    Tensor convolve(Tensor x) {
        return Functional.conv2d(x, weight(), bias(), stride, padding, dilation, groups);
    }

    @Override
    Tensor convolveRelu(Tensor x) {
        return Functional.conv2dRelu(x, weight(), bias(), stride, padding, dilation, groups);
    }
}
