package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class FocalLossTest {

    private static final Tensor LOGITS = Tensor.randn(new SplittableRandom(11), 5, 4);
    private static final Tensor LABELS = Tensor.of(new float[] {0, 3, 1, 2, 3});

    private static Tensor t(float... v) {
        return Tensor.of(v);
    }

    @Test
    void gammaZeroWithoutAlphaIsCrossEntropy() {
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            float[] focal = new FocalLoss(r, 0f, null).forward(LOGITS, LABELS).toArray();
            float[] ce = new CrossEntropyLoss(r).forward(LOGITS, LABELS).toArray();
            assertThat(focal).as(r.name()).containsExactly(ce, within(1e-6f));
        }
        assertThat(new FocalLoss(0f).forward(LOGITS, LABELS).item())
                .isCloseTo(new CrossEntropyLoss().forward(LOGITS, LABELS).item(), within(1e-6f));
    }

    @Test
    void handComputedTwoByThreeWithGammaAndAlpha() {
        // row 0: p_2 = e^0.5/(e^1+e^2+e^0.5) = 0.140244, l = −0.75·(0.859756)²·ln 0.140244 = 1.089016
        // row 1: p_0 = e^0.2/(e^0.2+e^-1+e^1.5) = 0.201187, l = −0.25·(0.798813)²·ln 0.201187 = 0.255802
        Tensor logits = Tensor.of(new float[] {1f, 2f, 0.5f, 0.2f, -1f, 1.5f}, 2, 3);
        Tensor labels = t(2, 0);
        Tensor alpha = t(0.25f, 0.5f, 0.75f);
        assertThat(new FocalLoss(Reduction.NONE, 2f, alpha).forward(logits, labels).toArray())
                .containsExactly(new float[] {1.0890162f, 0.2558020f}, within(1e-5f));
        assertThat(new FocalLoss(Reduction.SUM, 2f, alpha).forward(logits, labels).item()).isCloseTo(1.3448181f, within(1e-5f));
        // MEAN divides by N = 2 (torchvision's sigmoid_focal_loss), not by Σ α_y = 1
        assertThat(new FocalLoss(Reduction.MEAN, 2f, alpha).forward(logits, labels).item()).isCloseTo(0.6724091f, within(1e-5f));
    }

    @Test
    void easyExampleIsHundredTimesSmallerThanCrossEntropyAtGammaTwo() {
        Tensor logits = Tensor.of(new float[] {(float) Math.log(9), 0f}, 1, 2);   // p_0 = 9/10
        Tensor labels = t(0);
        float ce = new CrossEntropyLoss().forward(logits, labels).item();
        float focal = new FocalLoss(2f).forward(logits, labels).item();
        assertThat(ce).isCloseTo((float) -Math.log(0.9), within(1e-6f));
        assertThat(focal / ce).isCloseTo(0.01f, within(1e-5f));
    }

    @Test
    void docExample() {
        assertThat(new FocalLoss(2f).forward(Tensor.zeros(2, 2), t(0, 1)).item()).isCloseTo(0.1733f, within(1e-4f));
        assertThat(new FocalLoss(Reduction.SUM, 2f, null).toString()).contains("FocalLoss(reduction=sum, gamma=2.0");
    }

    @Test
    void gradientOfLogitsMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(new SplittableRandom(3), 4, 3).requiresGrad();
        Tensor labels = t(1, 0, 2, 1);
        Tensor alpha = t(0.5f, 1f, 2f);
        GradCheck.assertGradients("Focal γ=2", in -> new FocalLoss(2f).forward(in[0], labels), x);
        GradCheck.assertGradients("Focal γ=1.5 α sum", in -> new FocalLoss(Reduction.SUM, 1.5f, alpha).forward(in[0], labels), x);
        GradCheck.assertGradients("Focal γ=0.5 none", in -> new FocalLoss(Reduction.NONE, 0.5f, null).forward(in[0], labels), x);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new FocalLoss(-1f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: gamma must be a finite number >= 0, got -1.0");
        assertThatThrownBy(() -> new FocalLoss(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: gamma must be a finite number >= 0, got NaN");
        assertThatThrownBy(() -> new FocalLoss(Reduction.MEAN, 2f, Tensor.zeros(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: alpha must be per-class weights of shape [C], got shape [2, 2]");
        assertThatThrownBy(() -> new FocalLoss(Reduction.MEAN, 2f, t(1, 1)).forward(LOGITS, LABELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: alpha must have shape [4] for logits of shape [5, 4], got [2]");
        assertThatThrownBy(() -> new FocalLoss(2f).forward(t(1, 2, 3), t(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: logits must be 2-D [N, C], got shape [3]");
        assertThatThrownBy(() -> new FocalLoss(2f).forward(LOGITS, t(0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: logits of shape [5, 4] need a target of class indices of shape [5], got [2]");
        assertThatThrownBy(() -> new FocalLoss(2f).forward(LOGITS, t(0, 1, 4, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FocalLoss: label 4 at position 2 is out of range for 4 classes (expected a whole number in 0..3)");
        assertThatThrownBy(() -> new FocalLoss(2f).forward(LOGITS, t(0, 1, -1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FocalLoss: label -1 at position 2 is out of range for 4 classes");
    }
}
