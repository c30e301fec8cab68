package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RbmExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private static Tensor images;

    @BeforeAll
    static void load() throws Exception {
        images = RbmExample.binarise(TrainExample.embedded().features(), 1000);
    }

    /** 1,000 embedded images, 32 hidden units, 3 epochs of CD-k: the error falls every epoch, data gets lower free energy than noise. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void reconstructionErrorFallsAndTrainingItemsHaveLowerFreeEnergyThanNoise(int k) throws Exception {
        var r = RbmExample.run(images, "embedded", 32, k, 3, 0.05f, 1, dir, out);
        double[] e = r.reconstructionError();
        assertThat(e).hasSize(4);
        for (int i = 1; i < e.length; i++) assertThat(e[i]).as("error after epoch %d", i).isLessThan(e[i - 1]);
        assertThat(e[3]).isLessThan(0.85 * e[0]);
        assertThat(r.freeEnergyTrain()).isLessThan(r.freeEnergyNoise() - 100);
        PlotTest.png(dir.resolve("filters.png"), 8 * (28 * 3 + 4) + 4, 4 * (28 * 3 + 4 + Images.SCALE_BAND) + 4 + Images.TITLE_BAND);
        PlotTest.png(dir.resolve("samples.png"), 5 * (28 * 3 + 4) + 4, 8 * (28 * 3 + 4 + 16) + 4 + Images.TITLE_BAND);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("CD-" + k, "epoch 3: reconstruction error", "free energy of training items", "wrote " + dir.resolve("samples.png"));
    }

    @Test
    void deterministicForASeed() throws Exception {
        Tensor v = images.narrow(0, 0, 200);
        var a = RbmExample.run(v, "embedded", 8, 1, 1, 0.05f, 7, dir.resolve("a"), out);
        var b = RbmExample.run(v, "embedded", 8, 1, 1, 0.05f, 7, dir.resolve("b"), out);
        assertThat(a.rbm().w().data()).containsExactly(b.rbm().w().data());
        assertThat(a.reconstructionError()).containsExactly(b.reconstructionError());
    }

    /** With W = 0 every hidden unit's softplus is log 2: F(v) = −bᵀv − H·log 2. */
    @Test
    void freeEnergyByHand() {
        float[] b = new float[784];
        b[0] = 1.5f;
        b[5] = -2f;
        var rbm = new RbmExample.Rbm(Tensor.of(new float[784 * 3], 784, 3), Tensor.of(b, 784), Tensor.of(new float[3], 3));
        float[] v = new float[2 * 784];
        v[0] = 1;
        v[5] = 1;
        v[784 + 5] = 1;
        double[] f = rbm.freeEnergy(Tensor.of(v, 2, 784));
        assertThat(f[0]).isCloseTo(-(1.5 - 2) - 3 * Math.log(2), offset(1e-6));
        assertThat(f[1]).isCloseTo(2 - 3 * Math.log(2), offset(1e-6));
    }

    @Test
    void badOptionsAreRefusedNamingTheExample() {
        assertThatThrownBy(() -> RbmExample.main(new String[] {"--k", "0"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rbm: --epochs, --limit, --hidden and --k must be at least 1, got 10, 10000, 100 and 0");
        assertThatThrownBy(() -> RbmExample.main(new String[] {"--steps", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rbm: unknown option '--steps'");
    }
}
