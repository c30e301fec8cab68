package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * Cross-entropy over a sequence of logits laid out as the recurrent layers emit them, classes
 * last: input [batch, time, classes], target [batch, time] of class indices. It is
 * {@link CrossEntropyLoss} on the [batch·time, classes] view; NONE returns [batch, time].
 *
 * <pre>{@code
 * jshell> new SequenceCrossEntropyLoss().forward(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3))
 * $1 ==> tensor(1.3863)      // ln 4
 * }</pre>
 */
public final class SequenceCrossEntropyLoss extends Loss {

    private final CrossEntropyLoss inner;

    /** Sequence cross-entropy with mean reduction. */
    public SequenceCrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    /**
     * Sequence cross-entropy.
     *
     * @param reduction how per-token losses are combined
     */
    public SequenceCrossEntropyLoss(Reduction reduction) {
        super(reduction);
        inner = new CrossEntropyLoss(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        if (input.rank() != 3 || target.rank() != 2 || input.size(0) != target.size(0) || input.size(1) != target.size(1)) {
            throw new IllegalArgumentException(name() + ": expected input [batch, time, classes] and target [batch, time], got "
                    + Arrays.toString(input.shape()) + " and " + Arrays.toString(target.shape()));
        }
        int b = input.size(0), t = input.size(1);
        Tensor l = inner.forward(input.reshape(b * t, input.size(2)), target.reshape(b * t));
        return reduction == Reduction.NONE ? l.reshape(b, t) : l;
    }
}
