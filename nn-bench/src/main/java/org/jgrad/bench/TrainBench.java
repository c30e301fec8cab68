package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.core.Parallel;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.nn.Module;
import org.jgrad.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training throughput in samples/s (JMH "ops/s", one op = one sample): one {@code Trainer.step}
 * (forward, backward, SGD with momentum; the Trainer's default shards) of the reference MLP 784-512-256-10 at
 * batch 128 and of the reference CNN at batch 64, and epoch-equivalents — shuffled minibatches
 * drawn by a {@code DataLoader} from a synthetic in-memory dataset (8192 samples for the MLP,
 * 1024 for the CNN).
 *
 * <pre>
 * java -jar nn-bench/target/benchmarks.jar TrainBench.mlp -p threads=1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainBench {

    static final int MLP_EPOCH = 8192, CNN_EPOCH = 1024;

    @State(Scope.Benchmark)
    public static class Threads {
        @Param({"1", "2"})
        public int threads;

        @Setup(Level.Trial)
        public void setup() {
            Parallel.setThreads(threads);
        }
    }

    /** A model's trainer, one fixed batch for the step figures and a loader for the epoch figures. */
    abstract static class Job {
        Trainer trainer;
        Batch batch;
        DataLoader loader;
        int epoch;

        void init(Module model, int batchSize, int samples, int... sampleShape) {
            trainer = Workloads.trainer(model);
            batch = Workloads.batch(batchSize, 2, sampleShape);
            loader = new DataLoader(Workloads.synthetic(samples, 3, sampleShape), batchSize, true, 4);
        }
    }

    @State(Scope.Benchmark)
    public static class Mlp extends Job {
        @Setup(Level.Trial)
        public void setup() {
            init(Workloads.mlp(1), 128, MLP_EPOCH, 784);
        }
    }

    @State(Scope.Benchmark)
    public static class Cnn extends Job {
        @Setup(Level.Trial)
        public void setup() {
            init(Workloads.cnn(1), 64, CNN_EPOCH, 1, 28, 28);
        }
    }

    @Benchmark
    @OperationsPerInvocation(128)
    public Trainer.StepResult mlpStep(Threads t, Mlp s) {
        return s.trainer.step(s.batch);
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public Trainer.StepResult cnnStep(Threads t, Cnn s) {
        return s.trainer.step(s.batch);
    }

    @Benchmark
    @OperationsPerInvocation(MLP_EPOCH)
    public int mlpEpoch(Threads t, Mlp s) {
        return Workloads.epoch(s.trainer, s.loader, s.epoch++);
    }

    @Benchmark
    @OperationsPerInvocation(CNN_EPOCH)
    public int cnnEpoch(Threads t, Cnn s) {
        return Workloads.epoch(s.trainer, s.loader, s.epoch++);
    }
}
