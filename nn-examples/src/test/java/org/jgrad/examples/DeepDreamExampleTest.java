package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepDreamExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /**
     * Short settings (one epoch on 2,000 images, two octaves of 12 steps): every chosen unit of
     * the second conv layer fires more on its dream than on the start image, no weight moved, and
     * both pictures are written.
     */
    @Test
    void everyUnitFiresMoreOnItsDreamAndTheWeightsStay() throws Exception {
        var r = DeepDreamExample.main(new String[] {"--out", dir.toString(), "--epochs", "1", "--limit", "2000", "--steps", "12",
                "--octaves", "2", "--units", "0,3,6,9"}, out);
        assertThat(r.units()).containsExactly(0, 3, 6, 9);
        for (int i = 0; i < r.units().length; i++) {
            assertThat(r.after()[i]).as("unit %d: dream vs start", r.units()[i]).isGreaterThan(r.before()[i] + 0.05f);
        }
        assertThat(r.weightsUnchanged()).isTrue();
        for (Path png : r.files()) {
            assertThat(Files.size(png)).isPositive();
            assertThat(ImageIO.read(png.toFile())).isNotNull();
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("module 3 (Conv2d)", "octave 20x20", "octave 28x28",
                "bitwise unchanged", "top-items.png");
        // README: with jitter, octaves and a total-variation penalty; each unit's activation before and after
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("2 octaves × 12 steps", "jitter ±", "total variation λ", "mean activation: start  dream");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> DeepDreamExample.main(new String[] {"--out", dir.toString(), "--units", "0,99"}, out))
                .hasMessageContaining("unit 99 does not exist: the layer has channels 0..31");
        assertThatThrownBy(() -> DeepDreamExample.main(new String[] {"--out", dir.toString(), "--layer", "7"}, out))
                .hasMessageContaining("--layer must name one of the convolutional part's modules 0..5");
        assertThatThrownBy(() -> DeepDreamExample.main(new String[] {"--out", dir.toString(), "--units", "a"}, out))
                .hasMessageContaining("--units expects channel numbers separated by commas");
    }

    @Test
    void rollAndResizeKeepImagesApart() {
        float[] x = new float[2 * 3 * 4];
        for (int i = 0; i < x.length; i++) x[i] = i;
        assertThat(DeepDreamExample.roll(DeepDreamExample.roll(x, 2, 3, 4, 1, -2), 2, 3, 4, -1, 2)).isEqualTo(x);
        assertThat(DeepDreamExample.roll(x, 2, 3, 4, 0, 1)[1]).isEqualTo(0f);          // row 0 of image 0 shifted right
        assertThat(DeepDreamExample.roll(x, 2, 3, 4, 0, 1)[12 + 1]).isEqualTo(12f);    // image 1 stays image 1
        float[] flat = new float[2 * 4 * 4];
        java.util.Arrays.fill(flat, 16, 32, 1f);                                       // image 0 all 0, image 1 all 1
        float[] small = DeepDreamExample.resize(flat, 2, 4, 4, 3, 3);
        for (int i = 0; i < 9; i++) {
            assertThat(small[i]).isEqualTo(0f);
            assertThat(small[9 + i]).isEqualTo(1f);
        }
    }
}
