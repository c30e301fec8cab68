package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * What {@link RNN}, {@link GRU} and {@link LSTM} share: the parameters of each layer under
 * PyTorch's names ({@code weight_ih_l0}, …), the accessors, the description and the loop over
 * layers, each of which projects every time step's input in one GEMM and then runs its steps.
 */
abstract sealed class RecurrentLayer extends Module permits RNN, GRU, LSTM {

    /** All outputs [batch, time, hidden] and the final states [numLayers, batch, hidden] (cN null but for the LSTM). */
    record Sequence(Tensor outputs, Tensor hN, Tensor cN) {}

    private final Kind kind;
    private final int inputSize, hiddenSize;
    private final boolean bias;
    private final Recurrent.Weights[] layers;

    RecurrentLayer(Kind kind, int inputSize, int hiddenSize, int numLayers, boolean bias, RandomGenerator rng) {
        Recurrent.checkSizes(getClass().getSimpleName(), inputSize, hiddenSize, numLayers);
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        layers = new Recurrent.Weights[numLayers];
        for (int l = 0; l < numLayers; l++) {
            layers[l] = Recurrent.Weights.register(this, "_l" + l, kind, l == 0 ? inputSize : hiddenSize, hiddenSize, bias, rng);
        }
    }

    /** The outputs [batch, time, hidden] from the zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return run(x, null, null).outputs();
    }

    /**
     * Features of the hidden state.
     *
     * @return the hidden size
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * Number of stacked layers.
     *
     * @return the layer count
     */
    public int numLayers() {
        return layers.length;
    }

    @Override
    protected String extraRepr() {
        return Recurrent.repr(inputSize, hiddenSize, layers.length, kind, bias);
    }

    /**
     * Runs x [batch, time, input] from h0 (and c0 for the LSTM) [numLayers, batch, hidden], null
     * meaning zeros. Layer l > 0 reads the hidden states of layer l − 1.
     */
    final Sequence run(Tensor x, Tensor h0, Tensor c0) {
        String who = describe();
        if (x.rank() != 3 || x.size(2) != inputSize) {
            throw new IllegalArgumentException(who + ": expected input [batch, time, " + inputSize + "] (batch first), got "
                    + Arrays.toString(x.shape()));
        }
        int batch = x.size(0), time = x.size(1), numLayers = layers.length;
        if (time == 0) throw new IllegalArgumentException(who + ": the sequence is empty (time = 0)");
        boolean lstm = kind == Kind.LSTM;
        h0 = Recurrent.stateOrZeros(who, "h0", h0, numLayers, batch, hiddenSize);
        if (lstm) c0 = Recurrent.stateOrZeros(who, "c0", c0, numLayers, batch, hiddenSize);
        Tensor[] hN = new Tensor[numLayers], cN = new Tensor[numLayers];
        Tensor seq = x;
        for (int l = 0; l < numLayers; l++) {
            Tensor h = layerState(h0, l), c = lstm ? layerState(c0, l) : null;
            RecurrentScan.Result r = layers[l].run(kind, seq, batch, time, h, c);
            seq = time == 1 ? r.last().reshape(batch, 1, hiddenSize) : Tensor.stack(1, r.hs());
            hN[l] = r.last();
            cN[l] = r.c();
        }
        return new Sequence(seq, Tensor.stack(0, hN), lstm ? Tensor.stack(0, cN) : null);
    }

    /** Layer l's slice [batch, hidden] of a [numLayers, batch, hidden] state. */
    private Tensor layerState(Tensor s, int l) {
        return (layers.length == 1 ? s : s.narrow(0, l, 1)).reshape(s.size(1), hiddenSize);
    }
}
