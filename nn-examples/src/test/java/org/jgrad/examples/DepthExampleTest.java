package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course's claim: with the same parameter budget, deeper networks fit random labels faster.
 *
 * <p>The test runs on 500 examples with a learning rate of 0.1 for 300 full-batch steps (about
 * two seconds). At the course's settings (4000 examples, lr 0.0025) the networks need thousands
 * of steps before they memorise anything — the first thousand mostly undo the overconfident
 * outputs of the He initialisation — which is too slow for a unit test. On these settings the
 * final losses fall with every layer added (seeds 1–3 measured: about 0.84, 0.49, 0.29, 0.14).
 */
class DepthExampleTest {

    @TempDir
    Path dir;

    @Test
    void deeperNetworksOfTheSameSizeFitRandomLabelsFaster() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = DepthExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8), 500, 300, 0.1, 1, dir);
        String printed = buf.toString(StandardCharsets.UTF_8);

        assertThat(r.parameters()).containsExactly(15_208, 15_210, 15_235, 15_319);
        for (double[] curve : r.losses()) assertThat(curve).hasSize(301);
        for (int depth = 2; depth <= 4; depth++) {
            assertThat(r.finalLoss(depth)).as("%d hidden layers end below %d", depth, depth - 1).isLessThan(r.finalLoss(depth - 1));
        }
        assertThat(r.finalLoss(4)).as("4 layers end far below 1").isLessThan(r.finalLoss(1) / 2);
        assertThat(r.accuracy()[3]).as("the deepest network has memorised the random labels").isGreaterThan(0.95);
        assertThat(r.accuracy()[0]).as("the shallow one has not yet").isLessThan(r.accuracy()[3]);

        assertThat(r.files()).containsExactly(dir.resolve("depth.png"));
        BufferedImage img = ImageIO.read(r.files().get(0).toFile());
        assertThat(img).as("a readable PNG").isNotNull();
        assertThat(new int[] {img.getWidth(), img.getHeight()}).containsExactly(800, 560);
        assertThat(printed).contains("the lecture's slide says 15,139 parameters for the 4-layer network; counted here: 15,319");
        assertThat(printed).contains("15,208 parameters", "4 hidden layers of  63 units", "wrote " + dir.resolve("depth.png"));
        // README: "1–4 hidden layers of ~15,000 parameters (298/100/75/63 units) fitting MNIST-1D with random labels by full-batch gradient descent"
        assertThat(printed).contains("1 hidden layer  of 298 units", "2 hidden layers of 100 units", "3 hidden layers of  75 units",
                "MNIST-1D, 500 training examples with random labels; full-batch gradient descent");
    }

    @Test
    void badOptionsAreRefusedWithTheExampleNamed() {
        var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DepthExample.main(new String[] {"--epoch", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth").hasMessageContaining("epoch");
        assertThatThrownBy(() -> DepthExample.main(new String[] {"--lr", "-1", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth: --lr must be positive, got -1");
        assertThatThrownBy(() -> DepthExample.main(new String[] {"--samples", "0", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth: --samples must be at least 1, got 0");
    }
}
