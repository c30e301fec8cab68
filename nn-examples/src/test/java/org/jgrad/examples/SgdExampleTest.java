package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.jgrad.examples.plot.Plot;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SgdExampleTest {

    @TempDir
    Path dir;

    @Test
    void copiesMinibatchVarianceAndRobbinsMonroBehaveAsTheLectureSays() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // the defaults but fewer draws and chains; the claims held with margin for seeds 1-6
        var r = SgdExample.main(new String[] {"--out", dir.toString(), "--draws", "300", "--chains", "100", "--seed", "1"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));

        var c = r.copies();
        assertThat(c.maxDifference()).as("10 copies have the gradient of the originals, up to float rounding").isLessThan(1e-5);
        assertThat(c.singleRelativeError()).as("one minibatch is noisy").isGreaterThan(0.05);
        assertThat(c.averagedRelativeError()).as("but unbiased: the mean of 300 is close to the full gradient")
                .isLessThan(3 * c.singleRelativeError() / Math.sqrt(300)).isLessThan(0.05);
        double fullDecrease = c.startLoss() - c.fullStepLoss(), miniDecrease = c.startLoss() - c.minibatchStepLoss();
        assertThat(fullDecrease).isPositive();
        assertThat(miniDecrease).as("a minibatch step moves almost as far as a full one").isGreaterThan(0.9 * fullDecrease);

        var v = r.variance();
        assertThat(v.batchSizes()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256);
        double[] scaled = v.scaled();
        double mean = Arrays.stream(scaled).average().orElseThrow();
        for (double s : scaled) assertThat(s).as("B·variance is constant").isBetween(mean / 1.5, mean * 1.5);
        assertThat(mean).as("and equals V, the variance of one sample's gradient").isCloseTo(v.perSample(), within(0.15 * v.perSample()));
        assertThat(v.slope()).as("log-log slope").isCloseTo(-1, within(0.1));

        var st = r.steps();
        assertThat(st.floor()).isCloseTo(0.1 / 1.9, within(1e-12));
        assertThat(st.constantTail()).as("a constant step stalls at its noise floor").isCloseTo(st.floor(), within(0.15 * st.floor()));
        assertThat(st.robbinsMonroFinal()).as("Robbins–Monro keeps going").isLessThan(st.floor() / 20)
                .isCloseTo(st.robbinsMonroExpected(), within(0.5 * st.robbinsMonroExpected()));
        assertThat(st.constant()).hasSize(2000);
        assertThat(st.robbinsMonro()).hasSize(2000);

        assertThat(r.files()).hasSize(2);
        for (Path f : r.files()) PlotTest.png(f, Plot.WIDTH, Plot.HEIGHT);
        String text = buf.toString(StandardCharsets.UTF_8);
        for (Path f : r.files()) assertThat(text).contains("wrote " + f);
        assertThat(text).contains("10 copies of 100 samples (1000 samples)", "floor ησ²/(2 − η) = 0.0526", "B·measured");
    }

    @Test
    void badOptionsAreRefused() {
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> SgdExample.main(new String[] {"--batch", "8"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgd: unknown option '--batch'");
        assertThatThrownBy(() -> SgdExample.main(new String[] {"--lr", "2.5", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgd: --lr must be in (0, 2)").hasMessageContaining("got 2.5");
        assertThatThrownBy(() -> SgdExample.main(new String[] {"--copies", "1", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgd: --copies must be at least 2, got 1");
        assertThatThrownBy(() -> SgdExample.main(new String[] {"--steps", "many"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgd: --steps expects a whole number, got 'many'");
    }
}
