package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv1d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.GRU;
import org.jgrad.nn.GRUCell;
import org.jgrad.nn.LSTM;
import org.jgrad.nn.LSTMCell;
import org.jgrad.nn.LayerNorm;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.PReLU;
import org.jgrad.nn.RNN;
import org.jgrad.nn.RNNCell;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Residual;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Swish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFilesTest {

    @TempDir
    Path dir;

    private static Module mlp() {
        return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
    }

    private static Module cnn() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64, 3));
    }

    /** PyTorch's outputs, computed in float64 from the weights as each dtype stores them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp_f32", "mlp_f16", "mlp_bf16", "mlp_f64", "cnn_f32"})
    void reproducesPyTorch(String name) throws IOException {
        Module net = name.startsWith("cnn") ? cnn() : mlp();
        ModelFiles.load(net, TestFiles.resource(name + ".safetensors"));
        assertReproducesOutput(net, name);
    }

    /**
     * A file laid out as {@code safetensors.torch.save_file} writes it, with PyTorch's BatchNorm
     * buffers: num_batches_tracked is a 0-d I64 there and loads as the float 3.
     */
    @Test
    void reproducesPyTorchWithBatchNormBuffers() throws IOException {
        Module net = new Sequential(new Conv2d(1, 2, 3, 1, 1), new BatchNorm2d(2), new ReLU(), new Flatten(),
                new Linear(32, 5), new BatchNorm1d(5), new ReLU(), new Linear(5, 3));
        ModelFiles.load(net, TestFiles.resource("bn_cnn.safetensors"));
        assertThat(net.stateDict().get("1.num_batches_tracked").item()).isEqualTo(3f);
        assertThat(net.stateDict().get("5.num_batches_tracked").shape()).isEmpty();
        assertThat(net.stateDict().get("5.running_var").toArray()).doesNotContain(1f);
        assertReproducesOutput(net, "bn_cnn");
    }

    /** Eval-mode output of {@code net} for the input of {@code <name>_io.safetensors}, to 1e-5. */
    private static void assertReproducesOutput(Module net, String name) throws IOException {
        var io = SafeTensors.read(TestFiles.resource(name + "_io.safetensors")).tensors();
        Tensor out;
        try (var off = GradMode.off()) {
            out = net.eval().forward(io.get("input"));
        }
        float[] expected = io.get("output").toArray(), got = out.toArray();
        assertThat(out.shape()).isEqualTo(io.get("output").shape());
        for (int i = 0; i < got.length; i++) assertThat((double) got[i]).as("output[%d]", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
    }

    static Stream<Arguments> layers() {
        List<Supplier<Module>> all = List.of(
                () -> new Linear(3, 4), () -> new Linear(3, 4, false), () -> new Conv1d(2, 3, 3), () -> new Conv2d(2, 3, 3),
                () -> new BatchNorm1d(4), () -> new BatchNorm2d(3), () -> new LayerNorm(5), () -> new Embedding(6, 3), () -> new PReLU(),
                () -> new Residual(new Linear(4, 4)), ModelFilesTest::cnn,
                () -> new RNN(3, 4, 2), () -> new RNN(3, 4, 2, RNN.Nonlinearity.RELU, false, new SplittableRandom(1)),
                () -> new LSTM(3, 4, 2), () -> new LSTM(3, 4, 2, false, new SplittableRandom(1)),
                () -> new GRU(3, 4, 2), () -> new GRU(3, 4, 2, false, new SplittableRandom(1)),
                () -> new RNNCell(3, 4), () -> new LSTMCell(3, 4), () -> new GRUCell(3, 4, false, new SplittableRandom(1)),
                () -> new Swish(1.5f, true));
        return all.stream().map(s -> Arguments.of(s.get().describe(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void roundTripsEveryLayer(String name, Supplier<Module> make) throws IOException {
        Module a = make.get(), b = make.get();
        var rng = new SplittableRandom(name.hashCode());
        for (Tensor t : a.stateDict().values()) for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) rng.nextGaussian();
        Path p = dir.resolve("m.safetensors");
        ModelFiles.save(a, p);
        ModelFiles.load(b, p);
        var sa = a.stateDict();
        assertThat(b.stateDict().keySet()).containsExactlyElementsOf(sa.keySet());
        b.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(sa.get(k).toArray()));
    }

    @Test
    void strictLoadListsMismatchesAndChangesNothing() throws IOException {
        Path p = dir.resolve("m.safetensors");
        ModelFiles.save(new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2), new ReLU(), new Linear(2, 2)), p);
        Module net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        var before = TestFiles.snapshot(net.stateDict());
        assertThatThrownBy(() -> ModelFiles.load(net, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(p.toString())
                .hasMessageContaining("unexpected: [4.bias, 4.weight]")
                .hasMessageContaining("2.weight (expected [3, 8], got [2, 8])")
                .hasMessageContaining("2.bias (expected [3], got [2])");
        assertUnchanged(net, before);
    }

    @Test
    void nonStrictLoadsWhatFitsAndReportsTheRest() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Module small = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        ModelFiles.save(small, p);
        Module big = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3), new ReLU(), new Linear(3, 1));
        float[] ownHead = big.stateDict().get("2.weight").toArray();
        var report = ModelFiles.loadNonStrict(big, p);
        assertThat(report.missing()).containsExactly("4.weight", "4.bias");
        assertThat(report.unexpected()).isEmpty();
        assertThat(report.misShaped()).containsExactly("2.weight (expected [3, 8], got [2, 8])", "2.bias (expected [3], got [2])");
        assertThat(report.isExact()).isFalse();
        assertThat(big.stateDict().get("0.weight").toArray()).isEqualTo(small.stateDict().get("0.weight").toArray());
        assertThat(big.stateDict().get("2.weight").toArray()).isEqualTo(ownHead);
    }

    @Test
    void corruptFilesLeaveTheModelUntouched() throws IOException {
        Path p = dir.resolve("m.safetensors");
        ModelFiles.save(mlp(), p);
        byte[] good = Files.readAllBytes(p);
        Module net = mlp();
        var before = TestFiles.snapshot(net.stateDict());
        for (int len : new int[] {0, 7, 8, 20, good.length / 2, good.length - 1}) {
            Files.write(p, Arrays.copyOf(good, len));
            assertThatThrownBy(() -> ModelFiles.load(net, p)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString());
            assertThatThrownBy(() -> ModelFiles.loadNonStrict(net, p)).isInstanceOf(IOException.class);
        }
        Files.write(p, Arrays.copyOf(good, good.length + 4));
        assertThatThrownBy(() -> ModelFiles.load(net, p)).isInstanceOf(IOException.class).hasMessageContaining("4 trailing bytes");
        assertUnchanged(net, before);
    }

    private static void assertUnchanged(Module net, java.util.Map<String, float[]> before) {
        net.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(before.get(k)));
    }
}
