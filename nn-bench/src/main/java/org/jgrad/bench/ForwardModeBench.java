package org.jgrad.bench;

import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradMode;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Module;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What forward mode costs: the reference MLP (batch 128) and CNN (batch 64) evaluated plainly
 * (no graph) and with {@code Autograd.jvp} carrying one tangent through every op. The issue's
 * bound is jvp ≤ 3× forward.
 *
 * <pre>
 * java -jar nn-bench/target/benchmarks.jar ForwardModeBench -p threads=1
 * </pre>
 */
public class ForwardModeBench extends KernelBench {

    @Param({"mlp", "cnn"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private Module net;
    private Tensor x, direction;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(3);
        boolean mlp = model.equals("mlp");
        net = mlp ? Workloads.mlp(1) : Workloads.cnn(1);
        int[] shape = mlp ? new int[] {128, 784} : new int[] {64, 1, 28, 28};
        x = Tensor.randn(rng, shape);
        direction = Tensor.randn(rng, shape);
    }

    @Benchmark
    public Tensor forward() {
        try (var off = GradMode.off()) {
            return net.forward(x);
        }
    }

    @Benchmark
    public Tensor[] jvp() {
        return Autograd.jvp(in -> net.forward(in[0]), new Tensor[] {x}, new Tensor[] {direction});
    }
}
