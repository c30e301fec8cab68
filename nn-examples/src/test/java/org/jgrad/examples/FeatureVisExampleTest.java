package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.io.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureVisExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /**
     * The default path on small settings (the smaller CNN, one epoch on 2,000 images, 60 ascent steps):
     * every class's logit climbs by more than 3 on the image found for it, at least 8 of the 10 images
     * are given to their class with probability above 0.5, and no weight moved.
     */
    @Test
    void ascentRaisesEveryClassScoreAndLeavesTheWeightsAlone() throws Exception {
        var r = FeatureVisExample.main(new String[] {"--out", dir.toString(), "--epochs", "1", "--limit", "2000", "--steps", "60"}, out);
        assertThat(r.model()).startsWith("a smaller CNN");
        int won = 0;
        for (int c = 0; c < 10; c++) {
            assertThat(r.after()[c] - r.before()[c]).as("rise of class %d's logit", c).isGreaterThan(3f);
            if (r.probabilities()[c] > 0.5f) won++;
        }
        // after one short epoch the network still confuses Shirt with its neighbours; the rest are won outright
        assertThat(won).as("classes whose image the network assigns to them with P > 0.5").isGreaterThanOrEqualTo(8);
        assertThat(r.weightsUnchanged()).isTrue();
        org.jgrad.examples.plot.PlotTest.png(r.files().get(0), 5 * (28 * 5 + 4) + 4, 2 * (28 * 5 + 4 + 16) + 4 + org.jgrad.examples.plot.Images.TITLE_BAND);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("smaller CNN: test accuracy", "logit before", "bitwise unchanged",
                "wrote " + r.files().get(0));
    }

    /** {@code --weights}: the reference CNN's file as {@code train --model cnn} writes it (here untrained, seed 7) is loaded. */
    @Test
    void loadsTheReferenceCnnFromAWeightsFile() throws Exception {
        Path file = dir.resolve("cnn.safetensors");
        ModelFiles.save(TrainExample.model("cnn", 7), file);
        var r = FeatureVisExample.main(new String[] {"--out", dir.toString(), "--weights", file.toString(), "--steps", "6"}, out);
        assertThat(r.model()).contains("reference CNN", file.toString());
        var saved = TrainExample.model("cnn", 7).parameters();
        for (int i = 0; i < saved.size(); i++) assertThat(r.network().parameters().get(i).toArray()).isEqualTo(saved.get(i).toArray());
        for (int c = 0; c < 10; c++) assertThat(r.after()[c]).isGreaterThan(r.before()[c]);
        assertThat(r.weightsUnchanged()).isTrue();
    }

    @Test
    void badInputIsRefusedNamingTheExample() {
        Path missing = dir.resolve("none.safetensors");
        assertThatThrownBy(() -> FeatureVisExample.main(new String[] {"--weights", missing.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features: weights file " + missing + " does not exist");
        assertThatThrownBy(() -> FeatureVisExample.main(new String[] {"--steps", "0"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features: --steps and --blur-every must be at least 1");
        assertThatThrownBy(() -> FeatureVisExample.main(new String[] {"--step", "5"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features: unknown option '--step'");
    }
}
