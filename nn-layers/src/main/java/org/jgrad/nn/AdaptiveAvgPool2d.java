package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Average pooling to a fixed output size: [N, C, H, W] → [N, C, outH, outW], output cell i
 * averaging input rows ⌊i·H/outH⌋ … ⌈(i+1)·H/outH⌉ − 1 (and likewise columns), as PyTorch.
 * {@code new AdaptiveAvgPool2d(1)} is global average pooling. An unbatched input [C, H, W] gives
 * [C, outH, outW], as PyTorch.
 *
 * <pre>{@code
 * jshell> new AdaptiveAvgPool2d(1).forward(Tensor.arange(4).reshape(1, 1, 2, 2)).item()
 * $1 ==> 1.5
 * }</pre>
 */
public final class AdaptiveAvgPool2d extends Module {

    private final int outH, outW;

    /**
     * Pools to a square {@code size × size} output.
     *
     * @param size output height and width, positive
     */
    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    /**
     * Pools to {@code outH × outW}.
     *
     * @param outH output height, positive
     * @param outW output width, positive
     */
    public AdaptiveAvgPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    /**
     * Pools a batched input, or an unbatched one as PyTorch (run as a batch of one, the output without its batch dimension).
     *
     * @param x the input, {@code [N, C, H, W]} or unbatched {@code [C, H, W]}
     * @return the pooled output, {@code [N, C, outH, outW]} or {@code [C, outH, outW]} like the input
     * @throws IllegalArgumentException for an input of another rank
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 && x.rank() != 3) {
            throw Unbatched.error(describe(), "[N, C, H, W]", "[C, H, W]", x);
        }
        return Unbatched.apply(x, 4, b -> Functional.adaptiveAvgPool2d(b, outH, outW));
    }

    @Override
    protected String extraRepr() {
        return outH + "×" + outW;
    }
}
