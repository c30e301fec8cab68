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

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RNN.Nonlinearity.TANH, true, Defaults.rng());
    }

    public RNNCell(int inputSize, int hiddenSize, RNN.Nonlinearity nonlinearity, boolean bias, RandomGenerator rng) {
        super(RNN.kind(nonlinearity), inputSize, hiddenSize, bias, rng);
    }

    /** One step: x [batch, input], h [batch, hidden] or null → h' [batch, hidden]. */
    public Tensor forward(Tensor x, Tensor h) {
        return step(x, h, null).last();
    }
}
