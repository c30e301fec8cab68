package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /**
     * Small settings (2,000 embedded images, 4 epochs): in the first epoch D learns to tell most
     * generated image from a real one; as G learns, D's accuracy on generated images falls, at
     * every later epoch end and on the batches, while it still knows real test images.
     */
    @Test
    void discriminatorAccuracyOnGeneratedImagesDrops() throws Exception {
        var r = GanExample.run(TrainExample.loadEmbedded(1), 3000, 5, 32, 1e-3f, 1, dir, out);
        var e = r.epochs();
        assertThat(e).hasSize(5);
        assertThat(r.startFakeAccuracy()).isGreaterThan(0.8);
        assertThat(e.get(4).fakeAccuracy()).isLessThan(r.startFakeAccuracy() - 0.2);
        assertThat(e.get(4).dLoss()).isGreaterThan(e.get(1).dLoss());
        assertThat(java.util.Arrays.stream(r.stepDLoss()).allMatch(Double::isFinite)).isTrue();
        assertThat(r.stepDLoss()).hasSize(5 * 47);

        int cell = 28 * 3 + 4, cap = 16;
        PlotTest.png(dir.resolve("samples.png"), 10 * cell + 4, 6 * (cell + cap) + 4 + Images.TITLE_BAND);
        PlotTest.png(dir.resolve("losses.png"), 1600, 560);
        assertThat(r.files()).startsWith(dir.resolve("samples.png"), dir.resolve("losses.png"));
        // README: latent arithmetic (A − B + C) — drawn only when the generator draws the classes of some equation
        if (r.equations().isEmpty()) assertThat(buf.toString(StandardCharsets.UTF_8)).contains("train longer");
        else assertThat(r.files()).hasSize(3).endsWith(dir.resolve("arithmetic.png"));
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("epoch 5: D loss", "at the start (best 10-batch mean of epoch 1)", "samples named by their nearest training image",
                "wrote " + dir.resolve("losses.png"));
    }

    /** The same seed gives the same numbers (z comes from seeded generators only). */
    @Test
    void deterministicForASeed() throws Exception {
        var data = TrainExample.loadEmbedded(1);
        var a = GanExample.run(data, 300, 1, 8, 1e-3f, 7, dir.resolve("a"), out);
        var b = GanExample.run(data, 300, 1, 8, 1e-3f, 7, dir.resolve("b"), out);
        assertThat(b.epochs().get(0).withoutTime()).isEqualTo(a.epochs().get(0).withoutTime());
        assertThat(b.stepGLoss()).containsExactly(a.stepGLoss());
        assertThat(b.equations()).isEqualTo(a.equations());
    }

    @Test
    void badOptionsAreRefusedNamingTheExample() {
        assertThatThrownBy(() -> GanExample.main(new String[] {"--hidden", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gan: unknown option '--hidden'");
        assertThatThrownBy(() -> GanExample.main(new String[] {"--limit", "10"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gan: --epochs must be at least 1, --limit at least 64 and --latent at least 1");
    }
}
