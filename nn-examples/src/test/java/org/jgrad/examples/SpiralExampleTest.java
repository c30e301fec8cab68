package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpiralExampleTest {

    @TempDir
    Path dir;

    @Test
    void aLinearModelCannotSeparateTheSpiralAReluNetworkCan() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = SpiralExample.main(new String[] {"--out", dir.toString(), "--epochs", "200", "--seed", "3"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(r.networkAccuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.linearAccuracy()).isLessThan(0.70).isGreaterThan(1.0 / 3);   // better than chance, far from separating
        assertThat(r.networkLoss()).isLessThan(r.linearLoss());

        int side = SpiralExample.MAP, titled = side + 28;   // Images.regions adds a 28-pixel title bar
        assertThat(r.files()).hasSize(3);
        PlotTest.png(r.files().get(0), side, titled);
        PlotTest.png(r.files().get(1), side, titled);
        PlotTest.png(r.files().get(2), 2 * side + SpiralExample.GAP, titled);
        String text = buf.toString(StandardCharsets.UTF_8);
        for (Path f : r.files()) assertThat(text).contains("wrote " + f);
        assertThat(text).contains("linear softmax 2→3", "train accuracy");
    }

    /** The README's figures, at the defaults `./jgrad spiral` uses (1000 Adam steps, seed 1): linear softmax 51%, the ReLU network 99%. */
    @Test
    void theDefaultRunGivesTheReadmeFigures() throws Exception {
        var r = SpiralExample.main(new String[] {"--out", dir.toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(r.linearAccuracy()).as("linear softmax, README: 51%%").isCloseTo(0.51, org.assertj.core.api.Assertions.offset(0.005));
        assertThat(r.networkAccuracy()).as("2-layer ReLU network, README: 99%%").isCloseTo(0.99, org.assertj.core.api.Assertions.offset(0.005));
    }

    @Test
    void badOptionsAreRefused() {
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> SpiralExample.main(new String[] {"--epoch", "9"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spiral: unknown option '--epoch'");
        assertThatThrownBy(() -> SpiralExample.main(new String[] {"--lr", "fast"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spiral: --lr expects a number, got 'fast'");
        assertThatThrownBy(() -> SpiralExample.main(new String[] {"--hidden", "0", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spiral: --hidden must be at least 1, got 0");
    }
}
