package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.nn.RecurrentScan.Kind;

/**
 * One GRU step, as PyTorch's {@code nn.GRUCell}, gates in the order r, z, n:
 * <pre>
 *   r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 *   z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * x [batch, input], h [batch, hidden] (null means zeros). Parameters {@code weight_ih}
 * [3·hidden, input], {@code weight_hh} [3·hidden, hidden], {@code bias_ih}, {@code bias_hh}
 * [3·hidden], all U(−1/√hidden, 1/√hidden).
 *
 * <pre>{@code
 * jshell> var cell = new GRUCell(3, 5);
 * jshell> cell.forward(Tensor.ones(2, 3), null).shape()
 * $2 ==> int[2] { 2, 5 }
 * }</pre>
 */
public final class GRUCell extends RecurrentCell {

    /**
     * A cell with bias, initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param inputSize features of the input
     * @param hiddenSize features of the hidden state
     */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Defaults.rng());
    }

    /**
     * A GRU cell with every option.
     *
     * @param inputSize features of the input
     * @param hiddenSize features of the hidden state
     * @param bias true to learn biases
     * @param rng source of the initial weights
     */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
        super(Kind.GRU, inputSize, hiddenSize, bias, rng);
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
