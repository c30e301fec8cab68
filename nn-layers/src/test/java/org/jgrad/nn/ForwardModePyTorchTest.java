package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.io.SafeTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autograd.jvp of whole networks against PyTorch's torch.autograd.functional.jvp for the same
 * weights, input and direction (resources written by {@code forward_mode/make_jvp.py}, float64 on
 * PyTorch's side).
 */
class ForwardModePyTorchTest {

    private static Map<String, Tensor> read(String file) throws Exception {
        Path p = Path.of(ForwardModePyTorchTest.class.getResource("/forward_mode/" + file).toURI());
        return SafeTensors.read(p).tensors();
    }

    private static void assertClose(Tensor actual, Tensor expected, String what) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        float[] a = actual.toArray(), e = expected.toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("%s element %d", what, i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(2e-5 * Math.max(1, Math.abs(e[i]))));
        }
    }

    static Module model(String name) {
        SplittableRandom rng = new SplittableRandom(1);
        return switch (name) {
            case "mlp" -> new Sequential(new Linear(6, 8, rng), new Tanh(), new Linear(8, 3, rng));
            case "cnn" -> new Sequential(new Conv2d(2, 4, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                    new Linear(4 * 3 * 3, 5, rng));
            case "lstm" -> new LSTM(3, 4, 2, true, rng);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "lstm"})
    void jvpEqualsPyTorchsForTheSameWeights(String name) throws Exception {
        Module net = model(name);
        net.loadStateDict(read(name + ".safetensors"));
        Map<String, Tensor> ref = read(name + "_jvp.safetensors");
        Tensor[] r = Autograd.jvp(in -> net.forward(in[0]), new Tensor[] {ref.get("input")}, new Tensor[] {ref.get("direction")});
        assertClose(r[0], ref.get("output"), name + " output");
        assertClose(r[1], ref.get("tangent"), name + " tangent");
    }
}
