package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class GRUTest {

    @Test
    void cellStepMatchesTheEquationsInDouble() {
        var cell = new GRUCell(3, 4, true, new SplittableRandom(2));
        var rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 2, 3), h = Tensor.randn(rng, 2, 4);
        Tensor h2 = cell.forward(x, h);
        for (int b = 0; b < 2; b++) {
            double[] e = RecurrentReference.gruStep(cell.namedParameters(), "", RecurrentReference.row(x, b, 3),
                    RecurrentReference.row(h, b, 4));
            for (int j = 0; j < 4; j++) assertThat((double) h2.get(b, j)).isCloseTo(e[j], within(1e-6));
        }
    }

    @Test
    void twoLayerSequenceMatchesTheEquationsInDouble() {
        var gru = new GRU(3, 4, 2, true, new SplittableRandom(4));
        int batch = 2, time = 5;
        var rng = new SplittableRandom(5);
        Tensor x = Tensor.randn(rng, batch, time, 3), h0 = Tensor.randn(rng, 2, batch, 4);
        var out = gru.forward(x, h0);
        assertThat(gru.namedParameters().get("weight_hh_l1").shape()).containsExactly(12, 4);
        var p = gru.namedParameters();
        for (int b = 0; b < batch; b++) {
            double[][] h = {RecurrentReference.row(h0, b, 4), RecurrentReference.row(h0, batch + b, 4)};
            for (int t = 0; t < time; t++) {
                double[] in = RecurrentReference.row(x, b * time + t, 3);
                for (int l = 0; l < 2; l++) in = h[l] = RecurrentReference.gruStep(p, "_l" + l, in, h[l]);
                for (int j = 0; j < 4; j++) assertThat((double) out.outputs().get(b, t, j)).isCloseTo(h[1][j], within(1e-5));
            }
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < 4; j++) assertThat((double) out.hN().get(l, b, j)).isCloseTo(h[l][j], within(1e-5));
            }
        }
    }

    @Test
    void cellGradients() {
        var cell = new GRUCell(3, 2, true, new SplittableRandom(6));
        var rng = new SplittableRandom(7);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(), h = Tensor.randn(rng, 2, 2).requiresGrad();
        var p = cell.namedParameters();
        GradCheck.assertGradients("GRUCell", in -> cell.forward(in[0], in[1]),
                x, h, p.get("weight_ih"), p.get("weight_hh"), p.get("bias_ih"), p.get("bias_hh"));
    }

    @Test
    void unrolledSequenceGradients() {
        var gru = new GRU(2, 2, 2, true, new SplittableRandom(8));
        var rng = new SplittableRandom(9);
        Tensor x = Tensor.randn(rng, 2, 3, 2).requiresGrad(), h0 = Tensor.randn(rng, 2, 2, 2).requiresGrad();
        Tensor[] inputs = new Tensor[2 + gru.parameters().size()];
        inputs[0] = x;
        inputs[1] = h0;
        for (int i = 0; i < gru.parameters().size(); i++) inputs[2 + i] = gru.parameters().get(i);
        GradCheck.assertGradients("GRU 3 steps", in -> {
            var o = gru.forward(in[0], in[1]);
            return Tensor.cat(0, o.outputs().reshape(-1), o.hN().reshape(-1));
        }, inputs);
    }

    @Test
    void withoutBiasHasOnlyWeights() {
        var gru = new GRU(2, 3, 1, false, new SplittableRandom(1));
        assertThat(gru.namedParameters().keySet()).containsExactly("weight_ih_l0", "weight_hh_l0");
        Tensor x = Tensor.randn(new SplittableRandom(2), 1, 2, 2).requiresGrad();
        GradCheck.assertGradients("GRU no bias", in -> gru.forward(in[0]), x, gru.parameters().get(0), gru.parameters().get(1));
    }
}
