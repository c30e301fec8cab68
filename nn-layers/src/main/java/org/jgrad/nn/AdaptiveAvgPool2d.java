package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * Average pooling to a fixed output size: [N, C, H, W] → [N, C, outH, outW], output cell i
 * averaging input rows ⌊i·H/outH⌋ … ⌈(i+1)·H/outH⌉ − 1 (and likewise columns), as PyTorch.
 * {@code new AdaptiveAvgPool2d(1)} is global average pooling.
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

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(describe() + ": expected input [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        return Functional.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return outH + "×" + outW;
    }
}
