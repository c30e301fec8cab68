package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class SequenceCrossEntropyLossTest {

    @Test
    void equalsCrossEntropyOnTheFlattenedSteps() {
        Tensor logits = Tensor.randn(new SplittableRandom(1), 2, 3, 5);
        Tensor target = Tensor.of(new float[] {0, 4, 2, 1, 1, 3}, 2, 3);
        float seq = new SequenceCrossEntropyLoss().forward(logits, target).item();
        float flat = new CrossEntropyLoss().forward(logits.reshape(6, 5), target.reshape(6)).item();
        assertThat(seq).isCloseTo(flat, within(1e-7f));
        assertThat(new SequenceCrossEntropyLoss(Reduction.NONE).forward(logits, target).shape()).containsExactly(2, 3);
    }

    @Test
    void shapesAreChecked() {
        assertThatThrownBy(() -> new SequenceCrossEntropyLoss().forward(Tensor.zeros(2, 3, 5), Tensor.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected input [batch, time, classes] and target [batch, time], got [2, 3, 5] and [2, 4]");
    }
}
