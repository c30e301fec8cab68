package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jgrad.nn.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionsExampleTest {

    @TempDir
    Path dir;

    @Test
    void eightUnitsMake37RegionsAndBothOutputsShareTheirJoints() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = RegionsExample.main(new String[] {"--out", dir.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);

        assertThat(r.hidden()).isEqualTo(8);
        assertThat(r.formula()).isEqualTo(37);
        assertThat(r.byCrossings()).isEqualTo(37);
        assertThat(r.onGrid()).isEqualTo(37);
        assertThat(text).contains("1 + D + C(D,2) = 1 + 8 + 28 = 37");

        // one plane per region: the float network's difference quotients agree to float rounding
        assertThat(r.gradientSpread()).isLessThan(1e-4);
        // each output bends on every one of the D lines, by φ_od·(θ_d1, θ_d2): the joints are shared
        for (int o = 0; o < 2; o++) {
            for (int d = 0; d < 8; d++) {
                assertThat(r.expectedJumps()[o][d]).isPositive();
                assertThat(r.jumps()[o][d]).isCloseTo(r.expectedJumps()[o][d], offset(1e-3 * (1 + r.expectedJumps()[o][d])));
            }
        }

        assertThat(r.file()).exists();
        BufferedImage img = ImageIO.read(r.file().toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(4 * RegionsExample.PANEL + 5 * RegionsExample.GAP);
        assertThat(text).contains("wrote " + r.file());
    }

    @Test
    void countedRegionsMatchTheFormulaForRandomNetworks() {
        for (int hidden : new int[] {1, 2, 3, 5, 8, 12}) {
            for (long seed = 1; seed <= 5; seed++) {
                double[][] th = RegionsExample.lines((Linear) RegionsExample.network(hidden, seed).get(0));
                long formula = 1 + hidden + (long) hidden * (hidden - 1) / 2;
                assertThat(RegionsExample.generalPosition(th)).isTrue();
                assertThat(RegionsExample.shallowRegions(2, hidden)).isEqualTo(BigInteger.valueOf(formula));
                assertThat(RegionsExample.regionsByCrossings(th)).as("D = %d, seed %d, around the crossings", hidden, seed)
                        .isEqualTo(formula);
                // a grid can only miss regions (those thinner than its spacing), never invent one
                assertThat(RegionsExample.regionsOnGrid(th, RegionsExample.countBox(th), 2001))
                        .as("D = %d, seed %d, on the grid", hidden, seed).isLessThanOrEqualTo((int) formula);
            }
        }
        // where no region is thinner than the grid's spacing (found by running it), the grid finds them all
        long[][] resolved = {{1, 1}, {1, 5}, {2, 1}, {2, 5}, {3, 1}, {3, 5}, {4, 1}, {4, 5}, {5, 2}, {5, 3}, {5, 5}, {6, 1}, {6, 5},
                {8, 1}, {8, 5}};
        for (long[] c : resolved) {
            double[][] th = RegionsExample.lines((Linear) RegionsExample.network((int) c[0], c[1]).get(0));
            assertThat(RegionsExample.regionsOnGrid(th, RegionsExample.countBox(th), 2001)).as("D = %d, seed %d, on the grid", c[0], c[1])
                    .isEqualTo(RegionsExample.regionsByCrossings(th));
        }
    }

    @Test
    void theFiguresForBigNetworksComeFromTheFormula() {
        // one hidden layer: Σ_{j=0..Di} C(D, j), and D·(Di + 2) + 1 parameters
        assertThat(RegionsExample.shallowRegions(10, 50)).isEqualTo(BigInteger.valueOf(13_432_735_556L));
        assertThat(RegionsExample.shallowParams(10, 50)).isEqualTo(601);
        assertThat(RegionsExample.shallowWithParams(471)).allSatisfy(p -> {
            assertThat(RegionsExample.shallowParams(p[0], p[1])).isEqualTo(471);
            assertThat(RegionsExample.shallowRegions(p[0], p[1])).isNotEqualTo(BigInteger.valueOf(161_501));
        });
        // the lecture's networks have K = 5 hidden layers
        assertThat(RegionsExample.deepParams(1, 10, 5)).isEqualTo(471);
        assertThat(RegionsExample.deepUpper(1, 10, 5)).isEqualTo(BigInteger.valueOf(161_051));
        assertThat(RegionsExample.deepParams(10, 50, 5)).isEqualTo(10_801);
        assertThat(RegionsExample.deepLower(10, 50, 5).toString()).hasSize(39);
        assertThat(RegionsExample.deepUpper(10, 50, 5).toString()).hasSize(51);
        assertThat(RegionsExample.magnitude(RegionsExample.deepLower(10, 50, 5))).isEqualTo("1.22e38 (39 digits)");
    }

    @Test
    void badOptionsAreRefused() {
        var out = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> RegionsExample.main(new String[] {"--hidden", "0", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regions: --hidden must be between 1 and 62, got 0");
        assertThatThrownBy(() -> RegionsExample.main(new String[] {"--seed", "x"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regions: --seed expects a whole number, got 'x'");
        assertThatThrownBy(() -> RegionsExample.main(new String[] {"--epochs", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regions: unknown option '--epochs'");
    }
}
