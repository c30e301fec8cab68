package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * 1-D convolution: input [N, C, L] → [N, O, Lo], {@code Lo = ⌊(L + 2·pad − dilation·(k − 1) − 1)/stride⌋ + 1};
 * weight [O, C/groups, k], bias [O]; PyTorch's default init U(±1/√(C/groups·k)). An unbatched input
 * [C, L] gives [O, Lo], as PyTorch.
 *
 * <pre>{@code
 * jshell> new Conv1d(4, 8, 3, 1, 1).forward(Tensor.zeros(2, 4, 10)).shape()
 * $1 ==> int[3] { 2, 8, 10 }
 * }</pre>
 */
public final class Conv1d extends Convolution {

    /**
     * Stride 1, no padding, with PyTorch's default init from the global generator ({@link Defaults#rng()}).
     *
     * @param in input channels
     * @param out output channels
     * @param kernel kernel length
     */
    public Conv1d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    /**
     * Dilation 1, one group, with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param in input channels
     * @param out output channels
     * @param kernel kernel length
     * @param stride step along the sequence
     * @param padding zeros added at both ends
     */
    public Conv1d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 1, 1, true, Defaults.rng());
    }

    /**
     * A 1-D convolution with every option.
     *
     * @param in input channels
     * @param out output channels, divisible by {@code groups}
     * @param kernel kernel length
     * @param stride step along the sequence, positive
     * @param padding zeros added at both ends
     * @param dilation spacing between kernel taps
     * @param groups channel groups, dividing {@code in} and {@code out}
     * @param bias true to learn a bias per output channel
     * @param rng source of the initial weights
     */
    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, RandomGenerator rng) {
        super("Conv1d", in, out, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups, bias, rng);
    }

    @Override
    Tensor convolve(Tensor x) {
        return Functional.conv1d(x, weight(), bias(), stride[0], padding[0], dilation[0], groups);
    }
}
