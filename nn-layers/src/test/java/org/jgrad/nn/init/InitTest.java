package org.jgrad.nn.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {

    private static double std(Tensor t) {
        return Math.sqrt(t.var(new int[] {0, 1}, 0, false).item());
    }

    @Test
    void fansAndGains() {
        assertThat(Init.fans(Tensor.zeros(8, 3, 5, 5))).containsExactly(75, 200);
        assertThat(Init.gain("relu", 0)).isEqualTo(Math.sqrt(2));
        assertThat(Init.gain("leaky_relu", Math.sqrt(5))).isCloseTo(Math.sqrt(1.0 / 3), within(1e-12));
        assertThat(Init.gain("tanh", 0)).isEqualTo(5.0 / 3);
        assertThatThrownBy(() -> Init.fans(Tensor.zeros(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 dimensions, got shape [4]");
        assertThatThrownBy(() -> Init.gain("swish", 0)).hasMessageContaining("unknown nonlinearity 'swish'");
    }

    @Test
    void spreadsMatchTheFormulas() {
        var rng = new SplittableRandom(1);
        assertThat(std(Init.kaimingNormal(Tensor.zeros(256, 128), rng, "relu"))).isCloseTo(Math.sqrt(2.0 / 128), within(0.003));
        // U(−b, b) has standard deviation b/√3
        assertThat(std(Init.kaimingUniform(Tensor.zeros(256, 128), rng, "relu"))).isCloseTo(Math.sqrt(2.0 / 128), within(0.003));
        assertThat(std(Init.xavierNormal(Tensor.zeros(256, 128), rng))).isCloseTo(Math.sqrt(2.0 / 384), within(0.002));
        assertThat(std(Init.xavierUniform(Tensor.zeros(256, 128), rng))).isCloseTo(Math.sqrt(2.0 / 384), within(0.002));
        assertThat(std(Init.lecunNormal(Tensor.zeros(256, 128), rng))).isCloseTo(Math.sqrt(1.0 / 128), within(0.002));
        Tensor u = Init.uniform(Tensor.zeros(100, 10), rng, -0.5, 0.25);
        assertThat(u.min().item()).isGreaterThanOrEqualTo(-0.5f);
        assertThat(u.max().item()).isLessThanOrEqualTo(0.25f);
        assertThat(Init.normal(Tensor.zeros(200, 100), rng, 3, 0.5).mean().item()).isCloseTo(3f, within(0.01f));
    }

    @Test
    void constantsAndSeeds() {
        assertThat(Init.constant(Tensor.zeros(3), 0.1f).toArray()).containsExactly(0.1f, 0.1f, 0.1f);
        assertThat(Init.zeros(Tensor.ones(2)).toArray()).containsExactly(0f, 0f);
        assertThat(Init.kaimingNormal(Tensor.zeros(4, 4), new SplittableRandom(5), "relu").toArray())
                .containsExactly(Init.kaimingNormal(Tensor.zeros(4, 4), new SplittableRandom(5), "relu").toArray());
    }

    @Test
    void orthogonalRowsOrColumns() {
        for (int[] shape : new int[][] {{3, 5}, {5, 3}, {4, 4}, {2, 3, 2}}) {
            Tensor w = Init.orthogonal(Tensor.zeros(shape), new SplittableRandom(2), 2);
            Tensor m = w.reshape(shape[0], -1);
            Tensor gram = m.rank() == 2 && m.size(0) <= m.size(1) ? m.matmul(m.T()) : m.T().matmul(m);
            int n = gram.size(0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) assertThat(gram.get(i, j)).isCloseTo(i == j ? 4f : 0f, within(1e-5f));
            }
        }
    }
}
