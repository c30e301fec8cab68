package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

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
public final class GRUCell extends Module {

    private final int inputSize, hiddenSize;
    private final Tensor weightIh, weightHh, biasIh, biasHh;

    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Defaults.rng());
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias, RandomGenerator rng) {
        RNN.checkSizes("GRUCell", inputSize, hiddenSize, 1);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int g = 3 * hiddenSize;
        weightIh = registerParameter("weight_ih", RecurrentOps.uniformParam(rng, hiddenSize, g, inputSize));
        weightHh = registerParameter("weight_hh", RecurrentOps.uniformParam(rng, hiddenSize, g, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", RecurrentOps.uniformParam(rng, hiddenSize, g)) : null;
        biasHh = bias ? registerParameter("bias_hh", RecurrentOps.uniformParam(rng, hiddenSize, g)) : null;
    }

    /** One step from the zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** One step: x [batch, input], h [batch, hidden] or null → h' [batch, hidden]. */
    public Tensor forward(Tensor x, Tensor h) {
        RecurrentOps.checkStep(describe(), x, inputSize);
        h = RecurrentOps.stateOrZeros(describe(), "h", h, x.size(0), hiddenSize);
        Tensor xp = RecurrentOps.linearT(x, weightIh);
        if (biasIh != null) xp = xp.add(biasIh);
        return RecurrentScan.run(RecurrentOps.Kind.GRU, xp, x.size(0), 1, hiddenSize, weightHh, biasHh, h, null).hs()[0];
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "");
    }
}
