package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** 103 samples whose feature is their own index. */
    static TensorDataset indexed(int n) {
        return new TensorDataset(Tensor.arange(n).reshape(n, 1), Tensor.arange(n));
    }

    private static List<Float> epoch(DataLoader loader, int e) {
        List<Float> seen = new ArrayList<>();
        for (Batch b : loader.epoch(e)) for (float v : b.features().data()) seen.add(v);
        return seen;
    }

    @Test
    void everySampleOncePerEpochInANewOrderEachEpoch() {
        DataLoader loader = new DataLoader(indexed(103), 10, true, 7);
        assertThat(loader.batches()).isEqualTo(11);
        List<Float> e0 = epoch(loader, 0), e1 = epoch(loader, 1);
        assertThat(e0).hasSize(103).doesNotHaveDuplicates();
        assertThat(new HashSet<>(e0)).isEqualTo(new HashSet<>(e1));
        assertThat(e0).isNotEqualTo(e1);
        assertThat(epoch(new DataLoader(indexed(103), 10, true, 7), 1)).as("same seed, same order").isEqualTo(e1);
        assertThat(epoch(new DataLoader(indexed(103), 10, false, 7), 0)).isSorted();
        for (Batch b : loader.epoch(0)) {
            assertThat(b.labels().toArray()).containsExactly(b.features().reshape(-1).toArray());
        }
    }

    @Test
    void dropLastSkipsTheShortBatch() {
        DataLoader loader = new DataLoader(indexed(103), 10, true, 1, true);
        assertThat(loader.batches()).isEqualTo(10);
        assertThat(epoch(loader, 0)).hasSize(100);
        assertThatThrownBy(() -> new DataLoader(indexed(3), 0, true, 1)).hasMessageContaining("batch size must be >= 1");
    }

    @Test
    void randomSplitsAreDisjointAndCoverTheData() {
        Subset[] parts = Splits.randomSplit(indexed(100), 3, 70, 20, 10);
        assertThat(parts[0].size()).isEqualTo(70);
        assertThat(parts[2].size()).isEqualTo(10);
        Set<Integer> all = new HashSet<>();
        for (Subset s : parts) for (int i : s.indices()) assertThat(all.add(i)).isTrue();
        assertThat(all).hasSize(100);
        Subset[] byFraction = Splits.randomSplit(indexed(101), 3, 0.8, 0.2);
        assertThat(byFraction[0].size() + byFraction[1].size()).isEqualTo(101);
        assertThatThrownBy(() -> Splits.randomSplit(indexed(10), 1, 5, 4)).hasMessageContaining("add up to 9 but the dataset has 10");
        assertThat(parts[1].batch(new int[] {0}).labels().item()).isEqualTo((float) parts[1].indices()[0]);
    }

    @Test
    void bootstrapDrawsWithReplacement() {
        Subset b = Splits.bootstrap(indexed(1000), 5);
        assertThat(b.size()).isEqualTo(1000);
        long distinct = Arrays.stream(b.indices()).distinct().count();
        // about 1 − 1/e ≈ 63% of the samples appear
        assertThat(distinct).isBetween(580L, 680L);
    }

    @Test
    void standardizerFitsOnTrainingDataOnly() {
        Tensor train = Tensor.of(new float[] {1, 10, 3, 30}, 2, 2);
        Standardizer s = Standardizer.fit(train, true);
        assertThat(s.transform(train).toArray()).containsExactly(-1, -1, 1, 1);
        assertThat(s.transform(Tensor.of(new float[] {2, 20}, 1, 2)).toArray()).containsExactly(0, 0);
        assertThat(Standardizer.fit(train, false).transform(train).toArray()).containsExactly(-1, -10, 1, 10);
        assertThatThrownBy(() -> s.transform(Tensor.ones(1, 3))).hasMessageContaining("fitted on 2 features per sample, got 3");
    }

    /** Random features [500, 4], the last constant: each standardised column has mean 0 and population std 1 (the constant one only centred). */
    @Test
    void standardizedColumnsHaveZeroMeanAndUnitPopulationStd() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int n = 500, d = 4;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d] = (float) rnd.nextDouble(-5, 20);
            x[i * d + 1] = (float) (1e4 + rnd.nextGaussian());   // a large offset: a one-pass Σx² would cancel
            x[i * d + 2] = (float) (0.001 * rnd.nextGaussian());
            x[i * d + 3] = 7f;
        }
        float[] y = Standardizer.fit(Tensor.of(x, n, d), true).transform(Tensor.of(x, n, d)).toArray();
        for (int j = 0; j < d; j++) {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += y[i * d + j];
            m /= n;
            for (int i = 0; i < n; i++) v += (y[i * d + j] - m) * (y[i * d + j] - m);
            assertThat(m).as("mean of column %d", j).isCloseTo(0, org.assertj.core.data.Offset.offset(j == 1 ? 1e-3 : 1e-5));   // floats near 1e4 are 1e-3 apart
            assertThat(Math.sqrt(v / n)).as("std of column %d", j).isCloseTo(j == 3 ? 0 : 1, org.assertj.core.data.Offset.offset(j == 1 ? 2e-3 : 1e-5));
        }
    }
}
