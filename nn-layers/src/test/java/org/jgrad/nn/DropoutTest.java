package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void keepsOrScalesByOneOverOneMinusP() {
        var d = new Dropout(0.75f, new SplittableRandom(5));
        float[] y = d.forward(Tensor.ones(10_000)).toArray();
        int kept = 0;
        for (float v : y) {
            assertThat(v).isIn(0f, 4f);
            if (v != 0f) kept++;
        }
        assertThat(kept).isBetween(2300, 2700);
    }

    @Test
    void evalIsTheIdentity() {
        var d = new Dropout(0.5f);
        d.eval();
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        assertThat(d.forward(x)).isSameAs(x);
    }

    @Test
    void seedReproducesAndGradientUsesTheMask() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}).requiresGrad();
        float[] a = new Dropout(0.5f, new SplittableRandom(1)).forward(x).toArray();
        float[] b = new Dropout(0.5f, new SplittableRandom(1)).forward(x).toArray();
        assertThat(a).containsExactly(b);
        var d = new Dropout(0.5f, new SplittableRandom(1));
        Tensor y = d.forward(x);
        y.sum().backward();
        float[] g = x.grad().toArray();
        for (int i = 0; i < 6; i++) assertThat(g[i]).isEqualTo(a[i] == 0 ? 0f : 2f);
    }

    @Test
    void gradCheckWithFixedMask() {
        Tensor x = Tensor.randn(new SplittableRandom(3), 8).requiresGrad();
        // a fresh generator per call keeps the mask the same across finite-difference evaluations
        GradCheck.assertGradients("Dropout", in -> new Dropout(0.3f, new SplittableRandom(4)).forward(in[0]), x);
    }

    @Test
    void probabilityOutOfRange() {
        assertThatThrownBy(() -> new Dropout(1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Dropout: probability must be in [0, 1], got 1.5");
    }
}
