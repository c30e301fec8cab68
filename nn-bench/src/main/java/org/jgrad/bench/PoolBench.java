package org.jgrad.bench;

import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Max pooling 2×2 on the first conv's output [64, 32, 28, 28] through the {@code MaxPool2d}
 * layer. GB/s of compulsory traffic = 4·(|x| + |y|) / t forward, twice that forward+backward.
 */
public class PoolBench extends KernelBench {

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
