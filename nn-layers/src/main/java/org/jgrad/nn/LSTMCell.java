package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * One LSTM step, as PyTorch's {@code nn.LSTMCell}: with gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh
 * split in the order i, f, g, o,
 * <pre>
 *   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
 *   h' = σ(o) ⊙ tanh(c')
 * </pre>
 * x [batch, input], h and c [batch, hidden] (null means zeros). Parameters {@code weight_ih}
 * [4·hidden, input], {@code weight_hh} [4·hidden, hidden], {@code bias_ih}, {@code bias_hh}
 * [4·hidden], all U(−1/√hidden, 1/√hidden).
 *
 * <pre>{@code
 * jshell> var cell = new LSTMCell(3, 5);
 * jshell> var s = cell.forward(Tensor.ones(2, 3), null, null);
 * jshell> s = cell.forward(Tensor.ones(2, 3), s.h(), s.c());
 * jshell> s.c().shape()
 * $4 ==> int[2] { 2, 5 }
 * }</pre>
 */
public final class LSTMCell extends RecurrentCell {

    /**
     * The state after a step: hidden h and cell c, both [batch, hidden].
     *
     * @param h the hidden state, [batch, hidden]
     * @param c the cell state, [batch, hidden]
     */
    public record State(Tensor h, Tensor c) {}

    /**
     * A cell with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features of the input
     * @param hiddenSize features of the hidden state
     */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Defaults.rng());
    }

    /**
     * An LSTM cell with every option.
     *
     * @param inputSize features of the input
     * @param hiddenSize features of the hidden state
     * @param bias true to learn biases
     * @param rng source of the initial weights
     */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
        super(Kind.LSTM, inputSize, hiddenSize, bias, rng);
    }

    /**
     * One step: x [batch, input], h and c [batch, hidden] or null → (h', c').
     *
     * @param x input {@code [batch, input]}
     * @param h hidden state {@code [batch, hidden]}, or null for zeros
     * @param c cell state {@code [batch, hidden]}, or null for zeros
     * @return the next hidden and cell states
     */
    public State forward(Tensor x, Tensor h, Tensor c) {
        RecurrentScan.Result r = step(x, h, c);
        return new State(r.last(), r.c());
    }
}
