package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

/**
 * A multi-layer Elman RNN, as PyTorch's {@code nn.RNN} with {@code batch_first=True}: for each
 * layer and time step t,
 * <pre>
 *   h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)      act = tanh (default) or ReLU
 * </pre>
 * where x_t of layer l > 0 is h_t of layer l − 1.
 *
 * <p><b>Shapes (batch first):</b> input [batch, time, input]; optional initial state h0
 * [numLayers, batch, hidden] (null means zeros) → {@link Output}: outputs [batch, time, hidden]
 * (the last layer's h_t for every t) and hN [numLayers, batch, hidden]. As a {@link Module},
 * {@link #forward(Tensor)} returns the outputs only.
 *
 * <p>Parameters per layer l, with PyTorch's names and layouts so weights load from a PyTorch
 * state dict: {@code weight_ih_l{l}} [hidden, input (hidden for l > 0)], {@code weight_hh_l{l}}
 * [hidden, hidden], {@code bias_ih_l{l}}, {@code bias_hh_l{l}} [hidden]; all U(−1/√hidden, 1/√hidden).
 *
 * <p><b>Truncated backpropagation through time:</b> run a long sequence in chunks and pass the
 * previous chunk's final state, cut from its graph, as the next initial state:
 * {@code out = rnn.forward(chunk, out.hN().detach())}. Gradients then stop at the chunk border
 * while the values carry over.
 *
 * <pre>{@code
 * jshell> var rnn = new RNN(4, 8, 2);
 * jshell> var out = rnn.forward(Tensor.zeros(3, 5, 4), null);
 * jshell> out.outputs().shape()
 * $3 ==> int[3] { 3, 5, 8 }
 * jshell> out.hN().shape()
 * $4 ==> int[3] { 2, 3, 8 }
 * }</pre>
 */
public final class RNN extends Module {

    /** The activation of {@link RNN} and {@link RNNCell}. */
    public enum Nonlinearity { TANH, RELU }

    /** All outputs [batch, time, hidden] and the final hidden state [numLayers, batch, hidden]. */
    public record Output(Tensor outputs, Tensor hN) {}

    private final int inputSize, hiddenSize;
    private final Nonlinearity nonlinearity;
    private final boolean bias;
    private final Tensor[][] layers;

    /** One layer, tanh, with bias. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, Nonlinearity.TANH, true, Defaults.rng());
    }

    public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias, RandomGenerator rng) {
        checkSizes("RNN", inputSize, hiddenSize, numLayers);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.nonlinearity = nonlinearity;
        this.bias = bias;
        layers = new Tensor[numLayers][];
        for (int l = 0; l < numLayers; l++) {
            layers[l] = RecurrentOps.registerLayer(this, l, l == 0 ? inputSize : hiddenSize, hiddenSize, 1, bias, rng);
        }
    }

    static void checkSizes(String who, int inputSize, int hiddenSize, int numLayers) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(who + ": input size, hidden size and number of layers must be positive, got "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
    }

    /** The outputs [batch, time, hidden] from the zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null).outputs();
    }

    /** Runs x [batch, time, input] from h0 [numLayers, batch, hidden] (null means zeros). */
    public Output forward(Tensor x, Tensor h0) {
        RecurrentOps.Kind kind = nonlinearity == Nonlinearity.RELU ? RecurrentOps.Kind.RNN_RELU : RecurrentOps.Kind.RNN_TANH;
        Tensor[] r = RecurrentOps.run(describe(), kind, layers, inputSize, hiddenSize, x, h0, null);
        return new Output(r[0], r[1]);
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return layers.length;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (layers.length > 1 ? ", numLayers=" + layers.length : "")
                + (nonlinearity == Nonlinearity.RELU ? ", relu" : "") + (bias ? "" : ", bias=false");
    }
}
