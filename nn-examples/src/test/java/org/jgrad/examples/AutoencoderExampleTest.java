package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /** Small settings (2,000 embedded images, 3 epochs): the 2-number code beats the mean image and the untrained net. */
    @Test
    void beatsTheMeanImageAndItsOwnStart() throws Exception {
        var r = AutoencoderExample.run(TrainExample.loadEmbedded(1), 2000, 3, 2e-3f, 1, dir, out);
        assertThat(r.finalLoss()).isLessThan(0.7 * r.meanImageLoss()).isLessThan(r.initialLoss());
        assertThat(r.testLossPerEpoch()).hasSize(3);
        assertThat(AutoencoderExample.LATENT).as("README: a 2-number code").isEqualTo(2);
        assertThat(r.testLossPerEpoch()[2]).isEqualTo(r.finalLoss());
        int cell = 28 * 4 + 4;
        org.jgrad.examples.plot.PlotTest.png(dir.resolve("reconstructions.png"), 10 * cell + 4, 2 * (cell + 16) + 4 + org.jgrad.examples.plot.Images.TITLE_BAND);
        org.jgrad.examples.plot.PlotTest.png(dir.resolve("latent.png"), 900, 640);
        assertThat(r.files()).containsExactly(dir.resolve("reconstructions.png"), dir.resolve("latent.png"));
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("always the mean training image", "epoch 3:",
                "wrote " + dir.resolve("latent.png"));
    }

    /** Pixels 0 and 2 in training average to 1; a test pixel of 3 is 2 away: MSE 4. */
    @Test
    void meanImageBaselineIsThePixelwiseMeanSquaredDistance() {
        Tensor train = Tensor.of(new float[2 * 784], 2, 784);
        for (int p = 0; p < 784; p++) train.data()[784 + p] = 2;
        Tensor test = Tensor.full(3f, 1, 784);
        assertThat(AutoencoderExample.meanImageLoss(train, test)).isCloseTo(4.0, offset(1e-12));
    }

    @Test
    void badOptionsAreRefusedNamingTheExample() {
        assertThatThrownBy(() -> AutoencoderExample.main(new String[] {"--latent", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoencoder: unknown option '--latent'");
        assertThatThrownBy(() -> AutoencoderExample.main(new String[] {"--epochs", "0"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoencoder: --epochs and --limit must be at least 1");
        assertThatThrownBy(() -> AutoencoderExample.main(new String[] {"--lr", "fast"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoencoder: --lr expects a number, got 'fast'");
    }
}
