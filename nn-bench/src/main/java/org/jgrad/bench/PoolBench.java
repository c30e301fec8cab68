package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Max pooling 2×2 on the first conv's output [64, 32, 28, 28] through the {@code MaxPool2d}
 * layer. GB/s of compulsory traffic = 4·(|x| + |y|) / t forward, twice that forward+backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PoolBench {

    @Param({"1", "2"})
    public int threads;

    private Workloads.PoolCase pool;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        pool = new Workloads.PoolCase(64);
    }

    @Benchmark
    public Tensor forward() {
        return pool.forward();
    }

    @Benchmark
    public Tensor[] forwardBackward() {
        return pool.forwardBackward();
    }
}
