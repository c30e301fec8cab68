package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * A multi-layer GRU, as PyTorch's {@code nn.GRU} with {@code batch_first=True}: per layer and
 * time step, gates in the order r, z, n,
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * </pre>
 *
 * <p><b>Shapes (batch first):</b> input [batch, time, input]; optional h0 [numLayers, batch, hidden]
 * (null means zeros) → {@link RNN.Output}: outputs [batch, time, hidden] and hN
 * [numLayers, batch, hidden]. {@link #forward(Tensor)} returns the outputs only.
 *
 * <p>Parameters per layer l (PyTorch's names and layouts): {@code weight_ih_l{l}} [3·hidden, input],
 * {@code weight_hh_l{l}} [3·hidden, hidden], {@code bias_ih_l{l}}, {@code bias_hh_l{l}}
 * [3·hidden]; all U(−1/√hidden, 1/√hidden).
 *
 * <p><b>Truncated BPTT:</b> {@code out = gru.forward(chunk, out.hN().detach())}.
 *
 * <pre>{@code
 * jshell> var gru = new GRU(4, 8, 2);
 * jshell> gru.forward(Tensor.zeros(3, 5, 4)).shape()
 * $2 ==> int[3] { 3, 5, 8 }
 * }</pre>
 */
public final class GRU extends RecurrentLayer {

    /**
     * One layer with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /**
     * Stacked layers with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     * @param numLayers number of stacked layers
     */
    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, Defaults.rng());
    }

    /**
     * A GRU with every option.
     *
     * @param inputSize features per time step of the input
     * @param hiddenSize features of the hidden state
     * @param numLayers number of stacked layers
     * @param bias true to learn biases
     * @param rng source of the initial weights
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, RandomGenerator rng) {
        super(Kind.GRU, inputSize, hiddenSize, numLayers, bias, rng);
    }

    /**
     * Runs x [batch, time, input] from h0 [numLayers, batch, hidden] (null means zeros).
     *
     * @param x input {@code [batch, time, input]}
     * @param h0 initial hidden state {@code [numLayers, batch, hidden]}, or null
     * @return all outputs {@code [batch, time, hidden]} and the final hidden state
     */
    public RNN.Output forward(Tensor x, Tensor h0) {
        Sequence s = run(x, h0, null);
        return new RNN.Output(s.outputs(), s.hN());
    }
}
