package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class LayerNormTest {

    @Test
    void normalisesEachRow() {
        float[] y = new LayerNorm(3).forward(Tensor.of(new float[] {1, 2, 3, 10, 10, 40}, 2, 3)).toArray();
        float a = (float) (1 / Math.sqrt(2.0 / 3 + 1e-5));
        assertThat(y[0]).isCloseTo(-a, within(1e-5f));
        assertThat(y[1]).isCloseTo(0f, within(1e-6f));
        assertThat(y[5]).isCloseTo((float) (20 / Math.sqrt(200 + 1e-5)), within(1e-5f));
    }

    @Test
    void gradients() {
        var ln = new LayerNorm(2, 3);
        ln.parameters().get(0).data()[2] = 2f;
        Tensor x = Tensor.randn(new SplittableRandom(4), 2, 2, 3).requiresGrad();
        GradCheck.assertGradients("LayerNorm", in -> ln.forward(in[0]), x, ln.parameters().get(0), ln.parameters().get(1));
    }

    @Test
    void wrongTrailingShape() {
        assertThatThrownBy(() -> new LayerNorm(4).forward(Tensor.zeros(2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected input ending in [4], got shape [2, 3]");
    }
}
