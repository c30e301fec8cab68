package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Splits.randomSplit by fractions against PyTorch's random_split rule, and Dataset.first. */
class SplitsTest {

    private static int[] sizes(int n, double... fractions) {
        Subset[] parts = Splits.randomSplit(DataLoaderTest.indexed(n), 42, fractions);
        Set<Integer> seen = new HashSet<>();
        for (Subset s : parts) for (int i : s.indices()) assertThat(seen.add(i)).as("disjoint").isTrue();
        assertThat(seen).as("covers the data").hasSize(n);
        return Arrays.stream(parts).mapToInt(Subset::size).toArray();
    }

    /**
     * PyTorch's rule by hand: floor(fraction · n) each, then the remainder one by one to the parts in
     * order (round-robin).
     */
    @Test
    void fractionSizesArePyTorchs() {
        // 5, 5; nothing left over
        assertThat(sizes(10, 0.5, 0.5)).containsExactly(5, 5);
        // floor(3.3) = 3, floor(3.3) = 3, floor(3.4) = 3: 9, 1 left over to the first part
        assertThat(sizes(10, 0.33, 0.33, 0.34)).containsExactly(4, 3, 3);
        // 7, 2, 1 (0.7 · 10 is 7.0 in double); nothing left over
        assertThat(sizes(10, 0.7, 0.2, 0.1)).containsExactly(7, 2, 1);
        // floor(2.5) = 2 four times: 8, 2 left over to the first two parts
        assertThat(sizes(10, 0.25, 0.25, 0.25, 0.25)).containsExactly(3, 3, 2, 2);
        // floor(80.8) = 80, floor(20.2) = 20: 100, 1 left over to the first part
        assertThat(sizes(101, 0.8, 0.2)).containsExactly(81, 20);
        // floor(33.33) = 33, 33, floor(34.34) = 34: 100, 1 left over to the first part
        assertThat(sizes(101, 0.33, 0.33, 0.34)).containsExactly(34, 33, 34);
        // a sum just above 1 in floating point (PyTorch refuses 0.34 + 0.56 + 0.1 = 1.0000000000000002):
        // floor(3.4) = 3, floor(5.6) = 5, 1: 9, 1 left over to the first part
        assertThat(0.34 + 0.56 + 0.1).isGreaterThan(1.0);
        assertThat(sizes(10, 0.34, 0.56, 0.1)).containsExactly(4, 5, 1);
        // an empty part is allowed
        assertThat(sizes(3, 0.1, 0.9)).containsExactly(1, 2);
        assertThat(sizes(3, 0.0, 1.0)).containsExactly(0, 3);
    }

    @Test
    void fractionsAreTheSplitOfTheirSizes() {
        Subset[] byFraction = Splits.randomSplit(DataLoaderTest.indexed(10), 9, 0.33, 0.33, 0.34);
        Subset[] bySize = Splits.randomSplit(DataLoaderTest.indexed(10), 9, 4, 3, 3);
        for (int i = 0; i < 3; i++) assertThat(byFraction[i].indices()).containsExactly(bySize[i].indices());
    }

    @Test
    void fractionErrors() {
        var ds = DataLoaderTest.indexed(10);
        assertThatThrownBy(() -> Splits.randomSplit(ds, 1, 0.5, 0.4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("randomSplit: fractions [0.5, 0.4] add up to 0.9, expected 1");
        assertThatThrownBy(() -> Splits.randomSplit(ds, 1, 0.7, 0.7))
                .hasMessage("randomSplit: fractions [0.7, 0.7] add up to 1.4, expected 1");
        assertThatThrownBy(() -> Splits.randomSplit(ds, 1, 1.2, -0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("randomSplit: fraction 1.2 at index 0 is not between 0 and 1");
        assertThatThrownBy(() -> Splits.randomSplit(ds, 1, 0.5, -0.25, 0.75))
                .hasMessage("randomSplit: fraction -0.25 at index 1 is not between 0 and 1");
        assertThatThrownBy(() -> Splits.randomSplit(ds, 1, 0.5, Double.NaN))
                .hasMessage("randomSplit: fraction NaN at index 1 is not between 0 and 1");
        assertThatThrownBy(() -> Splits.randomSplit(ds, 1, new double[0]))
                .hasMessage("randomSplit: fractions [] add up to 0.0, expected 1");
    }

    @Test
    void firstIsAViewOfTheFirstSamples() {
        var ds = DataLoaderTest.indexed(10);
        Subset three = ds.first(3);
        assertThat(three.size()).isEqualTo(3);
        assertThat(three.indices()).containsExactly(0, 1, 2);
        assertThat(three.all().labels().toArray()).containsExactly(0f, 1f, 2f);
        assertThat(three.featureShape()).containsExactly(1);
        assertThat(ds.first(0).size()).isZero();
        // beyond the size: all of them, as slicing [:n]
        assertThat(ds.first(10).indices()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ds.first(1000).size()).isEqualTo(10);
        // of a subset: its first samples, not the source's
        Subset shuffled = Splits.randomSplit(ds, 3, 10)[0];
        assertThat(shuffled.first(2).all().labels().toArray())
                .containsExactly((float) shuffled.indices()[0], (float) shuffled.indices()[1]);
        assertThat(three.toString()).startsWith("Subset(3 of ");
    }

    @Test
    void firstRefusesANegativeCount() {
        assertThatThrownBy(() -> DataLoaderTest.indexed(10).first(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first: n must be non-negative, got -1 (the dataset has 10 samples)");
    }
}
