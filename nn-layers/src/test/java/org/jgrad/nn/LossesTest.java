package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** The losses other than cross-entropy: values at known points, gradients, stability, errors. */
class LossesTest {

    private static Tensor t(float... v) {
        return Tensor.of(v);
    }

    private static final SplittableRandom RNG = new SplittableRandom(11);

    @Test
    void regressionLossValues() {
        Tensor x = t(0.5f, 3f, -1f), y = t(0f, 0f, 0f);
        assertThat(new MSELoss().forward(x, y).item()).isCloseTo((0.25f + 9f + 1f) / 3, within(1e-6f));
        assertThat(new L1Loss(Reduction.SUM).forward(x, y).item()).isEqualTo(4.5f);
        assertThat(new HuberLoss(1f).forward(x, y).item()).isCloseTo((0.125f + 2.5f + 0.5f) / 3, within(1e-6f));
        assertThat(new HuberLoss(Reduction.NONE, 2f).forward(x, y).toArray()).containsExactly(0.125f, 4f, 0.5f);
        assertThat(new SmoothL1Loss(Reduction.NONE, 2f).forward(x, y).toArray()).containsExactly(0.0625f, 2f, 0.25f);
        assertThat(new LogCoshLoss(Reduction.NONE).forward(t(1f, 100f, -100f), t(0f, 0f, 0f)).toArray())
                .containsExactly(new float[] {(float) Math.log(Math.cosh(1)), (float) (100 - Math.log(2)), (float) (100 - Math.log(2))},
                        within(1e-5f));
    }

    @Test
    void binaryCrossEntropy() {
        Tensor x = t(-2f, 0.5f, 3f), y = t(0f, 1f, 1f);
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double s = 1 / (1 + Math.exp(-x.get(i)));
            expected -= y.get(i) * Math.log(s) + (1 - y.get(i)) * Math.log(1 - s);
        }
        assertThat((double) new BCEWithLogitsLoss().forward(x, y).item()).isCloseTo(expected / 3, within(1e-6));
        assertThat(new BCELoss().forward(x.sigmoid(), y).item()).isCloseTo((float) expected / 3, within(1e-6f));
        // pos_weight q scales the positive term: −(q·y·log σ + (1 − y)·log(1 − σ))
        double q = 3, withQ = 0;
        for (int i = 0; i < 3; i++) {
            double s = 1 / (1 + Math.exp(-x.get(i)));
            withQ -= q * y.get(i) * Math.log(s) + (1 - y.get(i)) * Math.log(1 - s);
        }
        assertThat((double) new BCEWithLogitsLoss(Reduction.SUM, t(3f)).forward(x, y).item()).isCloseTo(withQ, within(1e-5));
    }

    @Test
    void binaryCrossEntropyIsFiniteAtTheExtremes() {
        Tensor x = t(100f, -100f, 100f).requiresGrad();
        Tensor l = new BCEWithLogitsLoss(Reduction.NONE).forward(x, t(0f, 1f, 1f));
        assertThat(l.toArray()).containsExactly(new float[] {100f, 100f, 0f}, within(1e-6f));
        l.sum().backward();
        assertThat(x.grad().toArray()).containsExactly(new float[] {1f, -1f, 0f}, within(1e-30f));
        Tensor p = t(0f, 1f, 0.5f).requiresGrad();
        Tensor b = new BCELoss(Reduction.NONE).forward(p, t(1f, 0f, 1f));
        assertThat(b.toArray()).containsExactly(new float[] {100f, 100f, (float) Math.log(2)}, within(1e-6f));
        b.sum().backward();
        assertThat(p.grad().toArray()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> new BCELoss().forward(t(1.5f), t(1f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BCELoss: input 1.5 at position 0 is not a probability in [0, 1]");
    }

    @Test
    void marginLosses() {
        assertThat(new HingeLoss().forward(t(2f, 0.5f, 0.3f), t(1f, 1f, -1f)).item()).isCloseTo((0f + 0.5f + 1.3f) / 3, within(1e-6f));
        assertThatThrownBy(() -> new HingeLoss().forward(t(1f), t(0f)))
                .hasMessageContaining("HingeLoss: label 0.0 at position 0 must be 1 or -1");
        Tensor x = Tensor.of(new float[] {0.1f, 0.2f, 0.4f, 0.8f}, 1, 4);
        assertThat(new MultiMarginLoss().forward(x, t(3f)).item()).isCloseTo(0.325f, within(1e-6f));
        assertThat(new MultiMarginLoss(Reduction.MEAN, 2, 1f, null).forward(x, t(3f)).item())
                .isCloseTo((0.09f + 0.16f + 0.36f) / 4, within(1e-6f));
        assertThatThrownBy(() -> new MultiMarginLoss().forward(x, t(4f)))
                .hasMessageContaining("MultiMarginLoss: label 4 at position 0 is out of range for 4 classes");
    }

    @Test
    void metricLosses() {
        Tensor a = t(0f, 0f), p = t(0f, 1f), n = t(0f, 1.5f);
        // d(a, p) ≈ 1, d(a, n) ≈ 1.5: max(1 − 1.5 + 1, 0) = 0.5
        assertThat(new TripletMarginLoss().forward(a, p, n).item()).isCloseTo(0.5f, within(1e-5f));
        // with swap, d(p, n) = 0.5 < 1.5 replaces the negative distance: 1 − 0.5 + 1
        assertThat(new TripletMarginLoss(Reduction.MEAN, 1f, 2f, 1e-6f, true).forward(a, p, n).item()).isCloseTo(1.5f, within(1e-5f));
        // squared: max(1² − 1.5² + 1, 0) = −0.25 → 0; with margin 2: 0.75; with p = 1 (d = 1 and 1.5 too): 0.75
        assertThat(TripletMarginLoss.squared(1f).forward(a, p, n).item()).isZero();
        assertThat(TripletMarginLoss.squared(2f).forward(a, p, n).item()).isCloseTo(0.75f, within(1e-5f));
        assertThat(new TripletMarginLoss(Reduction.MEAN, 2f, 1f, 1e-6f, false, true).forward(a, p, n).item()).isCloseTo(0.75f, within(1e-5f));
        // the unsquared form of the same triplet with margin 2: 1 − 1.5 + 2
        assertThat(new TripletMarginLoss(Reduction.MEAN, 2f, 2f, 1e-6f, false).forward(a, p, n).item()).isCloseTo(1.5f, within(1e-5f));
        assertThat(new ContrastiveLoss().forward(a, t(0f, 2f), t(1f)).item()).isCloseTo(2f, within(1e-5f));
        assertThat(new ContrastiveLoss().forward(a, t(0f, 0.25f), t(0f)).item()).isCloseTo(0.5f * 0.75f * 0.75f, within(1e-5f));
        assertThat(new CosineEmbeddingLoss().forward(t(1f, 0f), t(0f, 1f), t(1f)).item()).isCloseTo(1f, within(1e-6f));
        assertThat(new CosineEmbeddingLoss(Reduction.MEAN, 0.1f).forward(t(3f, 4f), t(1f, 0f), t(-1f)).item())
                .isCloseTo(0.5f, within(1e-6f));
        assertThatThrownBy(() -> new TripletMarginLoss().forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 4)))
                .hasMessageContaining("TripletMarginLoss: expected two inputs of one shape [N, D] or [D], got [2, 3] and [2, 4]");
        assertThatThrownBy(() -> new ContrastiveLoss().forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3), t(1f)))
                .hasMessageContaining("need 2 labels of shape [2], got [1]");
    }

    @Test
    void klDivergence() {
        Tensor y = Tensor.of(new float[] {0.25f, 0.75f}, 1, 2);
        Tensor logq = Tensor.of(new float[] {0.5f, 0.5f}, 1, 2).log();
        double kl = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
        assertThat((double) new KLDivLoss(Reduction.BATCH_MEAN, false).forward(logq, y).item()).isCloseTo(kl, within(1e-6));
        assertThat((double) new KLDivLoss(Reduction.BATCH_MEAN, true).forward(logq, y.log()).item()).isCloseTo(kl, within(1e-6));
        assertThat((double) new KLDivLoss().forward(logq, y).item()).isCloseTo(kl / 2, within(1e-6));
        assertThat(new KLDivLoss(Reduction.SUM, false).forward(logq, t(0f, 1f).reshape(1, 2)).item())
                .isCloseTo((float) -Math.log(0.5), within(1e-6f));
    }

    @Test
    void gradients() {
        Tensor x = Tensor.randn(RNG, 3, 4).requiresGrad();
        Tensor y = Tensor.randn(RNG, 3, 4).mul(2f).requiresGrad();
        GradCheck.assertGradients("MSE", in -> new MSELoss().forward(in[0], in[1]), x, y);
        GradCheck.assertGradients("L1", in -> new L1Loss().forward(in[0], in[1]), x, y);
        GradCheck.assertGradients("Huber", in -> new HuberLoss(Reduction.SUM, 0.7f).forward(in[0], in[1]), x, y);
        GradCheck.assertGradients("SmoothL1", in -> new SmoothL1Loss(Reduction.NONE, 0.7f).forward(in[0], in[1]), x, y);
        GradCheck.assertGradients("LogCosh", in -> new LogCoshLoss().forward(in[0], in[1]), x, y);
        Tensor prob = Tensor.rand(RNG, 3, 4).mul(0.8f).add(0.1f).requiresGrad();
        Tensor target = Tensor.rand(RNG, 3, 4).requiresGrad();
        GradCheck.assertGradients("BCEWithLogits", in -> new BCEWithLogitsLoss(Reduction.NONE, t(0.5f, 1f, 2f, 3f)).forward(in[0], in[1]),
                x, target);
        GradCheck.assertGradients("BCE", in -> new BCELoss().forward(in[0], in[1]), prob, target);
        Tensor signs = Tensor.of(new float[] {1, -1, 1, -1, -1, 1, 1, 1, -1, 1, -1, -1}, 3, 4);
        GradCheck.assertGradients("Hinge", in -> new HingeLoss(Reduction.SUM, 1f).forward(in[0], signs),
                Tensor.of(new float[] {0.2f, 0.5f, -2f, 0.3f, 1.5f, 0.1f, 0.6f, -0.4f, 0.7f, 2.5f, -0.2f, 0.45f}, 3, 4).requiresGrad());
        Tensor labels = t(1f, 3f, 0f);
        GradCheck.assertGradients("MultiMargin", in -> new MultiMarginLoss().forward(in[0], labels), x);
        GradCheck.assertGradients("MultiMargin p=2 weighted",
                in -> new MultiMarginLoss(Reduction.SUM, 2, 0.8f, t(1f, 2f, 0.5f, 1f)).forward(in[0], labels), x);
        Tensor a = Tensor.randn(RNG, 3, 4).requiresGrad(), p = Tensor.randn(RNG, 3, 4).requiresGrad(),
                n = Tensor.randn(RNG, 3, 4).requiresGrad();
        GradCheck.assertGradients("TripletMargin", in -> new TripletMarginLoss(Reduction.NONE, 5f, 2f, 1e-6f, false)
                .forward(in[0], in[1], in[2]), a, p, n);
        GradCheck.assertGradients("TripletMargin p=1.5 swap", in -> new TripletMarginLoss(Reduction.SUM, 5f, 1.5f, 1e-6f, true)
                .forward(in[0], in[1], in[2]), a, p, n);
        GradCheck.assertGradients("TripletMargin squared", in -> TripletMarginLoss.squared(50f).forward(in[0], in[1], in[2]), a, p, n);
        GradCheck.assertGradients("TripletMargin squared p=1.5 swap", in -> new TripletMarginLoss(Reduction.NONE, 50f, 1.5f, 1e-6f, true, true)
                .forward(in[0], in[1], in[2]), a, p, n);
        GradCheck.assertGradients("Contrastive", in -> new ContrastiveLoss(Reduction.NONE, 10f).forward(in[0], in[1], t(1f, 0f, 0f)), a, p);
        GradCheck.assertGradients("CosineEmbedding", in -> new CosineEmbeddingLoss(Reduction.NONE, -1f).forward(in[0], in[1], t(1f, -1f, -1f)),
                a, p);
        Tensor logq = Tensor.randn(RNG, 3, 4).logSoftmax(1).detach().requiresGrad();
        Tensor q = Tensor.randn(RNG, 3, 4).softmax(1).detach().requiresGrad();
        GradCheck.assertGradients("KLDiv", in -> new KLDivLoss(Reduction.BATCH_MEAN, false).forward(in[0], in[1]), logq, q);
        GradCheck.assertGradients("KLDiv logTarget", in -> new KLDivLoss(Reduction.SUM, true).forward(in[0], in[1]), logq,
                Tensor.randn(RNG, 3, 4).logSoftmax(1).detach().requiresGrad());
    }

    @Test
    void shapeMismatchIsClear() {
        assertThatThrownBy(() -> new MSELoss().forward(Tensor.zeros(2, 3), Tensor.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MSELoss: input shape [2, 3] and target shape [2, 4] differ");
    }
}
