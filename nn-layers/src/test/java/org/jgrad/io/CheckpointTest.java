package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jgrad.core.Tensor;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MSELoss;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final int N = 32, BATCH = 8, K = 7, M = 9;
    private static final Tensor X = Tensor.randn(new SplittableRandom(10), N, 3), Y = Tensor.randn(new SplittableRandom(11), N, 1);

    /** A model, its optimizer and the one generator the loop draws from (mini-batches and dropout). */
    private record Run(Module model, Optimizer<?> opt, RestorableRandom rng) {
        static Run fresh(long seed, String optimizer) {
            var init = new SplittableRandom(seed);
            var rng = new RestorableRandom(seed * 31);
            Module model = new Sequential(new Linear(3, 16, init), new BatchNorm1d(16), new ReLU(), new Dropout(0.3f, rng), new Linear(16, 1, init));
            Function<Module, Optimizer<?>> make = switch (optimizer) {
                case "adam" -> m -> new Adam(m.parameters(), 0.01f).weightDecay(1e-3f);
                case "sgd" -> m -> new SGD(m.parameters(), 0.05f).momentum(0.9f);
                default -> throw new IllegalArgumentException(optimizer);
            };
            return new Run(model, make.apply(model), rng);
        }

        void train(int steps) {
            var loss = new MSELoss();
            for (int s = 0; s < steps; s++) {
                float[] xb = new float[BATCH * 3], yb = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    int r = rng.nextInt(N);
                    System.arraycopy(X.data(), 3 * r, xb, 3 * i, 3);
                    yb[i] = Y.data()[r];
                }
                opt.zeroGrad();
                loss.forward(model.forward(Tensor.of(xb, BATCH, 3)), Tensor.of(yb, BATCH, 1)).backward();
                opt.step();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "sgd"})
    void resumedTrainingIsBitwiseEqualToTrainingStraightThrough(String optimizer) throws IOException {
        Run straight = Run.fresh(1, optimizer);
        straight.train(K + M);

        Run first = Run.fresh(1, optimizer);
        first.train(K);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, first.model, first.opt, 0, K, first.rng);

        Run resumed = Run.fresh(2, optimizer);                      // other weights, other generator state
        var at = Checkpoint.load(p, resumed.model, resumed.opt, resumed.rng);
        assertThat(at).isEqualTo(new Checkpoint.Progress(0, K));
        resumed.train(M);

        assertBitwiseEqual(resumed.model.stateDict(), straight.model.stateDict());
        assertBitwiseEqual(resumed.opt.stateDict(), straight.opt.stateDict());
        assertThat(resumed.rng.state()).isEqualTo(straight.rng.state());
    }

    @Test
    void aCheckpointForAnotherOptimizerIsRefusedAndChangesNothing() throws IOException {
        Run a = Run.fresh(1, "adam");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 3, 2, a.rng);
        Run b = Run.fresh(2, "sgd");
        var before = TestFiles.snapshot(b.model.stateDict());
        long rngBefore = b.rng.state();
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining("org.jgrad.optim.Adam, not of a org.jgrad.optim.SGD");
        assertUnchanged(b, before, rngBefore);
    }

    @Test
    void aCorruptOrForeignFileIsRefusedAndChangesNothing() throws IOException {
        Run a = Run.fresh(1, "adam");
        a.train(2);
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, a.model, a.opt, 0, 2, a.rng);
        byte[] good = Files.readAllBytes(p);
        Run b = Run.fresh(2, "adam");
        b.train(1);
        var before = TestFiles.snapshot(b.model.stateDict());
        long rngBefore = b.rng.state();

        Files.write(p, Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString());
        ModelFiles.save(a.model, p);
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a jgrad checkpoint");
        Run other = new Run(new Sequential(new Linear(3, 2)), null, null);
        Checkpoint.save(p, other.model, new SGD(other.model.parameters(), 0.1f), 0, 0, new RestorableRandom(0));
        assertThatThrownBy(() -> Checkpoint.load(p, b.model, b.opt, b.rng)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model state does not fit");
        assertUnchanged(b, before, rngBefore);
    }

    private static void assertUnchanged(Run r, Map<String, float[]> before, long rngBefore) {
        r.model.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(before.get(k)));
        assertThat(r.rng.state()).isEqualTo(rngBefore);
    }

    private static void assertBitwiseEqual(Map<String, Tensor> got, Map<String, Tensor> want) {
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        for (var e : want.entrySet()) {
            float[] g = got.get(e.getKey()).toArray(), w = e.getValue().toArray();
            assertThat(g.length).isEqualTo(w.length);
            for (int i = 0; i < w.length; i++) {
                assertThat(Float.floatToRawIntBits(g[i])).as("%s[%d]: %s vs %s", e.getKey(), i, g[i], w[i]).isEqualTo(Float.floatToRawIntBits(w[i]));
            }
        }
    }
}
