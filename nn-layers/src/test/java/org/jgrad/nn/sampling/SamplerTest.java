package org.jgrad.nn.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {0.5f, 2f, -1f, 1.5f, 0f, 1.9f};

    @Test
    void greedyPicksTheArgmax() {
        assertThat(Sampler.greedy().next(LOGITS)).isEqualTo(1);
        assertThat(Sampler.greedy().next(new float[] {3f, 3f, 1f})).isZero();
        assertThat(Sampler.greedy().next(Tensor.of(new float[] {0, 1, 5, 2, 0, 1}, 2, 3))).containsExactly(2, 0);
        assertThat(Sampler.temperature(0, new SplittableRandom(1)).next(LOGITS)).isEqualTo(1);
    }

    @Test
    void topKNeverLeavesTheTopK() {
        var s = Sampler.topK(3, 2.0, new SplittableRandom(2));
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < 5000; i++) counts[s.next(LOGITS)]++;
        assertThat(counts[0] + counts[2] + counts[4]).isZero();
        assertThat(counts[1]).isPositive();
        assertThat(counts[3]).isPositive();
        assertThat(counts[5]).isPositive();
        assertThat(Sampler.topK(1, 1.0, new SplittableRandom(3)).next(LOGITS)).isEqualTo(1);
    }

    @Test
    void temperatureSamplesFollowTheSoftmax() {
        double temperature = 0.7;
        double[] p = Sampler.probabilities(LOGITS, LOGITS.length, temperature);
        var s = Sampler.temperature(temperature, new SplittableRandom(4));
        int n = 20000;
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < n; i++) counts[s.next(LOGITS)]++;
        for (int i = 0; i < p.length; i++) {
            double sd = Math.sqrt(p[i] * (1 - p[i]) / n);
            assertThat(counts[i] / (double) n).isCloseTo(p[i], within(5 * sd + 1e-9));
        }
    }

    @Test
    void sameSeedSameSamples() {
        int[] a = new int[50], b = new int[50];
        var s1 = Sampler.topK(4, 1.3, new SplittableRandom(9));
        var s2 = Sampler.topK(4, 1.3, new SplittableRandom(9));
        for (int i = 0; i < 50; i++) {
            a[i] = s1.next(LOGITS);
            b[i] = s2.next(LOGITS);
        }
        assertThat(a).containsExactly(b);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Sampler.topK(0, 1, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be positive, got 0");
        assertThatThrownBy(() -> Sampler.temperature(-1, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature must be finite and ≥ 0, got -1.0");
        assertThatThrownBy(() -> Sampler.greedy().next(new float[] {1, Float.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logit 1 is NaN");
    }
}
