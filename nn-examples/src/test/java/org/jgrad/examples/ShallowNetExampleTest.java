package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.examples.plot.Plot;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShallowNetExampleTest {

    @TempDir
    Path dir;

    @Test
    void threeUnitsMakeThreeJointsAndMoreUnitsFitBetter() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = ShallowNetExample.main(new String[] {"--out", dir.toString(), "--epochs", "800", "--starts", "2", "--seed", "2"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));

        // (a) joints at −θd0/θd1 = 0.4, 1, 1.6; the output bends there and nowhere else
        assertThat(r.handJoints()).hasSize(3);
        assertThat(r.handJoints()[0]).isCloseTo(0.4, offset(1e-6));
        assertThat(r.handJoints()[1]).isCloseTo(1.0, offset(1e-6));
        assertThat(r.handJoints()[2]).isCloseTo(1.6, offset(1e-6));
        assertThat(r.handKinks()).isEqualTo(3);
        assertThat(r.maxSecondDifference()).isLessThan(1e-5);

        // (b) the error falls with the width and 50 units fit sin(2πx) closely
        assertThat(r.hidden()).containsExactly(3, 10, 50);
        assertThat(r.mse()[0]).isGreaterThan(r.mse()[1]);
        assertThat(r.mse()[1]).isGreaterThan(r.mse()[2]);
        assertThat(r.mse()[2]).isLessThan(1e-3);
        for (int k = 0; k < 3; k++) assertThat(r.joints()[k]).isBetween(1, r.hidden()[k]);   // D units, at most D joints

        assertThat(r.files()).hasSize(2);
        for (Path f : r.files()) {
            PlotTest.png(f, Plot.WIDTH, Plot.HEIGHT);
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("wrote " + f);
        }
    }

    @Test
    void kinksAreCountedFromTheSampledCurve() {
        double[] x = {0, 1, 2, 3, 4, 5, 6}, y = {0, 0, 0, 1, 2, 2, 2};   // bends at x = 2 and x = 4
        assertThat(ShallowNetExample.kinks(x, y)).isEqualTo(2);
        assertThat(ShallowNetExample.secondDifferenceAwayFrom(x, y, new double[] {2, 4})).isZero();
        assertThat(ShallowNetExample.secondDifferenceAwayFrom(x, y, new double[] {2})).isEqualTo(1);
    }

    @Test
    void badOptionsAreRefused() {
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> ShallowNetExample.main(new String[] {"--hidden", "9"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shallow: unknown option '--hidden'");
        assertThatThrownBy(() -> ShallowNetExample.main(new String[] {"--epochs", "0", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shallow: --epochs must be at least 1, got 0");
        assertThatThrownBy(() -> ShallowNetExample.main(new String[] {"--seed", "1.5"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shallow: --seed expects a whole number, got '1.5'");
    }
}
