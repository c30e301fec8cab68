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
 * The four pathologies at the defaults (seed 1, depth 20). Measured with seed 1: sigmoid's
 * first/last gradient ratio 3.8e-17 with the default init, He-initialised ReLU 1.1; dead units
 * 0 at lr 0.05, 22 at lr 0.5, 25 at lr 0.5 with bias 0.1; the collapsed layer within 1e-7; zig-zag
 * 305 steps with positive inputs, 25 with centred ones. Only what holds robustly is asserted.
 */
class PathologiesExampleTest {

    @TempDir
    Path dir;

    @Test
    void theFourPathologiesShowAsDescribed() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = PathologiesExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8), dir, 1, 20);
        String printed = buf.toString(StandardCharsets.UTF_8);

        // 1. vanishing gradients
        var g = r.gradients();
        assertThat(g).hasSize(8);
        for (var n : g.values()) {
            assertThat(n.norms()).hasSize(20);
            for (double v : n.norms()) assertThat(v).as(n.name()).isFinite().isPositive();
        }
        assertThat(g.get("sigmoid, default init").ratio()).as("sigmoid's gradient vanishes: orders of magnitude").isLessThan(1e-8);
        assertThat(g.get("tanh, default init").ratio()).isLessThan(1e-2);
        assertThat(g.get("ReLU, default init").ratio()).isLessThan(1e-4);
        assertThat(g.get("ReLU, He").ratio()).as("He init keeps the gradient's size").isBetween(0.1, 10.0);
        assertThat(g.get("tanh, Xavier").ratio()).isBetween(0.1, 10.0);
        assertThat(g.get("ReLU residual, default init").ratio()).isBetween(0.1, 10.0);
        assertThat(g.get("ReLU + BatchNorm, default init").ratio()).as("no vanishing with BatchNorm").isGreaterThan(0.1);
        assertThat(printed).contains("0.25^19 = 3.6e-12", "first / last");

        // 2. dead ReLUs: a too-large learning rate kills units, a normal one (almost) none
        var d = r.dead();
        assertThat(d.largeLr()).as("lr 0.5 kills more units than lr 0.05").isGreaterThan(d.normalLr() + 5);
        assertThat(d.normalLr()).isLessThanOrEqualTo(2);
        assertThat(d.largeLrPositiveBias()).isBetween(0, 32);

        // 3. five Linear layers are one
        assertThat(r.collapseMaxDiff()).isLessThan(1e-5);
        assertThat(printed).contains("one Linear 6→3 (21 parameters)");

        // 4. zig-zag: with positive inputs every step moves both weights the same way
        var pos = r.positive();
        var cen = r.centred();
        assertThat(pos.mixedSignSteps()).isZero();
        assertThat(pos.sameSignSteps()).isEqualTo(pos.stepsToTol());
        assertThat(pos.reversals()).as("the staircase alternates (+,+) and (−,−)").isGreaterThan(pos.stepsToTol() / 4);
        assertThat(cen.mixedSignSteps()).as("centred inputs can point at the optimum").isPositive();
        assertThat(cen.stepsToTol()).isPositive();
        assertThat(pos.stepsToTol()).as("centred inputs converge in far fewer steps").isGreaterThan(3 * cen.stepsToTol());
        assertThat(pos.conditionNumber()).isGreaterThan(cen.conditionNumber());

        assertThat(r.files()).containsExactly(dir.resolve("vanishing.png"), dir.resolve("dead-relu.png"), dir.resolve("zigzag.png"));
        for (Path f : r.files()) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertThat(img).as("a readable PNG %s", f).isNotNull();
            assertThat(printed).contains("wrote " + f);
        }
    }

    @Test
    void badOptionsAreRefusedWithTheExampleNamed() {
        var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PathologiesExample.main(new String[] {"--depht", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathologies").hasMessageContaining("depht");
        assertThatThrownBy(() -> PathologiesExample.main(new String[] {"--depth", "1", "--out", dir.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathologies: --depth must be at least 2, got 1");
        assertThatThrownBy(() -> PathologiesExample.main(new String[] {"--seed", "x"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathologies: --seed expects a whole number, got 'x'");
    }
}
