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
import org.jgrad.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiameseExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /** Small settings (640 embedded training images, 4 epochs): every objective retrieves far above chance and above its start. */
    @Test
    void eachObjectiveLearnsAnEmbeddingThatRetrievesTheQueryClass() throws Exception {
        var r = SiameseExample.run(TrainExample.loadEmbedded(1), 640, 300, 4, 2, 1e-3f, 1, dir, out);
        assertThat(r.runs()).extracting(SiameseExample.Run::objective).containsExactly(SiameseExample.Objective.values());
        for (var run : r.runs()) {
            assertThat(run.accuracy()).as(run.objective().label()).isGreaterThan(0.45).isGreaterThan(r.untrainedAccuracy() + 0.15);
            assertThat(run.lossPerEpoch()).hasSize(4);
            assertThat(run.lossPerEpoch()[3]).as(run.objective().label()).isLessThan(run.lossPerEpoch()[0]);
        }
        assertThat(r.pixelAccuracy()).isGreaterThan(0.5);
        assertThat(r.parameters()).isEqualTo(784 * 128 + 128 + 128 * 64 + 64 + 64 * 2 + 2);
        PlotTest.png(dir.resolve("embedding.png"), 3 * 640, 560);
        int cell = 28 * 4 + 4;
        PlotTest.png(dir.resolve("retrieval.png"), 6 * cell + 4, Images.TITLE_BAND + 10 * (cell + 16) + 4);
        assertThat(r.files()).containsExactly(dir.resolve("embedding.png"), dir.resolve("retrieval.png"));
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("(108,866 parameters, shared by the twins)", "chance 10.0%", "contrastive (margin 1):",
                "triplet, squared distances (lecture; margin 1):", "triplet, distances (PyTorch; margin 1):", "wrote " + dir.resolve("retrieval.png"));
        assertThat(printed.split("parameters", -1)).as("the parameter count is printed once").hasSize(2);
    }

    /**
     * The contrastive loss of a pair differentiated through branch A alone and B alone reaches
     * every parameter tensor of the one shared net both ways, and the pair's gradient is the sum.
     */
    @Test
    void gradientsReachTheSharedWeightsFromBothBranchesAndAdd() {
        Sequential f = SiameseExample.model(2, 3);
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x1 = Tensor.rand(rng, 8, 784), x2 = Tensor.rand(rng, 8, 784);
        var g = SiameseExample.branchGradients(f, x1, x2, Tensor.of(new float[] {1, 0, 1, 0, 1, 0, 1, 0}));
        assertThat(g.names()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
        for (int i = 0; i < g.names().size(); i++) {
            float[] a = g.fromA()[i].toArray(), b = g.fromB()[i].toArray(), pair = g.pair()[i].toArray();
            assertThat(maxAbs(a)).as("%s through branch A", g.names().get(i)).isGreaterThan(1e-6f);
            assertThat(maxAbs(b)).as("%s through branch B", g.names().get(i)).isGreaterThan(1e-6f);
            float scale = Math.max(maxAbs(a), maxAbs(b));
            for (int k = 0; k < pair.length; k++) {
                assertThat(pair[k]).as("%s[%d] = A + B", g.names().get(i), k).isCloseTo(a[k] + b[k], offset(1e-5f * scale));
            }
        }
        // the last bias moves both embeddings alike, so it cancels in their difference: A = −B, the pair's gradient 0
        assertThat(maxAbs(g.pair()[5].toArray())).isLessThan(1e-5f * maxAbs(g.fromA()[5].toArray()));
    }

    @Test
    void trainingIsDeterministicForASeed() throws Exception {
        var data = TrainExample.loadEmbedded(1);
        Tensor x = Tensor.of(java.util.Arrays.copyOf(data.train().features().data(), 256 * 784), 256, 784);
        int[] y = new int[256];
        for (int i = 0; i < 256; i++) y[i] = (int) data.train().labels().get(i);
        for (var o : SiameseExample.Objective.values()) {
            double[] first = SiameseExample.train(SiameseExample.model(2, 7), o, x, y, 1, 1e-3f, 7);
            assertThat(SiameseExample.train(SiameseExample.model(2, 7), o, x, y, 1, 1e-3f, 7)).as(o.label()).containsExactly(first);
        }
    }

    /** Queries (0, 0) and (5, 5) against a gallery of (1, 0) labelled 3, (4, 4) labelled 7 and (9, 9) labelled 3. */
    @Test
    void nearestNeighboursAreByEuclideanDistance() {
        Tensor q = Tensor.of(new float[] {0, 0, 5, 5}, 2, 2), gallery = Tensor.of(new float[] {1, 0, 4, 4, 9, 9}, 3, 2);
        int[][] nn = SiameseExample.nearest(q, gallery, 3);
        assertThat(nn[0]).containsExactly(0, 1, 2);
        assertThat(nn[1]).containsExactly(1, 2, 0);
        assertThat(SiameseExample.accuracy(nn, new int[] {3, 3}, new int[] {3, 7, 3})).isEqualTo(0.5);
    }

    /** Points along (1, 1, 0) with a little spread along (0, 0, 1): the first component is the line, the second the spread. */
    @Test
    void principalPlaneFindsTheDirectionsOfMostSpread() {
        float[] z = new float[5 * 3];
        float[] t = {-2, -1, 0, 1, 2}, s = {0.1f, -0.2f, 0.2f, -0.2f, 0.1f};   // Σ t·s = 0: uncorrelated
        for (int i = 0; i < 5; i++) {
            z[3 * i] = t[i];
            z[3 * i + 1] = t[i];
            z[3 * i + 2] = s[i];
        }
        double[][] xy = SiameseExample.principalPlane(z, 3);
        double sign = Math.signum(xy[0][4]), sign2 = Math.signum(xy[1][0]);
        for (int i = 0; i < 5; i++) {
            assertThat(sign * xy[0][i]).isCloseTo(t[i] * Math.sqrt(2), offset(1e-5));
            assertThat(sign2 * xy[1][i]).isCloseTo(s[i] * Math.signum(s[0]), offset(1e-5));
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheExample() {
        assertThatThrownBy(() -> SiameseExample.main(new String[] {"--loss", "triplet"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("siamese: unknown option '--loss'");
        assertThatThrownBy(() -> SiameseExample.main(new String[] {"--dim", "1"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("siamese: --epochs and --queries must be at least 1,"
                        + " --limit at least 128 and --dim at least 2, got 4, 1000, 3000 and 1");
        assertThatThrownBy(() -> SiameseExample.main(new String[] {"--lr", "fast"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("siamese: --lr expects a number, got 'fast'");
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }
}
