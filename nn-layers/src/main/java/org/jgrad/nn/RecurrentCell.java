package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * What {@link RNNCell}, {@link GRUCell} and {@link LSTMCell} share: the parameters under
 * PyTorch's names ({@code weight_ih}, …), the description and one step, which is a one-step run
 * of the layers' time loop.
 */
abstract sealed class RecurrentCell extends Module permits RNNCell, GRUCell, LSTMCell {

    private final Kind kind;
    private final int inputSize, hiddenSize;
    private final boolean bias;
    private final Recurrent.Weights weights;

    RecurrentCell(Kind kind, int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
        Recurrent.checkSizes(getClass().getSimpleName(), inputSize, hiddenSize, 1);
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        weights = Recurrent.Weights.register(this, "", kind, inputSize, hiddenSize, bias, rng);
    }

    /** One step from the zero state; returns h'. */
    @Override
    public Tensor forward(Tensor x) {
        return step(x, null, null).last();
    }

    @Override
    protected String extraRepr() {
        return Recurrent.repr(inputSize, hiddenSize, 1, kind, bias);
    }

    /** One step: x [batch, input], h (and c for the LSTM) [batch, hidden] or null for zeros. */
    final RecurrentScan.Result step(Tensor x, Tensor h, Tensor c) {
        String who = describe();
        if (x.rank() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException(who + ": expected input [batch, " + inputSize + "], got " + Arrays.toString(x.shape()));
        }
        int batch = x.size(0);
        h = Recurrent.stateOrZeros(who, "h", h, batch, hiddenSize);
        if (kind == Kind.LSTM) c = Recurrent.stateOrZeros(who, "c", c, batch, hiddenSize);
        return weights.run(kind, x, batch, 1, h, c);
    }
}
