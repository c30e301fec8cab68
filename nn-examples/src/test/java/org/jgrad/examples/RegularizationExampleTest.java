package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.examples.plot.Plot;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegularizationExampleTest {

    @TempDir
    Path dir;

    @Test
    void thePlainNetworkFitsTheNoiseAndL2GeneralisesBetter() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // a narrower, shorter run than the default; the claims held for seeds 1-6 at these settings
        var r = RegularizationExample.main(new String[] {"--out", dir.toString(), "--width", "100", "--epochs", "1000", "--seed", "1"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        var plain = r.plain();
        var l2 = r.l2();
        assertThat(plain.trainLoss()).isLessThan(l2.trainLoss());
        assertThat(plain.validationLoss()).isGreaterThan(l2.validationLoss());
        assertThat(plain.trainLoss()).as("the plain network nearly interpolates 12 noisy points").isLessThan(0.3 * 0.3 / 4);
        assertThat(l2.validationLoss()).as("no model beats the noise").isGreaterThan(0.3 * 0.3 * 0.8);
        for (var run : r.runs()) {
            assertThat(run.trainCurve()).hasSize(1000);
            assertThat(run.validationCurve()).hasSize(1000);
            assertThat(run.trainLoss()).isEqualTo(run.trainCurve()[999]);
        }
        assertThat(r.dropout().name()).startsWith("dropout");

        assertThat(r.files()).hasSize(2);
        PlotTest.png(r.files().get(0), Plot.WIDTH, Plot.HEIGHT);
        PlotTest.png(r.files().get(1), 2 * RegularizationExample.LOSS_WIDTH, RegularizationExample.LOSS_HEIGHT);
        String text = buf.toString(StandardCharsets.UTF_8);
        for (Path f : r.files()) assertThat(text).contains("wrote " + f);
        assertThat(text).contains("validation MSE", "noise variance, 0.0900");
        assertThat(text).as("README: a wide network on 12 points").contains("12 noisy points of sin(2πx)");
        assertThat(r.runs()).extracting(RegularizationExample.Run::name).hasSize(3);
    }

    @Test
    void badOptionsAreRefused() {
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> RegularizationExample.main(new String[] {"--l2", "0.1"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regularization: unknown option '--l2'");
        assertThatThrownBy(() -> RegularizationExample.main(new String[] {"--dropout", "1", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regularization: --dropout must be in [0, 1), got 1");
        assertThatThrownBy(() -> RegularizationExample.main(new String[] {"--lambda", "-0.5", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regularization: --lambda must be ≥ 0, got -0.5");
    }
}
