package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class LSTMTest {

    @Test
    void namesAndShapesFollowPyTorch() {
        var lstm = new LSTM(3, 5, 2, true, new SplittableRandom(1));
        assertThat(lstm.namedParameters().keySet()).containsExactly("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1");
        assertThat(lstm.namedParameters().get("weight_ih_l0").shape()).containsExactly(20, 3);
        assertThat(lstm.namedParameters().get("weight_ih_l1").shape()).containsExactly(20, 5);
        assertThat(lstm.namedParameters().get("weight_hh_l1").shape()).containsExactly(20, 5);
        for (Tensor p : lstm.parameters()) {
            for (float v : p.data()) assertThat(Math.abs(v)).isLessThanOrEqualTo((float) (1 / Math.sqrt(5)));
        }
        var out = lstm.forward(Tensor.zeros(4, 6, 3), null, null);
        assertThat(out.outputs().shape()).containsExactly(4, 6, 5);
        assertThat(out.hN().shape()).containsExactly(2, 4, 5);
        assertThat(out.cN().shape()).containsExactly(2, 4, 5);
        assertThat(new LSTMCell(3, 5).namedParameters().keySet()).containsExactly("weight_ih", "weight_hh", "bias_ih", "bias_hh");
    }

    @Test
    void cellStepMatchesTheEquationsInDouble() {
        var cell = new LSTMCell(3, 4, true, new SplittableRandom(2));
        var rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 2, 3), h = Tensor.randn(rng, 2, 4), c = Tensor.randn(rng, 2, 4);
        var s = cell.forward(x, h, c);
        var p = cell.namedParameters();
        for (int b = 0; b < 2; b++) {
            double[][] e = RecurrentReference.lstmStep(p, "", RecurrentReference.row(x, b, 3), RecurrentReference.row(h, b, 4),
                    RecurrentReference.row(c, b, 4));
            for (int j = 0; j < 4; j++) {
                assertThat((double) s.h().get(b, j)).isCloseTo(e[0][j], within(1e-6));
                assertThat((double) s.c().get(b, j)).isCloseTo(e[1][j], within(1e-6));
            }
        }
    }

    @Test
    void twoLayerSequenceMatchesTheEquationsInDouble() {
        var lstm = new LSTM(3, 4, 2, true, new SplittableRandom(4));
        var rng = new SplittableRandom(5);
        int batch = 2, time = 5;
        Tensor x = Tensor.randn(rng, batch, time, 3), h0 = Tensor.randn(rng, 2, batch, 4), c0 = Tensor.randn(rng, 2, batch, 4);
        var out = lstm.forward(x, h0, c0);
        var p = lstm.namedParameters();
        for (int b = 0; b < batch; b++) {
            double[][] h = {RecurrentReference.row(h0, b, 4), RecurrentReference.row(h0, batch + b, 4)};
            double[][] c = {RecurrentReference.row(c0, b, 4), RecurrentReference.row(c0, batch + b, 4)};
            for (int t = 0; t < time; t++) {
                double[] in = RecurrentReference.row(x, b * time + t, 3);
                for (int l = 0; l < 2; l++) {
                    double[][] hc = RecurrentReference.lstmStep(p, "_l" + l, in, h[l], c[l]);
                    h[l] = hc[0];
                    c[l] = hc[1];
                    in = hc[0];
                }
                for (int j = 0; j < 4; j++) assertThat((double) out.outputs().get(b, t, j)).isCloseTo(h[1][j], within(1e-5));
            }
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < 4; j++) {
                    assertThat((double) out.hN().get(l, b, j)).isCloseTo(h[l][j], within(1e-5));
                    assertThat((double) out.cN().get(l, b, j)).isCloseTo(c[l][j], within(1e-5));
                }
            }
        }
    }

    @Test
    void cellGradients() {
        var cell = new LSTMCell(3, 2, true, new SplittableRandom(6));
        var rng = new SplittableRandom(7);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(), h = Tensor.randn(rng, 2, 2).requiresGrad(),
                c = Tensor.randn(rng, 2, 2).requiresGrad();
        var p = cell.namedParameters();
        GradCheck.assertGradients("LSTMCell", in -> {
            var s = cell.forward(in[0], in[1], in[2]);
            return Tensor.cat(1, s.h(), s.c());
        }, x, h, c, p.get("weight_ih"), p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh"));
    }

    @Test
    void unrolledSequenceGradients() {
        var lstm = new LSTM(2, 2, 2, true, new SplittableRandom(8));
        var rng = new SplittableRandom(9);
        Tensor x = Tensor.randn(rng, 2, 3, 2).requiresGrad(), h0 = Tensor.randn(rng, 2, 2, 2).requiresGrad(),
                c0 = Tensor.randn(rng, 2, 2, 2).requiresGrad();
        Tensor[] inputs = new Tensor[3 + lstm.parameters().size()];
        inputs[0] = x;
        inputs[1] = h0;
        inputs[2] = c0;
        for (int i = 0; i < lstm.parameters().size(); i++) inputs[3 + i] = lstm.parameters().get(i);
        GradCheck.assertGradients("LSTM 3 steps", in -> {
            var o = lstm.forward(in[0], in[1], in[2]);
            return Tensor.cat(0, o.outputs().reshape(-1), o.hN().reshape(-1), o.cN().reshape(-1));
        }, inputs);
    }

    @Test
    void truncatedBpttCarriesValuesAndCutsGradients() {
        var lstm = new LSTM(2, 3, 1, true, new SplittableRandom(10));
        Tensor x = Tensor.randn(new SplittableRandom(11), 2, 6, 2);
        var full = lstm.forward(x, null, null);
        var first = lstm.forward(x.narrow(1, 0, 3), null, null);
        Tensor h = first.hN().detach(), c = first.cN().detach();
        var second = lstm.forward(x.narrow(1, 3, 3), h, c);
        assertThat(second.outputs().toArray()).containsExactly(full.outputs().narrow(1, 3, 3).toArray(), within(1e-6f));
        assertThat(h.isRequiresGrad()).isFalse();
        second.outputs().sum().backward();   // reaches the weights, not the first chunk
        assertThat(lstm.parameters().get(0).grad()).isNotNull();
    }

    @Test
    void wrongShapesAreNamed() {
        var lstm = new LSTM(3, 4);
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LSTM(3, 4): expected input [batch, time, 3] (batch first), got [2, 3]");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(2, 5, 3), Tensor.zeros(1, 3, 4), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LSTM(3, 4): h0 must have shape [1, 2, 4], got [1, 3, 4]");
    }
}
