package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class BatchNormTest {

    @Test
    void trainNormalisesWithBatchStatsAndUpdatesRunningStats() {
        var bn = new BatchNorm1d(2);
        // channel 0: {1, 3} mean 2, biased var 1, unbiased 2; channel 1: {10, 30} mean 20, var 100 / 200
        float[] y = bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2)).toArray();
        float s0 = (float) (1 / Math.sqrt(1 + 1e-5)), s1 = (float) (10 / Math.sqrt(100 + 1e-5));
        assertThat(y[0]).isCloseTo(-s0, within(1e-5f));
        assertThat(y[2]).isCloseTo(s0, within(1e-5f));
        assertThat(y[1]).isCloseTo(-s1, within(1e-5f));
        assertThat(bn.runningMean().toArray()).containsExactly(0.2f, 2.0f);
        assertThat(bn.runningVar().toArray()[0]).isCloseTo(0.9f + 0.1f * 2, within(1e-6f));
        assertThat(bn.runningVar().toArray()[1]).isCloseTo(0.9f + 0.1f * 200, within(1e-4f));
    }

    @Test
    void evalUsesRunningStats() {
        var bn = new BatchNorm1d(2);
        bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2));
        bn.eval();
        float[] y = bn.forward(Tensor.of(new float[] {0.2f, 2f}, 1, 2)).toArray();   // x = running mean → 0
        assertThat(y[0]).isCloseTo(0f, within(1e-6f));
        float[] z = bn.forward(Tensor.of(new float[] {1.2f, 2f}, 1, 2)).toArray();
        assertThat(z[0]).isCloseTo((float) (1 / Math.sqrt(1.1 + 1e-5)), within(1e-5f));
    }

    @Test
    void customMomentumAndEps() {
        var bn = new BatchNorm1d(2, 0.1f, 0.5f, true);
        // channel 0: {1, 3} mean 2, biased var 1, unbiased 2; channel 1: {10, 30} mean 20, var 100 / 200
        float[] y = bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2)).toArray();
        assertThat(y[0]).isCloseTo((float) (-1 / Math.sqrt(1 + 0.1)), within(1e-6f));
        assertThat(y[3]).isCloseTo((float) (10 / Math.sqrt(100 + 0.1)), within(1e-6f));
        // running = 0.5·running + 0.5·batch, from mean 0 and var 1
        assertThat(bn.runningMean().toArray()).containsExactly(1f, 10f);
        assertThat(bn.runningVar().toArray()).containsExactly(0.5f + 0.5f * 2, 0.5f + 0.5f * 200);
        assertThat(bn.stateDict().get("num_batches_tracked").item()).isEqualTo(1f);
        bn.eval();
        float[] z = bn.forward(Tensor.of(new float[] {2f, 10f}, 1, 2)).toArray();   // (x − 1) / √(1.5 + 0.1)
        assertThat(z[0]).isCloseTo((float) (1 / Math.sqrt(1.5 + 0.1)), within(1e-6f));
        assertThat(z[1]).isCloseTo(0f, within(1e-6f));
        assertThat(bn.describe()).isEqualTo("BatchNorm1d(2, eps=0.1, momentum=0.5, affine=true)");
    }

    @Test
    void withoutAffineThereAreOnlyTheRunningBuffers() {
        var bn = new BatchNorm2d(3, 1e-5f, 0.1f, false);
        assertThat(bn.parameters()).isEmpty();
        assertThat(bn.numParameters()).isZero();
        assertThat(bn.stateDict().keySet()).containsExactly("running_mean", "running_var", "num_batches_tracked");
        Tensor x = Tensor.randn(new SplittableRandom(4), 4, 3, 2, 2).mul(2f).add(1f);
        var affine = new BatchNorm2d(3);
        assertThat(bn.forward(x).toArray()).as("plain normalisation, as γ = 1, β = 0").containsExactly(affine.forward(x).toArray());
        assertThat(bn.runningMean().toArray()).containsExactly(affine.runningMean().toArray());
    }

    @Test
    void batchNorm2dNormalisesPerChannel() {
        var bn = new BatchNorm2d(3);
        Tensor x = Tensor.randn(new SplittableRandom(1), 4, 3, 2, 2).mul(5f).add(3f);
        Tensor y = bn.forward(x);
        Tensor m = y.mean(new int[] {0, 2, 3}, false);
        Tensor v = y.var(new int[] {0, 2, 3}, 0, false);
        for (int c = 0; c < 3; c++) {
            assertThat(m.get(c)).isCloseTo(0f, within(1e-5f));
            assertThat(v.get(c)).isCloseTo(1f, within(1e-3f));
        }
    }

    @Test
    void batchNorm1dAcceptsSequences() {
        var bn = new BatchNorm1d(2);
        // [N, C, L] = [1, 2, 2]: channel 0 sees {1, 3}, channel 1 sees {5, 5} (zero variance → 0)
        float[] y = bn.forward(Tensor.of(new float[] {1, 3, 5, 5}, 1, 2, 2)).toArray();
        assertThat(y).containsExactly(new float[] {-1f, 1f, 0f, 0f}, within(1e-4f));
        assertThat(bn.runningMean().toArray()).containsExactly(0.2f, 0.5f);
    }

    @Test
    void gradients() {
        var bn = new BatchNorm1d(3);
        Tensor x = Tensor.randn(new SplittableRandom(2), 4, 3).requiresGrad();
        bn.parameters().get(0).data()[1] = 1.5f;
        GradCheck.assertGradients("BatchNorm1d", in -> bn.forward(in[0]), x, bn.parameters().get(0), bn.parameters().get(1));
        var bn2 = new BatchNorm2d(2);
        Tensor x2 = Tensor.randn(new SplittableRandom(3), 2, 2, 2, 2).requiresGrad();
        GradCheck.assertGradients("BatchNorm2d", in -> bn2.forward(in[0]), x2, bn2.parameters().get(0), bn2.parameters().get(1));
        bn.eval();
        GradCheck.assertGradients("BatchNorm1d eval", in -> bn.forward(in[0]), x, bn.parameters().get(0), bn.parameters().get(1));
    }

    @Test
    void batchOfOneInTrainingIsAnError() {
        assertThatThrownBy(() -> new BatchNorm1d(4).forward(Tensor.zeros(1, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BatchNorm1d(4, eps=1.0E-5, momentum=0.1, affine=true): expected more than 1 value per channel when training, got input of shape [1, 4]");
        var bn = new BatchNorm1d(4);
        bn.eval();
        assertThat(bn.forward(Tensor.zeros(1, 4)).shape()).containsExactly(1, 4);
    }

    @Test
    void wrongShapes() {
        assertThatThrownBy(() -> new BatchNorm1d(4).forward(Tensor.zeros(2, 5)))
                .hasMessageContaining("expected input of shape [N, C] or [N, C, L] with C = 4, got [2, 5]");
        assertThatThrownBy(() -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)))
                .hasMessageContaining("expected input of shape [N, C, H, W] with C = 3, got [2, 3, 4]");
    }
}
