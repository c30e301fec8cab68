package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {

    @Test
    void keepsBatchDim() {
        assertThat(new Flatten().forward(Tensor.zeros(2, 3, 4, 5)).shape()).containsExactly(2, 60);
        assertThat(new Flatten(0, -1).forward(Tensor.zeros(2, 3)).shape()).containsExactly(6);
        assertThat(new Identity().forward(Tensor.zeros(2, 3)).shape()).containsExactly(2, 3);
    }

    @Test
    void gradients() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 2, 3, 2, 2).requiresGrad();
        GradCheck.assertGradients("Flatten", in -> new Flatten().forward(in[0]), x);
        GradCheck.assertGradients("Flatten(1, 2)", in -> new Flatten(1, 2).forward(in[0]).exp(), x);
    }

    @Test
    void rankTooSmall() {
        assertThatThrownBy(() -> new Flatten().forward(Tensor.zeros(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Flatten(startDim=1, endDim=-1): input of shape [3] has rank 1");
    }
}
