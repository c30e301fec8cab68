package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

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
public final class LSTMCell extends Module {

    /** The state after a step: hidden h and cell c, both [batch, hidden]. */
    public record State(Tensor h, Tensor c) {}

    private final int inputSize, hiddenSize;
    private final Tensor weightIh, weightHh, biasIh, biasHh;

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Defaults.rng());
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
        RNN.checkSizes("LSTMCell", inputSize, hiddenSize, 1);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int g = 4 * hiddenSize;
        weightIh = registerParameter("weight_ih", RecurrentOps.uniformParam(rng, hiddenSize, g, inputSize));
        weightHh = registerParameter("weight_hh", RecurrentOps.uniformParam(rng, hiddenSize, g, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", RecurrentOps.uniformParam(rng, hiddenSize, g)) : null;
        biasHh = bias ? registerParameter("bias_hh", RecurrentOps.uniformParam(rng, hiddenSize, g)) : null;
    }

    /** One step from the zero state; returns h'. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, null).h();
    }

    /** One step: x [batch, input], h and c [batch, hidden] or null → (h', c'). */
    public State forward(Tensor x, Tensor h, Tensor c) {
        RecurrentOps.checkStep(describe(), x, inputSize);
        h = RecurrentOps.stateOrZeros(describe(), "h", h, x.size(0), hiddenSize);
        c = RecurrentOps.stateOrZeros(describe(), "c", c, x.size(0), hiddenSize);
        Tensor xp = RecurrentOps.linearT(x, weightIh);
        if (biasIh != null) xp = xp.add(biasIh.add(biasHh));
        RecurrentScan.Result r = RecurrentScan.run(RecurrentOps.Kind.LSTM, xp, x.size(0), 1, hiddenSize, weightHh, null, h, c);
        return new State(r.hs()[0], r.c());
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "");
    }
}
