package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopfieldExampleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    /** Four items stored on 784 neurons come back exactly from 20 % flipped pixels; the capacity curve falls near 0.14 N. */
    @Test
    void recallsStoredItemsFromCorruptedCopiesAndShowsTheCapacityLimit() throws Exception {
        var r = HopfieldExample.run(TrainExample.embedded(), 4, 0.2, 200, 2, 1, dir, out);
        assertThat(r.finalOverlaps()).containsOnly(1.0);
        for (var rec : r.recalls()) {
            // the settled state is the stored item (overlap 1), and the start had round(0.2·784) = 157 of its pixels flipped
            assertThat(HopfieldExample.overlap(rec.start(), rec.last())).isCloseTo(1 - 2 * 157 / 784.0, offset(1e-12));
            assertNonIncreasing(rec.energies());
        }
        var low = r.capacity().get(0);     // P/N = 0.02
        var high = r.capacity().get(14);   // P/N = 0.30
        assertThat(low.load()).isCloseTo(0.02, offset(1e-9));
        assertThat(low.recallRate()).isEqualTo(1.0);
        assertThat(high.recallRate()).isLessThan(0.1);
        assertThat(r.capacity().stream().filter(c -> c.load() <= 0.08)).allMatch(c -> c.recallRate() >= 0.95);
        PlotTest.png(dir.resolve("capacity.png"), 800, 560);
        PlotTest.png(dir.resolve("energy.png"), 800, 560);
        int cols = 2 + r.recalls().stream().mapToInt(x -> x.states().size()).max().orElseThrow(), cell = 28 * 4 + 4;
        PlotTest.png(dir.resolve("recall.png"), cols * cell + 4, 4 * (cell + 16) + 4 + Images.TITLE_BAND);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("P/N", "energy at the start and per sweep", "wrote " + dir.resolve("capacity.png"));
    }

    /** Random starts on a crowded network (many spurious minima): every sweep lowers the energy or keeps it, exactly. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void energyNeverRisesEvenWhenRecallFails(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 100;
        List<int[]> pats = new java.util.ArrayList<>();
        for (int p = 0; p < 30; p++) pats.add(random(n, rng));
        int[] w = HopfieldExample.hebbian(pats, n);
        for (int t = 0; t < 5; t++) {
            var rec = HopfieldExample.recall(w, random(n, rng), rng, 50);
            assertNonIncreasing(rec.energies());
            assertThat(rec.energies()[rec.energies().length - 1]).isCloseTo(HopfieldExample.energy(w, rec.last()), offset(1e-9));
        }
    }

    /** Two patterns on 3 neurons: W = ξ¹ξ¹ᵀ + ξ²ξ²ᵀ without diagonal, and E(ξ¹) = −½ ξ¹ᵀWξ¹ / 3. */
    @Test
    void hebbianWeightsAndEnergyByHand() {
        int[] a = {1, -1, 1}, b = {1, 1, -1};
        int[] w = HopfieldExample.hebbian(List.of(a, b), 3);
        assertThat(w).containsExactly(0, 0, 0, 0, 0, -2, 0, -2, 0);
        assertThat(HopfieldExample.energy(w, a)).isCloseTo(-0.5 * 4 / 3, offset(1e-12));
        assertThat(HopfieldExample.overlap(a, b)).isCloseTo(-1.0 / 3, offset(1e-12));
    }

    @Test
    void corruptFlipsExactlyTheAskedFraction() {
        int[] x = new int[50];
        java.util.Arrays.fill(x, 1);
        int[] y = HopfieldExample.corrupt(x, 0.2, new SplittableRandom(7));
        assertThat(java.util.Arrays.stream(y).filter(v -> v == -1).count()).isEqualTo(10);
        assertThat(y).isEqualTo(HopfieldExample.corrupt(x, 0.2, new SplittableRandom(7)));
    }

    @Test
    void badOptionsAreRefusedNamingTheExample() {
        assertThatThrownBy(() -> HopfieldExample.main(new String[] {"--patterns", "11"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hopfield: need 1 ≤ --patterns ≤ 10");
        assertThatThrownBy(() -> HopfieldExample.main(new String[] {"--flip", "0.7"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 ≤ --flip ≤ 0.5, got 4, 500, 4 and 0.7");
        assertThatThrownBy(() -> HopfieldExample.main(new String[] {"--size", "3"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hopfield: unknown option '--size'");
    }

    private static int[] random(int n, SplittableRandom rng) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = rng.nextBoolean() ? 1 : -1;
        return s;
    }

    private static void assertNonIncreasing(double[] e) {
        for (int i = 1; i < e.length; i++) assertThat(e[i]).as("energy after sweep %d", i).isLessThanOrEqualTo(e[i - 1]);
    }
}
