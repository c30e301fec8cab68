package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * A multi-layer LSTM, as PyTorch's {@code nn.LSTM} with {@code batch_first=True}: per layer and
 * time step, with gates = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh split in the order i, f, g, o,
 * <pre>
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 *
 * <p><b>Shapes (batch first):</b> input [batch, time, input]; optional h0 and c0
 * [numLayers, batch, hidden] (null means zeros) → {@link Output}: outputs [batch, time, hidden],
 * hN and cN [numLayers, batch, hidden]. {@link #forward(Tensor)} returns the outputs only.
 *
 * <p>Parameters per layer l (PyTorch's names and layouts): {@code weight_ih_l{l}} [4·hidden, input],
 * {@code weight_hh_l{l}} [4·hidden, hidden], {@code bias_ih_l{l}}, {@code bias_hh_l{l}}
 * [4·hidden]; all U(−1/√hidden, 1/√hidden).
 *
 * <p><b>Truncated BPTT:</b> {@code out = lstm.forward(chunk, out.hN().detach(), out.cN().detach())}.
 *
 * <pre>{@code
 * jshell> var lstm = new LSTM(4, 8);
 * jshell> var out = lstm.forward(Tensor.zeros(3, 5, 4), null, null);
 * jshell> out.cN().shape()
 * $3 ==> int[3] { 1, 3, 8 }
 * }</pre>
 */
public final class LSTM extends RecurrentLayer {

    /**
     * All outputs [batch, time, hidden] and the final states hN, cN [numLayers, batch, hidden].
     *
     * @param outputs the last layer's hidden state at every time step, [batch, time, hidden]
     * @param hN every layer's hidden state after the last time step, [numLayers, batch, hidden]
     * @param cN every layer's cell state after the last time step, [numLayers, batch, hidden]
     */
    public record Output(Tensor outputs, Tensor hN, Tensor cN) {}

    /**
     * One layer with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /**
     * Stacked layers with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     * @param numLayers number of stacked layers
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, Defaults.rng());
    }

    /**
     * An LSTM with every option.
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     * @param numLayers number of stacked layers
     * @param bias true to learn biases
     * @param rng source of the initial weights
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, RandomGenerator rng) {
        super(Kind.LSTM, inputSize, hiddenSize, numLayers, bias, rng);
    }

    /**
     * Runs x [batch, time, input] from h0, c0 [numLayers, batch, hidden] (null means zeros).
     *
     * @param x input {@code [batch, time, input]}
     * @param h0 initial hidden state {@code [numLayers, batch, hidden]}, or null
     * @param c0 initial cell state {@code [numLayers, batch, hidden]}, or null
     * @return all outputs {@code [batch, time, hidden]} and the final hidden and cell states
     */
    public Output forward(Tensor x, Tensor h0, Tensor c0) {
        Sequence s = run(x, h0, c0);
        return new Output(s.outputs(), s.hN(), s.cN());
    }
}
