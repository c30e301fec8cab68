package org.jgrad.nn;

import java.util.function.UnaryOperator;
import org.jgrad.core.Tensor;

/**
 * PyTorch's unbatched input for the convolution and pooling layers: an input one rank short of the
 * batched form ({@code [C, H, W]} for {@code [N, C, H, W]}) runs as a batch of one and comes back
 * without the batch dimension. Both reshapes are recorded by autograd, so gradients flow to the
 * unbatched input; the values and gradients are bitwise those of the batch of one.
 */
final class Unbatched {

    private Unbatched() {
    }

    /**
     * Runs {@code batched} on {@code x}, as a batch of one when {@code x} has rank {@code batchedRank - 1}.
     *
     * @param x the input, batched or unbatched (the caller has checked its rank)
     * @param batchedRank the rank of the batched form
     * @param batched the layer's computation on a batched input
     * @return the batched output, or for an unbatched input the output without its batch dimension
     */
    static Tensor apply(Tensor x, int batchedRank, UnaryOperator<Tensor> batched) {
        if (x.rank() == batchedRank) return batched.apply(x);
        return batched.apply(x.unsqueeze(0)).squeeze(0);
    }

    /**
     * The error for an input of neither rank.
     *
     * @param layer the layer's description
     * @param batched the batched form, as {@code [N, C, H, W]}
     * @param unbatched the unbatched form, as {@code [C, H, W]}
     * @param x the input
     * @return the exception to throw
     */
    static IllegalArgumentException error(String layer, String batched, String unbatched, Tensor x) {
        return new IllegalArgumentException(layer + ": expected input " + batched + " or unbatched " + unbatched + ", got "
                + java.util.Arrays.toString(x.shape()));
    }
}
