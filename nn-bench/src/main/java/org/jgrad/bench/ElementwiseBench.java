package org.jgrad.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jgrad.core.kernels.Elementwise;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The static elementwise kernels on n floats: add (memory-bound: 12 bytes per element), exp and
 * sigmoid (compute-bound). n = 4096 stays in L1, 2^20 does not. Time per call in nanoseconds.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ElementwiseBench extends KernelBench {

    @Param({"4096", "1048576"})
    public int n;

    private float[] a, b, out;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(5);
        a = new float[n];
        b = new float[n];
        out = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
            b[i] = (float) rnd.nextGaussian();
        }
    }

    @Benchmark
    public float[] add() {
        Elementwise.add(a, 0, b, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] exp() {
        Elementwise.exp(a, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] sigmoid() {
        Elementwise.sigmoid(a, 0, out, 0, n);
        return out;
    }
}
