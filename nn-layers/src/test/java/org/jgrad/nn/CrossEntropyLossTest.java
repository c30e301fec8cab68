package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class CrossEntropyLossTest {

    private static final Tensor LOGITS = Tensor.randn(new SplittableRandom(7), 4, 3);
    private static final Tensor LABELS = Tensor.of(new float[] {0, 2, 1, 2});

    /** −Σ_c q_ic·w_c·log p_ic with q = (1 − ε)·onehot + ε/C, divided by Σ w_{y_i}: PyTorch's definition, in double. */
    private static double reference(Tensor logits, Tensor labels, float[] w, double eps) {
        int n = logits.size(0), c = logits.size(1);
        double total = 0, denom = 0;
        for (int i = 0; i < n; i++) {
            int y = (int) labels.get(i);
            double lse = 0;
            for (int k = 0; k < c; k++) lse += Math.exp(logits.get(i, k));
            lse = Math.log(lse);
            for (int k = 0; k < c; k++) {
                double q = (k == y ? 1 - eps : 0) + eps / c;
                total -= q * (w == null ? 1 : w[k]) * (logits.get(i, k) - lse);
            }
            denom += w == null ? 1 : w[y];
        }
        return total / denom;
    }

    @Test
    void uniformLogitsGiveLnC() {
        assertThat(new CrossEntropyLoss().forward(Tensor.zeros(3, 10), Tensor.of(new float[] {0, 4, 9})).item())
                .isCloseTo((float) Math.log(10), within(1e-6f));
    }

    @Test
    void matchesDefinition() {
        assertThat((double) new CrossEntropyLoss().forward(LOGITS, LABELS).item())
                .isCloseTo(reference(LOGITS, LABELS, null, 0), within(1e-6));
        float[] w = {0.2f, 1f, 3f};
        assertThat((double) new CrossEntropyLoss(Reduction.MEAN, Tensor.of(w), 0f).forward(LOGITS, LABELS).item())
                .isCloseTo(reference(LOGITS, LABELS, w, 0), within(1e-6));
        assertThat((double) new CrossEntropyLoss(Reduction.MEAN, null, 0.1f).forward(LOGITS, LABELS).item())
                .isCloseTo(reference(LOGITS, LABELS, null, 0.1), within(1e-6));
        assertThat((double) new CrossEntropyLoss(Reduction.MEAN, Tensor.of(w), 0.2f).forward(LOGITS, LABELS).item())
                .isCloseTo(reference(LOGITS, LABELS, w, 0.2), within(1e-6));
        assertThat((double) new CrossEntropyLoss(Reduction.SUM).forward(LOGITS, LABELS).item())
                .isCloseTo(4 * reference(LOGITS, LABELS, null, 0), within(1e-5));
        assertThat(new CrossEntropyLoss(Reduction.NONE).forward(LOGITS, LABELS).shape()).containsExactly(4);
    }

    @Test
    void equalsLogSoftmaxThenNll() {
        float ce = new CrossEntropyLoss().forward(LOGITS, LABELS).item();
        float nll = new NLLLoss().forward(LOGITS.logSoftmax(1), LABELS).item();
        assertThat(ce).isCloseTo(nll, within(1e-6f));
        float[] w = {0.5f, 2f, 1f};
        assertThat(new NLLLoss(Reduction.MEAN, Tensor.of(w)).forward(LOGITS.logSoftmax(1), LABELS).item())
                .isCloseTo((float) reference(LOGITS, LABELS, w, 0), within(1e-6f));
    }

    @Test
    void stableForHugeLogits() {
        Tensor x = Tensor.of(new float[] {1000, 0, -1000, 0}, 2, 2).requiresGrad();
        Tensor l = new CrossEntropyLoss(Reduction.NONE).forward(x, Tensor.of(new float[] {1, 0}));
        assertThat(l.toArray()).containsExactly(1000f, 1000f);
        l.sum().backward();
        assertThat(x.grad().toArray()).containsExactly(1f, -1f, -1f, 1f);
    }

    @Test
    void spatialAndUnbatchedInputs() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 2, 3, 2);   // [N, C, d]
        Tensor y = Tensor.of(new float[] {0, 2, 1, 1}, 2, 2);
        Tensor l = new CrossEntropyLoss(Reduction.NONE).forward(x, y);
        assertThat(l.shape()).containsExactly(2, 2);
        float l01 = new CrossEntropyLoss().forward(x.narrow(0, 0, 1).narrow(2, 1, 1).reshape(3), Tensor.scalar(2f)).item();
        assertThat(l.get(0, 1)).isCloseTo(l01, within(1e-6f));
    }

    @Test
    void gradients() {
        Tensor x = LOGITS.detach().requiresGrad();
        GradCheck.assertGradients("CrossEntropy", in -> new CrossEntropyLoss().forward(in[0], LABELS), x);
        Tensor w = Tensor.of(new float[] {0.2f, 1f, 3f});
        GradCheck.assertGradients("CrossEntropy weighted smoothed",
                in -> new CrossEntropyLoss(Reduction.NONE, w, 0.15f).forward(in[0], LABELS), x);
        GradCheck.assertGradients("NLL", in -> new NLLLoss(Reduction.SUM, w).forward(in[0], LABELS), x);
        Tensor x3 = Tensor.randn(new SplittableRandom(2), 2, 3, 2).requiresGrad();
        GradCheck.assertGradients("CrossEntropy [N, C, d]",
                in -> new CrossEntropyLoss().forward(in[0], Tensor.of(new float[] {0, 2, 1, 1}, 2, 2)), x3);
    }

    @Test
    void errorsNameTheLabelAndClassCount() {
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(Tensor.zeros(2, 5), Tensor.of(new float[] {1, 7})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CrossEntropyLoss: label 7 at position 1 is out of range for 5 classes (expected a whole number in 0..4)");
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(Tensor.zeros(2, 5), Tensor.of(new float[] {-1, 0})))
                .hasMessageContaining("label -1 at position 0");
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(Tensor.zeros(2, 5), Tensor.of(new float[] {1, 2, 3})))
                .hasMessageContaining("input of shape [2, 5] needs a target of class indices of shape [2], got [3]");
        assertThatThrownBy(() -> new CrossEntropyLoss(Reduction.MEAN, Tensor.ones(4), 0f).forward(Tensor.zeros(2, 5), Tensor.zeros(2)))
                .hasMessageContaining("4 class weights for 5 classes");
        assertThatThrownBy(() -> new NLLLoss().forward(Tensor.zeros(2, 5), Tensor.of(new float[] {1, 5})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NLLLoss: label 5 at position 1 is out of range for 5 classes (expected a whole number in 0..4)");
        assertThatThrownBy(() -> new NLLLoss().forward(Tensor.zeros(2, 5), Tensor.of(new float[] {0.5f, 1})))
                .hasMessageContaining("NLLLoss: label 0.5 at position 0 is out of range for 5 classes");
    }
}
