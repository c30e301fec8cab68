package org.jgrad.bench;

import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@code Tensor.softmax} and {@code logSoftmax} along the last dim: [128, 10] (the classifier
 * head of a training batch) and [1024, 1000] (a wide vocabulary). Time per call.
 */
public class SoftmaxBench extends KernelBench {

    /** rows x cols. */
    @Param({"128x10", "1024x1000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Tensor x;

    @Setup
    public void setup() {
        String[] rc = shape.split("x");
        Parallel.setThreads(threads);
        x = Tensor.randn(new SplittableRandom(6), Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
    }

    @Benchmark
    public Tensor softmax() {
        return x.softmax(1);
    }

    @Benchmark
    public Tensor logSoftmax() {
        return x.logSoftmax(1);
    }
}
