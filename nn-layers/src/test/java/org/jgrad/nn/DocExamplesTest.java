package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;
import org.jgrad.core.Functional;
import org.junit.jupiter.api.Test;

/** The values shown in the javadoc {@code jshell>} examples, so the docs cannot drift. */
class DocExamplesTest {

    private static Tensor t(float... v) {
        return Tensor.of(v);
    }

    @Test
    void layers() {
        assertThat(new Lambda("Half", x -> x.mul(0.5f)).forward(t(2, 4)).toArray()).containsExactly(1f, 2f);
        float[] bn = new BatchNorm1d(2).forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2)).toArray();
        assertThat(bn).containsExactly(new float[] {-1, -1, 1, 1}, within(1e-4f));
        float[] ln = new LayerNorm(3).forward(Tensor.of(new float[] {1, 2, 3}, 1, 3)).toArray();
        assertThat(ln).containsExactly(new float[] {-1.2247f, 0f, 1.2247f}, within(1e-4f));
        assertThat(new PReLU().forward(t(-4, 4)).toArray()).containsExactly(-1f, 4f);
        assertThat(new Step().eval().forward(t(-1, 2)).toArray()).containsExactly(0f, 1f);
        assertThat(Functional.pointwise("square", x -> x * x, x -> 2 * x, t(3)).item()).isEqualTo(9f);
        assertThat(Functional.softplus(t(-100, 0, 100)).toArray()).containsExactly(new float[] {0f, 0.6931f, 100f}, within(1e-4f));
    }

    @Test
    void activations() {
        assertThat(new LeakyReLU(0.1f).forward(t(-2, 3)).toArray()).containsExactly(new float[] {-0.2f, 3f}, within(1e-6f));
        assertThat(new ELU().forward(t(-100, 1)).toArray()).containsExactly(-1f, 1f);
        assertThat(new SELU().forward(t(1)).item()).isCloseTo(1.0507f, within(1e-4f));
        assertThat(new SiLU().forward(t(1)).item()).isCloseTo(0.7311f, within(1e-4f));
        assertThat(new Mish().forward(t(1)).item()).isCloseTo(0.8651f, within(1e-4f));
        assertThat(new GELU().forward(t(1)).item()).isCloseTo(0.8413f, within(1e-4f));
        assertThat(new LogSigmoid().forward(t(0)).item()).isCloseTo(-0.6931f, within(1e-4f));
        assertThat(new Hardtanh().forward(t(-3, 0.5f, 3)).toArray()).containsExactly(-1f, 0.5f, 1f);
    }

    @Test
    void losses() {
        assertThat(new MSELoss().forward(t(1, 2), t(1, 4)).item()).isEqualTo(2f);
        assertThat(new L1Loss().forward(t(1, 2), t(2, 4)).item()).isEqualTo(1.5f);
        assertThat(new CrossEntropyLoss().forward(Tensor.zeros(2, 10), t(3, 7)).item()).isCloseTo(2.3026f, within(1e-4f));
        assertThat(new NLLLoss().forward(Tensor.of(new float[] {-1, -2, -3, -4}, 2, 2), t(0, 1)).item()).isEqualTo(2.5f);
        assertThat(new BCEWithLogitsLoss().forward(t(0), t(1)).item()).isCloseTo(0.6931f, within(1e-4f));
        assertThat(new BCELoss().forward(t(0.5f), t(1)).item()).isCloseTo(0.6931f, within(1e-4f));
        assertThat(new HuberLoss(1f).forward(t(0.5f, 3), Tensor.zeros(2)).item()).isEqualTo(1.3125f);
        assertThat(new SmoothL1Loss().forward(t(0.5f, 3), Tensor.zeros(2)).item()).isEqualTo(1.3125f);
        assertThat(new LogCoshLoss().forward(t(1), Tensor.zeros(1)).item()).isCloseTo(0.4338f, within(1e-4f));
        assertThat(new HingeLoss().forward(t(2, 0.5f), t(1, 1)).item()).isEqualTo(0.25f);
        assertThat(new MultiMarginLoss().forward(Tensor.of(new float[] {0.1f, 0.2f, 0.4f, 0.8f}, 1, 4), t(3)).item())
                .isCloseTo(0.325f, within(1e-6f));
        assertThat(new TripletMarginLoss().forward(t(0, 0), t(0, 1), t(0, 3)).item()).isEqualTo(0f);
        assertThat(TripletMarginLoss.squared(9f).forward(t(0, 0), t(0, 1), t(0, 3)).item()).isCloseTo(1f, within(1e-5f));
        assertThat(new ContrastiveLoss().forward(t(0, 0), t(0, 2), t(1)).item()).isCloseTo(2f, within(1e-5f));
        assertThat(new CosineEmbeddingLoss().forward(t(1, 0), t(0, 1), t(1)).item()).isCloseTo(1f, within(1e-6f));
        Tensor p = Tensor.of(new float[] {0.5f, 0.5f}, 1, 2);
        assertThat(new KLDivLoss(Reduction.BATCH_MEAN, false).forward(p.log(), p).item()).isCloseTo(0f, within(1e-7f));
    }
}
