package org.jgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.jgrad.core.Tensor;
import org.jgrad.data.DataLoader;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Loss;
import org.jgrad.nn.Module;
import org.jgrad.nn.Reduction;
import org.jgrad.optim.SGD;
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A task that fails and is retried (local[2,2]: two cores, two attempts per task) returns the same gradient. */
class SparkTrainerRetryTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = SameBitsAsTrainer.start("local[2,2]");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) sc.stop();
    }

    /** Cross-entropy that throws in the first attempt of every task of every other step (stage), after the forward ran. */
    static final class FailsFirstAttempt extends Loss {
        /** Failures thrown so far (local mode: the executor is this JVM). */
        static final AtomicInteger FAILURES = new AtomicInteger();

        private final CrossEntropyLoss inner = new CrossEntropyLoss();

        FailsFirstAttempt() {
            super(Reduction.MEAN);
        }

        @Override
        public Tensor forward(Tensor input, Tensor target) {
            Tensor l = inner.forward(input, target);
            TaskContext task = TaskContext.get();
            if (task != null && task.attemptNumber() == 0 && task.stageId() % 2 == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure in stage " + task.stageId() + ", partition " + task.partitionId());
            }
            return l;
        }
    }

    @Test
    void retriedTasksLeaveTheWeightsUnchanged() {
        Module reference = SameBitsAsTrainer.mlp();
        new Trainer(reference, new CrossEntropyLoss(), new SGD(reference.parameters(), 0.1f).momentum(0.9f)).shardSize(16)
                .progress(Progress.Mode.OFF).output(null).fit(new DataLoader(SameBitsAsTrainer.SPIRAL, 96, true, 5), null, 2);

        var spark = new SparkTrainer(sc, SameBitsAsTrainer::mlp, FailsFirstAttempt::new, p -> new SGD(p, 0.1f).momentum(0.9f))
                .shardSize(16).output(null);
        spark.fit(SameBitsAsTrainer.SPIRAL, null, 96, 5, 2);

        assertThat(FailsFirstAttempt.FAILURES.get()).as("tasks that failed and were retried").isGreaterThanOrEqualTo(4);
        SameBitsAsTrainer.assertBitwiseEqual(SameBitsAsTrainer.weights(spark.model()), SameBitsAsTrainer.weights(reference),
                "weights after retried tasks");
    }
}
