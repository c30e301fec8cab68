package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Max pooling over k×k windows (stride defaults to k): [N, C, H, W] → [N, C, Ho, Wo],
 * {@code Ho = ⌊(H + 2·pad − k)/stride⌋ + 1}. The gradient flows to each window's maximum. An unbatched
 * input [C, H, W] gives [C, Ho, Wo], as PyTorch.
 *
 * <pre>{@code
 * jshell> new MaxPool2d(2).forward(Tensor.arange(16).reshape(1, 1, 4, 4)).toArray()
 * $1 ==> float[4] { 5.0, 7.0, 13.0, 15.0 }
 * }</pre>
 */
public final class MaxPool2d extends Module {

    private final int kernel, stride, padding;

    /**
     * A square window with stride = kernel, no padding.
     *
     * @param kernel window height and width
     */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /**
     * A square window.
     *
     * @param kernel window height and width
     * @param stride step in both dimensions
     * @param padding implicit padding on every side, at most half the kernel
     */
    public MaxPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /**
     * Pools a batched input, or an unbatched one as PyTorch (run as a batch of one, the output without its batch dimension).
     *
     * @param x the input, {@code [N, C, H, W]} or unbatched {@code [C, H, W]}
     * @return the pooled output, {@code [N, C, Ho, Wo]} or {@code [C, Ho, Wo]} like the input
     * @throws IllegalArgumentException for an input of another rank
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 && x.rank() != 3) {
            throw Unbatched.error(describe(), "[N, C, H, W]", "[C, H, W]", x);
        }
        return Unbatched.apply(x, 4, b -> Functional.maxPool2d(b, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}));
    }

    @Override
    protected String extraRepr() {
        return "kernel=" + kernel + ", stride=" + stride + (padding != 0 ? ", padding=" + padding : "");
    }
}
