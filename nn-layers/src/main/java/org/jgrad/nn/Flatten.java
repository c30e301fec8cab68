package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * Flattens dims {@code startDim..endDim} into one (defaults 1 and −1, keeping the batch dim):
 * [N, C, H, W] → [N, C·H·W].
 *
 * <pre>{@code
 * jshell> new Flatten().forward(Tensor.zeros(2, 3, 4)).shape()
 * $1 ==> int[2] { 2, 12 }
 * }</pre>
 */
public final class Flatten extends Module {

    private final int startDim, endDim;

    /** Flattens every dimension after the batch dimension. */
    public Flatten() {
        this(1, -1);
    }

    /**
     * Flattens dimensions {@code startDim..endDim}, inclusive.
     *
     * @param startDim first dimension to merge (negative counts from the end)
     * @param endDim last dimension to merge (negative counts from the end)
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        int r = x.rank();
        int s = startDim < 0 ? startDim + r : startDim, e = endDim < 0 ? endDim + r : endDim;
        if (s < 0 || s >= r || e < 0 || e >= r) {
            throw new IllegalArgumentException(describe() + ": input of shape " + java.util.Arrays.toString(x.shape())
                    + " has rank " + r + ", too small to flatten dims " + startDim + ".." + endDim);
        }
        return x.flatten(s, e);
    }

    @Override
    protected String extraRepr() {
        return "startDim=" + startDim + ", endDim=" + endDim;
    }
}
