package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.optim.Adam;
import org.jgrad.optim.AdamW;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.Test;

/** What JShell shows for a dataset, a loader and an optimizer: their settings, not Object's hash. */
class DescriptionsTest {

    @Test
    void datasetsAndLoadersSayWhatTheyHold() {
        var ds = new TensorDataset(Tensor.zeros(10, 1, 2, 2), Tensor.zeros(10));
        assertThat(ds).hasToString("TensorDataset(10 samples of [1, 2, 2], labels [10])");
        var bytes = new ByteImages(new byte[12], new byte[3], 2, 2);
        assertThat(bytes).hasToString("ByteImages(3 images of [2, 2], kept as bytes)");
        assertThat(new Subset(ds, new int[] {1, 2})).hasToString("Subset(2 of TensorDataset(10 samples of [1, 2, 2], labels [10]))");
        assertThat(new DataLoader(ds, 4, true, 7)).hasToString(
                "DataLoader(3 batches of 4, shuffled with seed 7, over TensorDataset(10 samples of [1, 2, 2], labels [10]))");
        assertThat(new DataLoader(ds, 4, false, 7, true)).hasToString(
                "DataLoader(2 batches of 4, last partial batch dropped, in order, over TensorDataset(10 samples of [1, 2, 2], labels [10]))");
    }

    @Test
    void optimizersShowTheirSettingsAndGroups() {
        var layer = new Linear(3, 2, new SplittableRandom(1));
        List<Tensor> params = layer.parameters();
        var sgd = new SGD(params, 0.1f).momentum(0.9f);
        assertThat(sgd).hasToString(String.format("SGD (momentum 0.9, dampening 0, nesterov false)%n"
                + "  group 0: 2 tensors, 8 values; lr 0.1, weight decay 0"));
        assertThat(new Adam(params, 1e-3f).toString()).startsWith("Adam (betas (0.9, 0.999), eps 1.0e-8)");
        assertThat(new AdamW(params).toString()).startsWith("AdamW (betas (0.9, 0.999), eps 1.0e-8, decoupled weight decay)");
    }

    /** An epoch without a validation set says nothing of validation (it printed "val loss NaN acc NaN"). */
    @Test
    void epochLinesLeaveOutAMissingValidation() {
        var without = new org.jgrad.train.Trainer.EpochStats(2, 0.5, 0.75, Double.NaN, Double.NaN, 0.1, 1.5, 1000);
        assertThat(without).hasToString("epoch 2: train loss 0.5000 acc 0.7500 | lr 0.1000 | 1.5s, 1,000 samples/s");
        var with = new org.jgrad.train.Trainer.EpochStats(2, 0.5, 0.75, 0.25, 0.875, 0.1, 1.5, 1000);
        assertThat(with).hasToString("epoch 2: train loss 0.5000 acc 0.7500 | val loss 0.2500 acc 0.8750 | lr 0.1000 | 1.5s, 1,000 samples/s");
    }
}
