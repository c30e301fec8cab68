package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Average pooling over k×k windows (stride defaults to k): [N, C, H, W] → [N, C, Ho, Wo]. Padded
 * cells count in the divisor (PyTorch's default {@code count_include_pad=True}). An unbatched input
 * [C, H, W] gives [C, Ho, Wo], as PyTorch.
 *
 * <pre>{@code
 * jshell> new AvgPool2d(2).forward(Tensor.arange(16).reshape(1, 1, 4, 4)).toArray()
 * $1 ==> float[4] { 2.5, 4.5, 10.5, 12.5 }
 * }</pre>
 */
public final class AvgPool2d extends Module {

    private final int kernel, stride, padding;
    private final boolean countIncludePad;

    /**
     * A square window with stride = kernel, no padding.
     *
     * @param kernel window height and width
     */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0, true);
    }

    /**
     * A square window.
     *
     * @param kernel window height and width
     * @param stride step in both dimensions
     * @param padding zeros added on every side
     * @param countIncludePad true to divide by the full window size, false to count only real elements
     */
    public AvgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.countIncludePad = countIncludePad;
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
        return Unbatched.apply(x, 4, b -> Functional.avgPool2d(b, new int[] {kernel, kernel}, new int[] {stride, stride},
                new int[] {padding, padding}, countIncludePad));
    }

    @Override
    protected String extraRepr() {
        return "kernel=" + kernel + ", stride=" + stride + (padding != 0 ? ", padding=" + padding : "");
    }
}
