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
 * RNN, LSTM and GRU against PyTorch: the state dicts and outputs in test resources were written
 * by {@code recurrent/make_recurrent.py} with torch (2 layers, batch_first, input 3, hidden 4).
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
}
