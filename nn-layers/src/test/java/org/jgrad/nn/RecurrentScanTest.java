package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared gradient buffers of {@link RecurrentScan} under the engine's less common paths: a
 * retained graph differentiated again from another output, and graphs in which only the initial
 * state or only W_hh needs a gradient (so the projection op is not recorded, or xp needs none).
 * The layers' own tests check the usual path against finite differences and PyTorch.
 */
class RecurrentScanTest {

    private static final int BATCH = 2, TIME = 4, IN = 3, HIDDEN = 2;

    private static Module make(RecurrentScan.Kind kind, boolean bias) {
        var rng = new SplittableRandom(kind.ordinal() + 10);
        return switch (kind) {
            case RNN_TANH, RNN_RELU -> new RNN(IN, HIDDEN, 2, kind == RecurrentScan.Kind.RNN_RELU ? RNN.Nonlinearity.RELU
                    : RNN.Nonlinearity.TANH, bias, rng);
            case LSTM -> new LSTM(IN, HIDDEN, 2, bias, rng);
            case GRU -> new GRU(IN, HIDDEN, 2, bias, rng);
        };
    }

    /** The outputs [batch, time, hidden] from the initial hidden state h0 (c0 zeros). */
    private static Tensor outputs(Module m, Tensor x, Tensor h0) {
        if (m instanceof RNN rnn) return rnn.forward(x, h0).outputs();
        if (m instanceof GRU gru) return gru.forward(x, h0).outputs();
        return ((LSTM) m).forward(x, h0, null).outputs();
    }

    /** The outputs and, from the same graph, a final state: cN for the LSTM (the last h' is then not reached), else hN. */
    private static Tensor[] outputsAndState(Module m, Tensor x) {
        if (m instanceof LSTM lstm) {
            var o = lstm.forward(x, null, null);
            return new Tensor[] {o.outputs(), o.cN()};
        }
        var o = m instanceof RNN rnn ? rnn.forward(x, null) : ((GRU) m).forward(x, null);
        return new Tensor[] {o.outputs(), o.hN()};
    }

    private static Tensor[] gradients(Tensor out, long seed, boolean retain, List<Tensor> wrt) {
        Tensor v = Tensor.randn(new SplittableRandom(seed), out.shape());
        return Autograd.grad(out, v, retain, wrt.toArray(new Tensor[0]));
    }

    @ParameterizedTest
    @EnumSource(RecurrentScan.Kind.class)
    void aRetainedGraphDifferentiatedAgainFromTheFinalStateGivesFreshGradients(RecurrentScan.Kind kind) {
        Module m = make(kind, true);
        Tensor x = Tensor.randn(new SplittableRandom(1), BATCH, TIME, IN).requiresGrad();
        List<Tensor> wrt = new ArrayList<>(m.parameters());
        wrt.add(x);
        Tensor[] graph = outputsAndState(m, x);
        gradients(graph[0], 2, true, wrt);
        Tensor[] again = gradients(graph[1], 3, false, wrt);
        Tensor[] fresh = gradients(outputsAndState(m, x)[1], 3, false, wrt);
        for (int i = 0; i < wrt.size(); i++) assertThat(again[i].toArray()).as("input %d", i).containsExactly(fresh[i].toArray());
    }

    @ParameterizedTest
    @EnumSource(value = RecurrentScan.Kind.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void gradientsReachTheInitialStateWhenNothingElseNeedsOne(RecurrentScan.Kind kind) {
        Module m = make(kind, true);
        m.parameters().forEach(p -> p.requiresGrad(false));
        Tensor x = Tensor.randn(new SplittableRandom(4), BATCH, TIME, IN);
        Tensor h0 = Tensor.randn(new SplittableRandom(5), 2, BATCH, HIDDEN).requiresGrad();
        GradCheck.assertGradients(kind + " d/dh0", in -> outputs(m, x, in[0]), h0);
    }

    @ParameterizedTest
    @EnumSource(value = RecurrentScan.Kind.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void onlyTheRecurrentWeightsNeedGradients(RecurrentScan.Kind kind) {
        Module m = make(kind, false);
        var p = m.namedParameters();
        p.forEach((name, t) -> t.requiresGrad(name.startsWith("weight_hh")));
        Tensor x = Tensor.randn(new SplittableRandom(6), BATCH, TIME, IN);
        GradCheck.assertGradients(kind + " d/dW_hh", in -> outputs(m, x, null), p.get("weight_hh_l0"), p.get("weight_hh_l1"));
    }
}
