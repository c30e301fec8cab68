package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

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
public final class RNNCell extends Module {

    private final int inputSize, hiddenSize;
    private final boolean relu;
    private final Tensor weightIh, weightHh, biasIh, biasHh;

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RNN.Nonlinearity.TANH, true, Defaults.rng());
    }

    public RNNCell(int inputSize, int hiddenSize, RNN.Nonlinearity nonlinearity, boolean bias, RandomGenerator rng) {
        RNN.checkSizes("RNNCell", inputSize, hiddenSize, 1);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.relu = nonlinearity == RNN.Nonlinearity.RELU;
        weightIh = registerParameter("weight_ih", RecurrentOps.uniformParam(rng, hiddenSize, hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", RecurrentOps.uniformParam(rng, hiddenSize, hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", RecurrentOps.uniformParam(rng, hiddenSize, hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", RecurrentOps.uniformParam(rng, hiddenSize, hiddenSize)) : null;
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
        if (biasIh != null) xp = xp.add(biasIh.add(biasHh));
        RecurrentOps.Kind kind = relu ? RecurrentOps.Kind.RNN_RELU : RecurrentOps.Kind.RNN_TANH;
        return RecurrentScan.run(kind, xp, x.size(0), 1, hiddenSize, weightHh, null, h, null).hs()[0];
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (relu ? ", relu" : "") + (biasIh == null ? ", bias=false" : "");
    }
}
