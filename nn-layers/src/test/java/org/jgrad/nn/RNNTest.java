package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RNNTest {

    private static final long RELU_SEED = 77;   // its pre-activations stay 0.2 or more away from 0

    @ParameterizedTest
    @EnumSource(RNN.Nonlinearity.class)
    void twoLayerSequenceMatchesTheEquationsInDouble(RNN.Nonlinearity act) {
        var rnn = new RNN(3, 4, 2, act, true, new SplittableRandom(4));
        int batch = 2, time = 5;
        var rng = new SplittableRandom(5);
        Tensor x = Tensor.randn(rng, batch, time, 3), h0 = Tensor.randn(rng, 2, batch, 4);
        var out = rnn.forward(x, h0);
        var p = rnn.namedParameters();
        for (int b = 0; b < batch; b++) {
            double[][] h = {RecurrentReference.row(h0, b, 4), RecurrentReference.row(h0, batch + b, 4)};
            for (int t = 0; t < time; t++) {
                double[] in = RecurrentReference.row(x, b * time + t, 3);
                for (int l = 0; l < 2; l++) in = h[l] = RecurrentReference.rnnStep(p, "_l" + l, in, h[l], act == RNN.Nonlinearity.RELU);
                for (int j = 0; j < 4; j++) assertThat((double) out.outputs().get(b, t, j)).isCloseTo(h[1][j], within(1e-5));
            }
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < 4; j++) assertThat((double) out.hN().get(l, b, j)).isCloseTo(h[l][j], within(1e-5));
            }
        }
    }

    @Test
    void cellEqualsOneStepOfTheLayer() {
        var cell = new RNNCell(3, 4, RNN.Nonlinearity.TANH, true, new SplittableRandom(1));
        var rnn = new RNN(3, 4);
        for (var e : cell.namedParameters().entrySet()) {
            System.arraycopy(e.getValue().data(), 0, rnn.namedParameters().get(e.getKey() + "_l0").data(), 0, e.getValue().numel());
        }
        Tensor x = Tensor.randn(new SplittableRandom(2), 2, 3), h = Tensor.randn(new SplittableRandom(3), 2, 4);
        assertThat(cell.forward(x, h).toArray())
                .containsExactly(rnn.forward(x.reshape(2, 1, 3), h.reshape(1, 2, 4)).hN().toArray(), within(1e-6f));
    }

    @ParameterizedTest
    @EnumSource(RNN.Nonlinearity.class)
    void cellGradients(RNN.Nonlinearity act) {
        var cell = new RNNCell(3, 2, act, true, new SplittableRandom(6));
        var rng = new SplittableRandom(7);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(), h = Tensor.randn(rng, 2, 2).requiresGrad();
        var p = cell.namedParameters();
        GradCheck.assertGradients("RNNCell " + act, in -> cell.forward(in[0], in[1]),
                x, h, p.get("weight_ih"), p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh"));
    }

    /** Two layers, three steps; for ReLU the seed keeps every pre-activation clear of the kink at 0. */
    @ParameterizedTest
    @EnumSource(RNN.Nonlinearity.class)
    void unrolledSequenceGradients(RNN.Nonlinearity act) {
        boolean relu = act == RNN.Nonlinearity.RELU;
        var rnn = new RNN(2, 3, 2, act, true, new SplittableRandom(relu ? RELU_SEED : 8));
        var rng = new SplittableRandom(9);
        Tensor x = Tensor.randn(rng, 2, 3, 2).requiresGrad(), h0 = Tensor.randn(rng, 2, 2, 3).requiresGrad();
        if (relu) assertThat(minAbsPreActivation(rnn, x, h0)).as("distance of the ReLU inputs from 0").isGreaterThan(0.1);
        Tensor[] inputs = new Tensor[2 + rnn.parameters().size()];
        inputs[0] = x;
        inputs[1] = h0;
        for (int i = 0; i < rnn.parameters().size(); i++) inputs[2 + i] = rnn.parameters().get(i);
        GradCheck.assertGradients("RNN " + act + " 3 steps", in -> {
            var o = rnn.forward(in[0], in[1]);
            return Tensor.cat(0, o.outputs().reshape(-1), o.hN().reshape(-1));
        }, inputs);
    }

    /** The smallest |pre-activation| of a ReLU RNN over every layer, step and batch row, in double. */
    private static double minAbsPreActivation(RNN rnn, Tensor x, Tensor h0) {
        var p = rnn.namedParameters();
        int batch = x.size(0), time = x.size(1), layers = rnn.numLayers(), hidden = rnn.hiddenSize();
        double min = Double.POSITIVE_INFINITY;
        for (int b = 0; b < batch; b++) {
            double[][] h = new double[layers][];
            for (int l = 0; l < layers; l++) h[l] = RecurrentReference.row(h0, l * batch + b, hidden);
            for (int t = 0; t < time; t++) {
                double[] in = RecurrentReference.row(x, b * time + t, x.size(2));
                for (int l = 0; l < layers; l++) {
                    double[] pre = RecurrentReference.rnnPreActivation(p, "_l" + l, in, h[l]);
                    for (double v : pre) min = Math.min(min, Math.abs(v));
                    in = h[l] = java.util.Arrays.stream(pre).map(v -> Math.max(0, v)).toArray();
                }
            }
        }
        return min;
    }

    @Test
    void describesItselfAndRefusesBadSizes() {
        assertThat(new RNN(3, 4, 2, RNN.Nonlinearity.RELU, false, new SplittableRandom(1)).describe())
                .isEqualTo("RNN(3, 4, numLayers=2, relu, bias=false)");
        assertThatThrownBy(() -> new RNN(3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RNN: input size, hidden size and number of layers must be positive, got 3, 0, 1");
        assertThatThrownBy(() -> new RNNCell(3, 4).forward(Tensor.zeros(2, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RNNCell(3, 4): expected input [batch, 3], got [2, 5]");
    }
}
