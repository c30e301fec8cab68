package org.jgrad.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How training tells the user what is wrong with the data it was given. */
class TrainerErrorsTest {

    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    private static Trainer trainer(Linear model) {
        return new Trainer(model, new CrossEntropyLoss(), new SGD(model.parameters(), 0.1f)).shardSize(16).progress(Progress.Mode.OFF);
    }

    /**
     * A bad label in the third shard, whose forward runs on a pool thread: the user sees the loss's
     * own message (was "IllegalArgumentException: java.lang.IllegalArgumentException: CrossEntropyLoss: …").
     */
    @Test
    void anErrorInAShardOnAPoolThreadReachesTheUserUnwrapped() {
        float[] labels = new float[64];
        labels[40] = 7;
        TensorDataset data = new TensorDataset(Tensor.randn(new SplittableRandom(1), 64, 2), Tensor.of(labels));
        for (int threads : new int[] {1, 4}) {
            Parallel.setThreads(threads);
            Linear model = new Linear(2, 3, new SplittableRandom(2));
            assertThatThrownBy(() -> trainer(model).fit(new DataLoader(data, 64, false, 1), null, 1))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("CrossEntropyLoss: label 7 at position 8 is out of range for 3 classes (expected a whole number in 0..2)")
                    .hasNoCause();
        }
    }
}
