package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /**
     * Small settings (2,000 embedded images, 3 epochs): the test −ELBO falls from the untrained
     * net and from epoch to epoch, the KL term stays open (no posterior collapse), and no
     * prior sample is a copy of a training image.
     */
    @Test
    void elboImprovesAndSamplesAreNotTrainingItems() throws Exception {
        var r = VaeExample.run(TrainExample.loadEmbedded(1), 2000, 3, 2, 2e-3f, 1, dir, out);
        var e = r.epochs();
        assertThat(e).hasSize(3);
        assertThat(e.get(0).testLoss()).isLessThan(0.8 * r.untrainedTestLoss());
        assertThat(e.get(2).testLoss()).isLessThan(e.get(1).testLoss()).isLessThan(e.get(0).testLoss());
        assertThat(e.get(2).reconstruction() + e.get(2).kl()).isLessThan(e.get(0).reconstruction() + e.get(0).kl());
        assertThat(e.get(2).testKl()).isGreaterThan(1.0);
        // a copy would be at 0; real test images sit at about 0.1-0.15 from their nearest training image
        assertThat(r.sampleNearestMin()).isGreaterThan(0.05);
        assertThat(r.sampleNearestMean()).isGreaterThan(0.5 * r.testNearestMean());

        int cell = 28 * 4 + 4, small = 28 * 3 + 4, cap = 16;
        PlotTest.png(dir.resolve("reconstructions.png"), 10 * cell + 4, 2 * (cell + cap) + 4 + Images.TITLE_BAND);
        PlotTest.png(dir.resolve("samples.png"), 8 * small + 4, 8 * (small + cap) + 4 + Images.TITLE_BAND);
        PlotTest.png(dir.resolve("latent.png"), 900, 640);
        PlotTest.png(dir.resolve("interpolation.png"), 11 * cell + 4, 2 * (cell + cap) + 4 + Images.TITLE_BAND);
        assertThat(r.files()).containsExactly(dir.resolve("reconstructions.png"), dir.resolve("samples.png"),
                dir.resolve("latent.png"), dir.resolve("interpolation.png"));
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("untrained: test", "epoch 3: train", "samples from the prior",
                "wrote " + dir.resolve("interpolation.png"));
    }

    /** The same seed gives the same numbers (ε comes from seeded generators only). */
    @Test
    void deterministicForASeed() throws Exception {
        var data = TrainExample.loadEmbedded(1);
        var a = VaeExample.run(data, 300, 1, 3, 2e-3f, 7, dir.resolve("a"), out);
        var b = VaeExample.run(data, 300, 1, 3, 2e-3f, 7, dir.resolve("b"), out);
        assertThat(b.epochs().get(0).testLoss()).isEqualTo(a.epochs().get(0).testLoss());
        assertThat(b.sampleNearestMean()).isEqualTo(a.sampleNearestMean());
    }

    /** KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²): μ = 1, σ² = 1 gives ½ per dimension and image. */
    @Test
    void klTermMatchesTheClosedForm() {
        var vae = new VaeExample.Vae(2, 3);
        Tensor x = Tensor.rand(new SplittableRandom(4), 5, 784);
        Tensor[] terms = vae.loss(x, new SplittableRandom(5));
        assertThat(terms[0].item()).isPositive();
        assertThat(terms[1].item()).isNotNegative();
        assertThat(terms[0].rank()).isZero();
        assertThat(VaeExample.kl(Tensor.ones(5, 2), Tensor.zeros(5, 2)).item()).isCloseTo(1.0f, offset(1e-6f));
    }

    /** A "training set" of zeros, ones and stripes: a query of ones is row 1 (distance 0), one of 0.25 everywhere nearest row 0 (0.25). */
    @Test
    void nearestFindsTheClosestTrainingImage() {
        float[] train = new float[3 * 784];
        for (int p = 0; p < 784; p++) {
            train[784 + p] = 1;
            train[2 * 784 + p] = p % 2;
        }
        float[] q = new float[2 * 784];
        for (int p = 0; p < 784; p++) {
            q[p] = 1;
            q[784 + p] = 0.25f;
        }
        int[] idx = new int[2];
        double[] d = VaeExample.nearest(q, train, 3, idx);
        assertThat(idx).containsExactly(1, 0);
        assertThat(d[0]).isCloseTo(0, offset(1e-12));
        assertThat(d[1]).isCloseTo(0.25, offset(1e-12));
    }

    @Test
    void badOptionsAreRefusedNamingTheExample() {
        assertThatThrownBy(() -> VaeExample.main(new String[] {"--hidden", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vae: unknown option '--hidden'");
        assertThatThrownBy(() -> VaeExample.main(new String[] {"--latent", "1"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vae: --epochs must be at least 1, --limit at least 32 and --latent at least 2");
        assertThatThrownBy(() -> VaeExample.main(new String[] {"--lr", "fast"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vae: --lr expects a number, got 'fast'");
    }
}
