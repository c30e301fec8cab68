package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** {@link PositionalEncoding}: the table's formula and its rotation property, the sum, shapes, errors. */
class PositionalEncodingTest {

    @Test
    void tableFollowsTheFormulaAlsoForOddWidths() {
        for (int e : new int[] {1, 4, 7, 48}) {
            float[] pe = PositionalEncoding.table(50, e).toArray();
            for (int t = 0; t < 50; t++) {
                for (int c = 0; c < e; c++) {
                    double angle = t / Math.pow(10000, (c - c % 2) / (double) e);
                    double want = c % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
                    assertThat((double) pe[t * e + c]).as("E=%d PE[%d, %d]", e, t, c).isCloseTo(want, within(1e-7));
                }
            }
        }
        assertThat(PositionalEncoding.table(2, 4).toArray())
                .containsExactly(0f, 1f, 0f, 1f, 0.84147096f, 0.5403023f, 0.009999833f, 0.99995f);
    }

    /** Each column pair is a point on the unit circle, and k positions later it is turned by k·ω. */
    @Test
    void aShiftOfKPositionsIsTheSameRotationAtEveryPosition() {
        int e = 16, len = 200;
        float[] pe = PositionalEncoding.table(len, e).toArray();
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int t = rng.nextInt(len / 2), k = rng.nextInt(len / 2), i = 2 * rng.nextInt(e / 2);
            double omega = Math.pow(10000, -i / (double) e), c = Math.cos(k * omega), s = Math.sin(k * omega);
            double sin = pe[t * e + i], cos = pe[t * e + i + 1];
            assertThat(sin * sin + cos * cos).isCloseTo(1, within(1e-6));
            assertThat((double) pe[(t + k) * e + i]).as("sin at %d+%d, pair %d", t, k, i).isCloseTo(sin * c + cos * s, within(2e-6));
            assertThat((double) pe[(t + k) * e + i + 1]).as("cos at %d+%d, pair %d", t, k, i).isCloseTo(cos * c - sin * s, within(2e-6));
        }
    }

    @Test
    void addsTheFirstTRowsToEverySequenceBatchedOrNot() {
        var pe = new PositionalEncoding(6, 10);
        Tensor x = Tensor.randn(new SplittableRandom(1), 3, 5, 6);
        float[] y = pe.forward(x).toArray(), xs = x.toArray(), table = PositionalEncoding.table(5, 6).toArray();
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 30; i++) assertThat(y[n * 30 + i]).isEqualTo(xs[n * 30 + i] + table[i]);
        }
        Tensor one = Tensor.randn(new SplittableRandom(2), 4, 6);
        assertThat(pe.forward(one).shape()).containsExactly(4, 6);
        assertThat(pe.forward(one).toArray()[6]).isEqualTo(one.toArray()[6] + table[6]);
        assertThat(pe.numParameters()).isZero();
        assertThat(pe.toString()).isEqualTo("PositionalEncoding(\n  dModel=6, maxLen=10, dropout=0.0\n  (dropout): Dropout(p=0.0)\n)");
    }

    @Test
    void gradientPassesThroughUnchanged() {
        var pe = new PositionalEncoding(4, 8);
        Tensor x = Tensor.randn(new SplittableRandom(5), 2, 3, 4).requiresGrad();
        GradCheck.assertGradients("positional encoding", in -> pe.forward(in[0]).mul(in[0]), x);
    }

    @Test
    void dropoutInTrainingOnlyOnTheSum() {
        var pe = new PositionalEncoding(8, 16, 0.5f, new SplittableRandom(9));
        Tensor x = Tensor.randn(new SplittableRandom(4), 2, 16, 8);
        float[] sum = new PositionalEncoding(8, 16).forward(x).toArray();
        float[] trained = pe.train().forward(x).toArray();
        int zeros = 0;
        for (int i = 0; i < sum.length; i++) {
            if (trained[i] == 0f) zeros++;
            else assertThat(trained[i]).isEqualTo(sum[i] * 2f);
        }
        assertThat(zeros).isBetween(sum.length / 4, 3 * sum.length / 4);
        assertThat(pe.eval().forward(x).toArray()).containsExactly(sum);
    }

    @Test
    void badShapesAndSizesAreNamed() {
        var pe = new PositionalEncoding(4, 3);
        assertThatThrownBy(() -> pe.forward(Tensor.zeros(2, 3, 5))).hasMessageContaining("PositionalEncoding")
                .hasMessageContaining("[N, T, 4] or [T, 4]").hasMessageContaining("[2, 3, 5]");
        assertThatThrownBy(() -> pe.forward(Tensor.zeros(4))).hasMessageContaining("[4]");
        assertThatThrownBy(() -> pe.forward(Tensor.zeros(1, 4, 4))).hasMessageContaining("4 positions")
                .hasMessageContaining("maxLen 3");
        assertThatThrownBy(() -> new PositionalEncoding(0, 3)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new PositionalEncoding(4, 3, 1.5f, new SplittableRandom(1))).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> PositionalEncoding.table(-1, 4)).hasMessageContaining("-1");
    }
}
