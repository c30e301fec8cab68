package org.jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
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

    private static TensorDataset empty() {
        return new TensorDataset(Tensor.zeros(0, 2), Tensor.zeros(0));
    }

    /** Was: "epoch 0: train loss 0.0000 acc 0.0000", an epoch over nothing reported as a perfect fit. */
    @Test
    void anEmptyDatasetIsRefusedInsteadOfTrainingToLossZero() {
        assertThatThrownBy(() -> new DataLoader(empty(), 32, true, 1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("DataLoader: the dataset is empty (0 samples): an epoch would have no batches");
        TensorDataset ten = new TensorDataset(Tensor.zeros(10, 2), Tensor.zeros(10));
        assertThatThrownBy(() -> new DataLoader(ten, 32, false, 1, true))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("DataLoader: the dataset has 10 samples, fewer than the batch size 32, and dropLast skips the one short"
                        + " batch: an epoch would have no batches");
        Linear model = new Linear(2, 3, new SplittableRandom(2));
        Trainer trainer = trainer(model);
        // a batch of 0 samples (was ArrayIndexOutOfBoundsException: Index 0 out of bounds for length 0)
        assertThatThrownBy(() -> trainer.step(new Batch(Tensor.zeros(0, 2), Tensor.zeros(0))))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Trainer.step: the batch is empty (0 samples)");
        // an empty validation set (was "val loss 0.0000")
        assertThatThrownBy(() -> trainer.evaluate(empty()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Trainer.evaluate: the dataset is empty (0 samples): there is no loss or accuracy to report");
        float[] before = model.weight().toArray();
        assertThatThrownBy(() -> trainer.fit(new DataLoader(ten, 5, false, 1), empty(), 1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Trainer.fit: the validation set is empty (0 samples); pass null for no validation");
        assertThat(model.weight().toArray()).as("refused before the first step").isEqualTo(before);
    }

    /** A dataset of the user's own over a list that was emptied after the loader was made. */
    @Test
    void aLoaderWhoseDatasetEmptiedIsRefusedByFit() {
        List<float[]> rows = new ArrayList<>(List.of(new float[] {0.5f, 1f}, new float[] {1f, 0f}));
        Dataset listed = new Dataset() {
            @Override
            public int size() {
                return rows.size();
            }

            @Override
            public int[] featureShape() {
                return new int[] {2};
            }

            @Override
            public Batch batch(int[] idx) {
                float[] x = new float[2 * idx.length];
                for (int i = 0; i < idx.length; i++) System.arraycopy(rows.get(idx[i]), 0, x, 2 * i, 2);
                return new Batch(Tensor.of(x, idx.length, 2), Tensor.zeros(idx.length));
            }
        };
        DataLoader loader = new DataLoader(listed, 4, false, 1);
        rows.clear();
        Linear model = new Linear(2, 3, new SplittableRandom(2));
        assertThatThrownBy(() -> trainer(model).fit(loader, null, 1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Trainer.fit: the training loader has no batches (its dataset has 0 samples, batch size 4): an epoch"
                        + " would train on nothing and report a loss of 0");
    }
}
