package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void rankTooSmall() {
        assertThatThrownBy(() -> new Flatten().forward(Tensor.zeros(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Flatten(startDim=1, endDim=-1): input of shape [3] has rank 1");
    }
}
