package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.jgrad.io.SafeTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RNN, LSTM and GRU and their cells against PyTorch: the state dicts and outputs in test
 * resources were written by {@code recurrent/make_recurrent.py} with torch (layers: 2 layers,
 * batch_first; all: input 3, hidden 4).
 */
class RecurrentPyTorchTest {

    private static Map<String, Tensor> read(String file) throws Exception {
        Path p = Path.of(RecurrentPyTorchTest.class.getResource("/recurrent/" + file).toURI());
        return SafeTensors.read(p).tensors();
    }

    private static void assertClose(Tensor actual, Tensor expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        float[] a = actual.toArray(), e = expected.toArray();
        for (int i = 0; i < a.length; i++) assertThat((double) a[i]).as("element %d", i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(1e-5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh", "rnn_relu", "lstm", "gru"})
    void outputsEqualPyTorchsForTheSameWeights(String name) throws Exception {
        Map<String, Tensor> weights = read(name + ".safetensors"), io = read(name + "_io.safetensors");
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = io.get("input"), h0 = io.get("h0");
        switch (name) {
            case "lstm" -> {
                LSTM lstm = new LSTM(3, 4, 2, true, rng);
                lstm.loadStateDict(weights);
                LSTM.Output out = lstm.forward(x, h0, io.get("c0"));
                assertClose(out.outputs(), io.get("output"));
                assertClose(out.hN(), io.get("hN"));
                assertClose(out.cN(), io.get("cN"));
            }
            case "gru" -> {
                GRU gru = new GRU(3, 4, 2, true, rng);
                gru.loadStateDict(weights);
                RNN.Output out = gru.forward(x, h0);
                assertClose(out.outputs(), io.get("output"));
                assertClose(out.hN(), io.get("hN"));
            }
            default -> {
                RNN rnn = new RNN(3, 4, 2, name.endsWith("relu") ? RNN.Nonlinearity.RELU : RNN.Nonlinearity.TANH, true, rng);
                rnn.loadStateDict(weights);
                RNN.Output out = rnn.forward(x, h0);
                assertClose(out.outputs(), io.get("output"));
                assertClose(out.hN(), io.get("hN"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnncell_tanh", "rnncell_relu", "lstmcell", "grucell", "grucell_nobias"})
    void cellStepsEqualPyTorchsForTheSameWeights(String name) throws Exception {
        Map<String, Tensor> io = read(name + "_io.safetensors");
        Tensor x = io.get("input"), h = io.get("h"), expected = io.get("h_next");
        if (name.equals("lstmcell")) {
            LSTMCell.State next = withWeights(new LSTMCell(3, 4, true, new SplittableRandom(1)), name).forward(x, h, io.get("c"));
            assertClose(next.h(), expected);
            assertClose(next.c(), io.get("c_next"));
        } else if (name.startsWith("grucell")) {
            assertClose(withWeights(new GRUCell(3, 4, name.equals("grucell"), new SplittableRandom(1)), name).forward(x, h), expected);
        } else {
            var act = name.endsWith("relu") ? RNN.Nonlinearity.RELU : RNN.Nonlinearity.TANH;
            assertClose(withWeights(new RNNCell(3, 4, act, true, new SplittableRandom(1)), name).forward(x, h), expected);
        }
    }

    /** {@code m} holding the state dict of {@code <name>.safetensors}. */
    private static <M extends Module> M withWeights(M m, String name) throws Exception {
        m.loadStateDict(read(name + ".safetensors"));
        return m;
    }
}
