package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

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
public final class RNN extends RecurrentLayer {

    /** The activation of {@link RNN} and {@link RNNCell}. */
    public enum Nonlinearity {
        /** Hyperbolic tangent. */
        TANH,
        /** max(x, 0). */
        RELU
    }

    /**
     * All outputs [batch, time, hidden] and the final hidden state [numLayers, batch, hidden].
     *
     * @param outputs the last layer's hidden state at every time step, [batch, time, hidden]
     * @param hN every layer's hidden state after the last time step, [numLayers, batch, hidden]
     */
    public record Output(Tensor outputs, Tensor hN) {}

    /**
     * One layer, tanh, with bias.
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /**
     * Stacked layers, tanh, with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     * @param numLayers number of stacked layers
     */
    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, Nonlinearity.TANH, true, Defaults.rng());
    }

    /**
     * An RNN with every option.
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     * @param numLayers number of stacked layers
     * @param nonlinearity the activation
     * @param bias true to learn biases
     * @param rng source of the initial weights
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias, RandomGenerator rng) {
        super(kind(nonlinearity), inputSize, hiddenSize, numLayers, bias, rng);
    }

    /** The step an RNN or RNNCell with this activation runs. */
    static Kind kind(Nonlinearity nonlinearity) {
        return nonlinearity == Nonlinearity.RELU ? Kind.RNN_RELU : Kind.RNN_TANH;
    }

    /**
     * Runs x [batch, time, input] from h0 [numLayers, batch, hidden] (null means zeros).
     *
     * @param x input {@code [batch, time, input]}
     * @param h0 initial hidden state {@code [numLayers, batch, hidden]}, or null
     * @return all outputs {@code [batch, time, hidden]} and the final hidden state
     */
    public Output forward(Tensor x, Tensor h0) {
        Sequence s = run(x, h0, null);
        return new Output(s.outputs(), s.hN());
    }
}
