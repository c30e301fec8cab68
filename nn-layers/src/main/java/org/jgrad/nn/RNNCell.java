package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * One step of an Elman RNN: {@code h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)}, act tanh (the
 * default) or ReLU, as PyTorch's {@code nn.RNNCell}.
 *
 * <p>x [batch, input], h [batch, hidden] (null means zeros) → h' [batch, hidden]. Parameters
 * {@code weight_ih} [hidden, input], {@code weight_hh} [hidden, hidden], {@code bias_ih},
 * {@code bias_hh} [hidden], all U(−1/√hidden, 1/√hidden). For whole sequences use {@link RNN},
 * which projects every time step's input in one matmul.
 *
 * <pre>{@code
 * jshell> var cell = new RNNCell(3, 5);
 * jshell> Tensor h = null;
 * jshell> for (int t = 0; t < 4; t++) h = cell.forward(Tensor.ones(2, 3), h);
 * jshell> h.shape()
 * $4 ==> int[2] { 2, 5 }
 * }</pre>
 */
public final class RNNCell extends RecurrentCell {

    /**
     * A tanh cell with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features of the input
     * @param hiddenSize features of the hidden state
     */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RNN.Nonlinearity.TANH, true, Defaults.rng());
    }

    /**
     * An RNN cell with every option.
     *
     * @param inputSize features of the input
     * @param hiddenSize features of the hidden state
     * @param nonlinearity the activation
     * @param bias true to learn biases
     * @param rng source of the initial weights
     */
    public RNNCell(int inputSize, int hiddenSize, RNN.Nonlinearity nonlinearity, boolean bias, RandomGenerator rng) {
        super(RNN.kind(nonlinearity), inputSize, hiddenSize, bias, rng);
    }

    /**
     * One step: x [batch, input], h [batch, hidden] or null → h' [batch, hidden].
     *
     * @param x input {@code [batch, input]}
     * @param h hidden state {@code [batch, hidden]}, or null for zeros
     * @return the next hidden state {@code [batch, hidden]}
     */
    public Tensor forward(Tensor x, Tensor h) {
        return step(x, h, null).last();
    }
}
