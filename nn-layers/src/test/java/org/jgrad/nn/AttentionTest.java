package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Attention#scaledDotProductAttention}: gradients by central differences, masks, errors. */
class AttentionTest {

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), shape).requiresGrad();
    }

    @Test
    void gradientsWithoutMask() {
        Tensor q = randn(1, 2, 3, 4), k = randn(2, 2, 5, 4), v = randn(3, 2, 5, 3);
        GradCheck.assertGradients("sdpa", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2]), q, k, v);
    }

    @Test
    void gradientsWithAdditiveMask() {
        Tensor q = randn(4, 2, 3, 4), k = randn(5, 2, 5, 4), v = randn(6, 2, 5, 3);
        float inf = Float.NEGATIVE_INFINITY;
        Tensor mask = Tensor.of(new float[] {0, inf, 0.5f, 0, inf, -1, 0, inf, inf, 0.25f, 0, 0, 0, inf, 0}, 3, 5);
        GradCheck.assertGradients("sdpa masked", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], mask, false), q, k, v);
    }

    @Test
    void gradientsCausal() {
        Tensor q = randn(7, 2, 5, 4), k = randn(8, 2, 5, 4), v = randn(9, 2, 5, 3);
        GradCheck.assertGradients("sdpa causal", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], null, true), q, k, v);
    }

    @Test
    void gradientsWithSeveralHeads() {
        // [N, heads, T, E] with a mask [T, T] broadcast over batch and heads, and causal
        Tensor q = randn(10, 2, 3, 4, 4), k = randn(11, 2, 3, 4, 4), v = randn(12, 2, 3, 4, 2);
        Tensor mask = Tensor.randn(new SplittableRandom(13), 4, 4);
        GradCheck.assertGradients("sdpa heads masked", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], mask, false), q, k, v);
        GradCheck.assertGradients("sdpa heads causal", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], null, true), q, k, v);
    }

    @Test
    void gradientsForOneStep() {
        Tensor q = randn(14, 2, 2, 1, 4), k = randn(15, 2, 2, 1, 4), v = randn(16, 2, 2, 1, 4);
        GradCheck.assertGradients("sdpa T=1", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2]), q, k, v);
        GradCheck.assertGradients("sdpa T=1 causal", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], null, true), q, k, v);
        // one key: the weight is 1 and the output is v
        assertThat(Attention.scaledDotProductAttention(q, k, v).toArray()).containsExactly(v.toArray());
    }

    @Test
    void valuesAgainstADirectComputation() {
        // L = 2, S = 2, E = 1: scores q·k / 1, row-wise softmax, times v
        Tensor q = Tensor.of(new float[] {1, 2}, 2, 1), k = Tensor.of(new float[] {0, 1}, 2, 1), v = Tensor.of(new float[] {10, 20}, 2, 1);
        float[] out = Attention.scaledDotProductAttention(q, k, v).toArray();
        double w0 = 1 / (1 + Math.exp(1)), w1 = 1 / (1 + Math.exp(2));
        assertThat(out[0]).isCloseTo((float) (10 * w0 + 20 * (1 - w0)), within(1e-5f));
        assertThat(out[1]).isCloseTo((float) (10 * w1 + 20 * (1 - w1)), within(1e-5f));
        // causal: query 0 sees key 0 only
        assertThat(Attention.scaledDotProductAttention(q, k, v, null, true).toArray()[0]).isEqualTo(10f);
    }

    @Test
    void causalFlagEqualsTheCausalMask() {
        Tensor q = randn(17, 3, 4, 4), k = randn(18, 3, 6, 4), v = randn(19, 3, 6, 2);
        assertThat(Attention.scaledDotProductAttention(q, k, v, null, true).toArray())
                .containsExactly(Attention.scaledDotProductAttention(q, k, v, Attention.causalMask(4, 6), false).toArray());
        assertThat(Attention.causalMask(2, 3).toArray())
                .containsExactly(0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, 0f, Float.NEGATIVE_INFINITY);
    }

    @Test
    void largeScoresDoNotOverflow() {
        Tensor q = Tensor.of(new float[] {1000, -1000}, 1, 2), k = Tensor.of(new float[] {1000, 0, 0, 1000}, 2, 2);
        Tensor v = Tensor.of(new float[] {1, 2}, 2, 1);
        assertThat(Attention.scaledDotProductAttention(q, k, v).item()).isEqualTo(1f);
    }

    @Test
    void aFullyMaskedRowIsNaNLikePyTorch() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor mask = Tensor.of(new float[] {0, 0, inf, inf}, 2, 2);
        Tensor q = randn(20, 2, 3), k = randn(21, 2, 3), v = randn(22, 2, 3);
        float[] out = Attention.scaledDotProductAttention(q, k, v, mask, false).toArray();
        for (int j = 0; j < 3; j++) {
            assertThat(out[j]).isFinite();
            assertThat(out[3 + j]).isNaN();
        }
    }

    @Test
    void dropoutDrawsFromTheGeneratorAndKeepsTheExpectation() {
        Tensor q = randn(23, 2, 3), k = randn(24, 4, 3), v = randn(25, 4, 2);
        Tensor a = Attention.scaledDotProductAttention(q, k, v, null, 0.5f, false, new SplittableRandom(3));
        Tensor b = Attention.scaledDotProductAttention(q, k, v, null, 0.5f, false, new SplittableRandom(3));
        assertThat(a.toArray()).containsExactly(b.toArray());
        assertThat(Attention.scaledDotProductAttention(q, k, v, null, 1f, false, new SplittableRandom(3)).toArray())
                .containsOnly(0f);
        // each weight is dropped (0) or kept and scaled by 1/(1 - p) = 2
        float[] dropped = Attention.attend(q, k, v, null, 0.5f, false, new SplittableRandom(3), true)[1].toArray();
        float[] probs = Attention.attend(q, k, v, null, 0f, false, null, true)[1].toArray();
        int zeros = 0;
        for (int i = 0; i < probs.length; i++) {
            if (dropped[i] == 0f) zeros++;
            else assertThat(dropped[i]).isEqualTo(probs[i] * 2f);
        }
        assertThat(zeros).isBetween(1, probs.length - 1);
    }

    /**
     * The fused op (no dropout, no weights asked for) against the composition of ops: the same
     * output bits, gradients of q, k and v within float rounding — unmasked, an additive mask,
     * causal, heads with a broadcast padding mask, and T = 1.
     */
    @Test
    void fusedOpEqualsTheComposition() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor pad = Tensor.of(new float[] {0, 0, 0, inf, 0, 0, inf, inf}, 2, 1, 1, 4);
        Object[][] cases = {
            {new int[] {2, 3, 5}, new int[] {2, 4, 5}, new int[] {2, 4, 3}, null, false},
            {new int[] {3, 5}, new int[] {4, 5}, new int[] {4, 2}, Tensor.of(new float[] {0, inf, 0, 0.5f, 0, 0, inf, 0, -1, 0, 0, 0}, 3, 4), false},
            {new int[] {2, 4, 6}, new int[] {2, 4, 6}, new int[] {2, 4, 6}, null, true},
            {new int[] {2, 3, 4, 6}, new int[] {2, 3, 4, 6}, new int[] {2, 3, 4, 6}, pad, false},
            {new int[] {1, 1, 4}, new int[] {1, 1, 4}, new int[] {1, 1, 4}, null, true},
        };
        long seed = 40;
        for (Object[] c : cases) {
            Tensor q = randn(seed++, (int[]) c[0]), k = randn(seed++, (int[]) c[1]), v = randn(seed++, (int[]) c[2]);
            Tensor mask = (Tensor) c[3];
            boolean causal = (Boolean) c[4];
            Tensor fused = Attention.attend(q, k, v, mask, 0f, causal, null, false)[0];
            Tensor composed = Attention.attend(q, k, v, mask, 0f, causal, null, true)[0];
            assertThat(fused.toArray()).as("output, case %s", java.util.Arrays.toString((int[]) c[0])).containsExactly(composed.toArray());
            Tensor g = randn(seed++, fused.shape());
            java.util.List<float[]> grads = new java.util.ArrayList<>();
            for (Tensor out : new Tensor[] {fused, composed}) {
                for (Tensor t : new Tensor[] {q, k, v}) t.zeroGrad();
                out.mul(g).sum().backward();
                for (Tensor t : new Tensor[] {q, k, v}) grads.add(t.grad().toArray());
            }
            for (int i = 0; i < 3; i++) {
                float[] a = grads.get(i), b = grads.get(i + 3);
                for (int j = 0; j < a.length; j++) assertThat(a[j]).as("gradient %d element %d", i, j).isCloseTo(b[j], within(2e-6f));
            }
        }
    }

    /** With dropout the fused op draws the same mask as the composition: same output, close gradients, checked rules. */
    @Test
    void fusedOpWithDropoutEqualsTheComposition() {
        Tensor q = randn(70, 2, 3, 4), k = randn(71, 2, 5, 4), v = randn(72, 2, 5, 3);
        Tensor fused = Attention.attend(q, k, v, null, 0.4f, false, new SplittableRandom(9), false)[0];
        Tensor composed = Attention.attend(q, k, v, null, 0.4f, false, new SplittableRandom(9), true)[0];
        assertThat(fused.toArray()).containsExactly(composed.toArray());
        Tensor g = randn(73, fused.shape());
        fused.mul(g).sum().backward();
        float[] dq = q.grad().toArray(), dk = k.grad().toArray(), dv = v.grad().toArray();
        for (Tensor t : new Tensor[] {q, k, v}) t.zeroGrad();
        composed.mul(g).sum().backward();
        float[][] fusedGrads = {dq, dk, dv}, composedGrads = {q.grad().toArray(), k.grad().toArray(), v.grad().toArray()};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < fusedGrads[i].length; j++) assertThat(fusedGrads[i][j]).isCloseTo(composedGrads[i][j], within(2e-6f));
        GradCheck.assertGradients("sdpa fused dropout",
                in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], null, 0.4f, false, new SplittableRandom(9)), q, k, v);
        var tangents = GradCheck.checkTangents("sdpa fused dropout",
                in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], null, 0.4f, true, new SplittableRandom(9)), q, k, v);
        assertThat(tangents.ok()).as(tangents.toString()).isTrue();
    }

    @Test
    void fusedOpTangentsMatchFiniteDifferences() {
        Tensor q = randn(60, 2, 3, 4), k = randn(61, 2, 5, 4), v = randn(62, 2, 5, 3);
        Tensor mask = Tensor.of(new float[] {0, Float.NEGATIVE_INFINITY, 0, 0, 0, 0, 0, 0.5f, 0, Float.NEGATIVE_INFINITY,
            0, 0, 0, 0, 0}, 3, 5);
        var plain = GradCheck.checkTangents("sdpa fused", in -> Attention.scaledDotProductAttention(in[0], in[1], in[2]), q, k, v);
        assertThat(plain.ok()).as(plain.toString()).isTrue();
        var masked = GradCheck.checkTangents("sdpa fused masked",
                in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], mask, false), q, k, v);
        assertThat(masked.ok()).as(masked.toString()).isTrue();
        var causal = GradCheck.checkTangents("sdpa fused causal",
                in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], null, true), q, k, randn(63, 2, 5, 3));
        assertThat(causal.ok()).as(causal.toString()).isTrue();
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        Tensor q = Tensor.zeros(2, 3, 4);
        assertThatThrownBy(() -> Attention.scaledDotProductAttention(q, Tensor.zeros(2, 5, 3), Tensor.zeros(2, 5, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scaledDotProductAttention").hasMessageContaining("embedding size E")
                .hasMessageContaining("q [2, 3, 4], k [2, 5, 3]");
        assertThatThrownBy(() -> Attention.scaledDotProductAttention(q, Tensor.zeros(2, 5, 4), Tensor.zeros(2, 6, 4)))
                .hasMessageContaining("source length S").hasMessageContaining("v [2, 6, 4]");
        assertThatThrownBy(() -> Attention.scaledDotProductAttention(q, Tensor.zeros(2, 5, 4), Tensor.zeros(2, 5, 4), Tensor.zeros(3, 4), false))
                .hasMessageContaining("attnMask of shape [3, 4] does not broadcast to the scores [2, 3, 5]");
        assertThatThrownBy(() -> Attention.scaledDotProductAttention(q, q, q, Tensor.zeros(3, 3), true))
                .hasMessageContaining("isCausal");
        assertThatThrownBy(() -> Attention.scaledDotProductAttention(Tensor.zeros(4), q, q))
                .hasMessageContaining("at least 2 dimensions");
        assertThatThrownBy(() -> Attention.scaledDotProductAttention(q, q, q, null, 0.1f, false, null))
                .hasMessageContaining("random generator");
    }
}
