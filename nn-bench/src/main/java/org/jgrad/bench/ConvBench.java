package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference CNN's conv layers at batch 64, through the public {@code Conv2d} layer:
 * conv1 1→32 5×5 pad 2 on 28×28 and conv2 32→64 5×5 pad 2 on 14×14. Time per call;
 * GFLOPS = 2·N·K·C·R·S·P·Q / t for the forward, and 3× that for forward+backward of conv2
 * (dx, dw), 2× for conv1 (its input needs no gradient in training).
 *
 * <pre>
 * java -jar nn-bench/target/benchmarks.jar ConvBench -p threads=1
 * </pre>
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConvBench extends KernelBench {

    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    private Workloads.ConvCase conv;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        conv = layer.equals("conv1") ? Workloads.conv1(64) : Workloads.conv2(64);
    }

    @Benchmark
    public Tensor forward() {
        return conv.forward();
    }

    @Benchmark
    public Tensor[] forwardBackward() {
        return conv.forwardBackward();
    }
}
