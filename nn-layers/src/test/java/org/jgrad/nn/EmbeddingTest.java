package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

    @Test
    void looksUpRowsAndAccumulatesGradients() {
        var emb = new Embedding(4, 2, new SplittableRandom(1));
        Tensor idx = Tensor.of(new float[] {1, 3, 1, 0}, 2, 2);
        Tensor y = emb.forward(idx);
        assertThat(y.shape()).containsExactly(2, 2, 2);
        assertThat(y.get(0, 1, 0)).isEqualTo(emb.weight().get(3, 0));
        y.sum().backward();
        assertThat(emb.weight().grad().toArray()).containsExactly(1, 1, 2, 2, 0, 0, 1, 1);
        GradCheck.assertGradients("Embedding", in -> emb.forward(idx), emb.weight());
    }

    @Test
    void indexOutOfRange() {
        assertThatThrownBy(() -> new Embedding(4, 2).forward(Tensor.of(new float[] {1, 4})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Embedding(4, 2): index 4 at position 1 is out of range (expected a whole number in 0..3)");
    }
}
