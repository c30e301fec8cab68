package org.jgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.jgrad.data.DataLoader;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;
import org.jgrad.optim.StepLR;
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SparkTrainer against Trainer on local[2], and its errors. */
class SparkTrainerTest extends SameBitsAsTrainer {

    @Override
    String master() {
        return "local[2]";
    }

    @Test
    void moreOrFewerPartitionsThanCoresChangeNoBit() {
        float[][] w = new float[3][];
        int[] parts = {1, 3, 7};
        for (int i = 0; i < parts.length; i++) {
            var t = new SparkTrainer(sc, SameBitsAsTrainer::mlp, CrossEntropyLoss::new, p -> new SGD(p, 0.1f)).shardSize(8)
                    .partitions(parts[i]).output(null);
            t.fit(SPIRAL, null, 64, 11, 1);
            w[i] = weights(t.model());
        }
        assertBitwiseEqual(w[1], w[0], "3 partitions against 1");
        assertBitwiseEqual(w[2], w[0], "7 partitions against 1");
    }

    /** Two epochs, a stop, a new trainer from the same factories: the third epoch ends on the bits of three straight epochs. */
    @Test
    void aRunResumedFromItsEpochCheckpointGetsTheBitsOfAStraightRun(@TempDir Path dir) throws IOException {
        Module reference = mlp();
        SGD opt = new SGD(reference.parameters(), 0.1f).momentum(0.9f);
        new Trainer(reference, new CrossEntropyLoss(), opt).scheduler(new StepLR(opt, 1, 0.5f)).shardSize(16)
                .progress(Progress.Mode.OFF).output(null).fit(new DataLoader(SPIRAL, 96, true, 5), null, 3);

        String uri = dir.resolve("run.safetensors").toUri().toString();
        var interrupted = new SparkTrainer(sc, SameBitsAsTrainer::mlp, CrossEntropyLoss::new, p -> new SGD(p, 0.1f).momentum(0.9f))
                .shardSize(16).output(null).checkpoint(uri);
        interrupted.scheduler(new StepLR(interrupted.optimizer(), 1, 0.5f)).fit(SPIRAL, null, 96, 5, 2);
        var resumed = new SparkTrainer(sc, SameBitsAsTrainer::mlp, CrossEntropyLoss::new, p -> new SGD(p, 0.1f).momentum(0.9f))
                .shardSize(16).output(null).checkpoint(uri);
        var history = resumed.scheduler(new StepLR(resumed.optimizer(), 1, 0.5f)).fit(SPIRAL, null, 96, 5, 3);

        assertThat(history).extracting(Trainer.EpochStats::epoch).containsExactly(2);
        assertThat(history.get(0).lr()).as("the schedule resumed too").isEqualTo((double) 0.025f);
        assertBitwiseEqual(weights(resumed.model()), weights(reference), "weights resumed after epoch 1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left").noneMatch(f -> f.endsWith(".tmp"))
                    .contains("run.safetensors");
        }
    }

    @Test
    void aBatchSizeThatDoesNotCutIntoShardsIsRefused() {
        var t = new SparkTrainer(sc, SameBitsAsTrainer::mlp, CrossEntropyLoss::new, p -> new SGD(p, 0.1f)).shardSize(16).output(null);
        assertThatThrownBy(() -> t.fit(SPIRAL, null, 100, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SparkTrainer.fit: batch size 100 is not a multiple of the shard size 16, so a batch does not cut into whole"
                        + " shards; take a batch size of k × 16 or a shard size that divides 100");
    }

    @Test
    void aFactoryThatCapturesADriverObjectIsRefusedByName() {
        Object notSerializable = new Object();
        ModelFactory model = () -> notSerializable == null ? null : mlp();
        assertThatThrownBy(() -> new SparkTrainer(sc, model, CrossEntropyLoss::new, p -> new SGD(p, 0.1f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SparkTrainer: the model factory is not serializable (java.io.NotSerializableException: java.lang.Object)")
                .hasMessageContaining("it may capture only serializable values");
        assertThatThrownBy(() -> new SparkTrainer(sc, SameBitsAsTrainer::mlp, () -> notSerializable == null ? null : new CrossEntropyLoss(),
                p -> new SGD(p, 0.1f))).hasMessageStartingWith("SparkTrainer: the loss factory is not serializable");
    }

    @Test
    void aModuleThatChangesStateInTrainingIsRefusedByName() {
        ModelFactory withDropout = () -> new Sequential(new Linear(2, 8, new SplittableRandom(1)), new ReLU(), new Dropout(0.5f),
                new Linear(8, 3, new SplittableRandom(2)));
        assertThatThrownBy(() -> new SparkTrainer(sc, withDropout, CrossEntropyLoss::new, p -> new SGD(p, 0.1f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SparkTrainer: module '2' (Dropout) changes state in a training forward");
    }

    @Test
    void gradientsLargerThanMaxResultSizeNameTheSetting() {
        assertThat(SparkTrainer.resultSizeProblem(4, 2, 1000, 1 << 20)).isNull();
        assertThat(SparkTrainer.resultSizeProblem(4, 2, 1000, 0)).isNull();
        assertThat(SparkTrainer.resultSizeProblem(4, 2, 1_000_000, 1 << 20)).isEqualTo("SparkTrainer: a step brings 4 gradient sums"
                + " of 1,000,000 floats from 2 partitions to the driver, about 16,004,096 bytes, more than spark.driver.maxResultSize"
                + " (1,048,576 bytes); raise spark.driver.maxResultSize to at least 16,004,096 (or 0 for no limit), or use fewer partitions");
    }

}
