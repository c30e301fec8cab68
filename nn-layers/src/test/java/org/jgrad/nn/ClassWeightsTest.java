package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ClassWeightsTest {

    /** n = 8: class 0 five times, class 1 twice, class 2 once. */
    private static final Tensor LABELS = Tensor.of(new float[] {0, 1, 0, 2, 0, 0, 1, 0});

    @Test
    void inverseFrequencyByHand() {
        // n / (C·n_c) = 8/15, 8/6, 8/3
        assertThat(ClassWeights.inverseFrequency(LABELS, 3).toArray()).containsExactly(new float[] {8f / 15, 8f / 6, 8f / 3}, within(1e-6f));
        // the doc example, and labels of any shape
        assertThat(ClassWeights.inverseFrequency(Tensor.of(new float[] {0, 0, 0, 1}, 2, 2), 2).toArray())
                .containsExactly(new float[] {4f / 6, 2f}, within(1e-6f));
        assertThat(ClassWeights.inverseFrequency(Tensor.of(new float[] {0, 0, 0, 1}), 2)).hasToString("tensor([0.6667, 2.0000])");
    }

    @Test
    void balancedWeightsGiveEachClassTheSameTotalWeight() {
        float[] w = ClassWeights.inverseFrequency(LABELS, 3).toArray();
        double[] total = new double[3];
        for (float y : LABELS.toArray()) total[(int) y] += w[(int) y];
        assertThat(total).containsExactly(new double[] {8.0 / 3, 8.0 / 3, 8.0 / 3}, within(1e-6));
    }

    /** With balanced weights, CrossEntropyLoss's weighted mean is the mean over classes of each class's mean loss. */
    @Test
    void weightedCrossEntropyIsTheMacroAverageOfPerClassLosses() {
        Tensor logits = Tensor.randn(new SplittableRandom(3), 8, 3);
        float[] perSample = new CrossEntropyLoss(Reduction.NONE).forward(logits, LABELS).toArray();
        double[] sum = new double[3];
        int[] count = new int[3];
        float[] y = LABELS.toArray();
        for (int i = 0; i < y.length; i++) {
            sum[(int) y[i]] += perSample[i];
            count[(int) y[i]]++;
        }
        double macro = (sum[0] / count[0] + sum[1] / count[1] + sum[2] / count[2]) / 3;
        Tensor w = ClassWeights.inverseFrequency(LABELS, 3);
        assertThat(new CrossEntropyLoss(Reduction.MEAN, w, 0f).forward(logits, LABELS).item()).isCloseTo((float) macro, within(1e-5f));
        // unweighted, the majority class dominates: the plain mean differs from the macro average
        assertThat((double) new CrossEntropyLoss().forward(logits, LABELS).item()).isNotCloseTo(macro, within(1e-3));
    }

    @Test
    void effectiveNumberByHand() {
        // β = 0.5: (1 − β)/(1 − β^n) = 0.5/(31/32), 0.5/(3/4), 0.5/(1/2) = 16/31, 2/3, 1; scaled to sum 3
        double a = 16.0 / 31, b = 2.0 / 3, c = 1, s = (a + b + c) / 3;
        assertThat(ClassWeights.effectiveNumber(LABELS, 3, 0.5).toArray())
                .containsExactly(new float[] {(float) (a / s), (float) (b / s), (float) (c / s)}, within(1e-6f));
    }

    @Test
    void effectiveNumberRunsFromAllOnesToInverseFrequency() {
        assertThat(ClassWeights.effectiveNumber(LABELS, 3, 0).toArray()).containsExactly(1f, 1f, 1f);
        assertThat(ClassWeights.effectiveNumber(LABELS, 3, 1e-9).toArray()).containsExactly(new float[] {1f, 1f, 1f}, within(1e-6f));
        float[] inv = ClassWeights.inverseFrequency(LABELS, 3).toArray();
        float sum = inv[0] + inv[1] + inv[2];
        float[] scaled = {3 * inv[0] / sum, 3 * inv[1] / sum, 3 * inv[2] / sum};
        assertThat(ClassWeights.effectiveNumber(LABELS, 3, 0.999999).toArray()).containsExactly(scaled, within(1e-5f));
        // in between, the rarest class gains weight steadily as β grows
        float previous = 1f;
        for (double beta : new double[] {0.5, 0.9, 0.99, 0.999}) {
            float rare = ClassWeights.effectiveNumber(LABELS, 3, beta).toArray()[2];
            assertThat(rare).as("β = %s", beta).isGreaterThan(previous).isLessThan(scaled[2]);
            previous = rare;
        }
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        assertThatThrownBy(() -> ClassWeights.inverseFrequency(Tensor.of(new float[] {0, 2, 0}), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ClassWeights.inverseFrequency: class 1 has no label among the 3 given (counts per class [2, 0, 1]), so its weight"
                        + " would be infinite; drop the class or count a larger set of labels");
        assertThatThrownBy(() -> ClassWeights.effectiveNumber(Tensor.of(new float[] {0, 3}), 3, 0.9))
                .hasMessageContaining("ClassWeights.effectiveNumber: label 3 at position 1 is out of range for 3 classes");
        assertThatThrownBy(() -> ClassWeights.inverseFrequency(Tensor.of(new float[] {0, 0.5f}), 2))
                .hasMessageContaining("label 0.5 at position 1 is out of range");
        assertThatThrownBy(() -> ClassWeights.inverseFrequency(Tensor.of(new float[] {-1}), 2)).hasMessageContaining("label -1");
        for (double beta : new double[] {1, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> ClassWeights.effectiveNumber(LABELS, 3, beta))
                    .hasMessage("ClassWeights.effectiveNumber: beta must be in [0, 1), got " + beta);
        }
        assertThatThrownBy(() -> ClassWeights.inverseFrequency(LABELS, 0)).hasMessage("ClassWeights.inverseFrequency: classes must be at least 1, got 0");
        assertThatThrownBy(() -> ClassWeights.inverseFrequency(Tensor.zeros(0), 2)).hasMessage("ClassWeights.inverseFrequency: no labels to count");
    }
}
