package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest {

    @Test
    void computesXWtPlusB() {
        var fc = new Linear(2, 1, new SplittableRandom(0));
        System.arraycopy(new float[] {2, 3}, 0, fc.weight().data(), 0, 2);
        fc.bias().data()[0] = 1;
        assertThat(fc.forward(Tensor.of(new float[] {1, 1, 2, 0}, 2, 2)).toArray()).containsExactly(6f, 5f);
    }

    @Test
    void defaultInitIsWithinOneOverSqrtIn() {
        var fc = new Linear(100, 50, new SplittableRandom(3));
        float bound = 0.1f;
        assertThat(fc.weight().abs().max().item()).isLessThanOrEqualTo(bound);
        assertThat(fc.bias().abs().max().item()).isLessThanOrEqualTo(bound);
        assertThat(fc.weight().abs().max().item()).isGreaterThan(0.09f);   // it does use the whole range
    }

    @Test
    void seedReproduces() {
        assertThat(new Linear(4, 3, new SplittableRandom(9)).weight().toArray())
                .containsExactly(new Linear(4, 3, new SplittableRandom(9)).weight().toArray());
        assertThat(new Linear(4, 3).weight().toArray()).isNotEqualTo(new Linear(4, 3).weight().toArray());
    }

    @Test
    void gradients() {
        var fc = new Linear(3, 2, new SplittableRandom(1));
        Tensor x = Tensor.randn(new SplittableRandom(2), 4, 3).requiresGrad();
        GradCheck.assertGradients("Linear", in -> fc.forward(in[0]), x, fc.weight(), fc.bias());
        var noBias = new Linear(3, 2, false, new SplittableRandom(1));
        assertThat(noBias.numParameters()).isEqualTo(6);
        GradCheck.assertGradients("Linear(bias=false)", in -> noBias.forward(in[0]), x, noBias.weight());
    }

    @Test
    void wrongLastDimensionIsClear() {
        assertThatThrownBy(() -> new Linear(784, 10).forward(Tensor.zeros(2, 783)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Linear(784→10): expected last dimension 784, got 783");
    }
}
