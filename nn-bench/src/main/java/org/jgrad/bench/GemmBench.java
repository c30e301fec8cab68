package org.jgrad.bench;

import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.kernels.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * SGEMM time per call; GFLOPS = 2·M·N·K / time. Shapes: square n = 128…2048 and the training-step
 * products of an MLP 784-512-256 at batch 128 with their backward forms (dW = Xᵀ·dY uses transA,
 * dX = dY·Wᵀ uses transB).
 *
 * <pre>
 * java -jar nn-bench/target/benchmarks.jar GemmBench -p threads=1
 * </pre>
 */
public class GemmBench extends KernelBench {

    /** transA transB M N K. */
    @Param({"NN_128_128_128", "NN_256_256_256", "NN_512_512_512", "NN_1024_1024_1024", "NN_2048_2048_2048",
            "NN_128_512_784", "TN_784_512_128", "NT_128_784_512",
            "NN_128_256_512", "TN_512_256_128", "NT_128_512_256"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private boolean transA, transB;
    private int m, n, k, lda, ldb;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] f = shape.split("_");
        transA = f[0].charAt(0) == 'T';
        transB = f[0].charAt(1) == 'T';
        m = Integer.parseInt(f[1]);
        n = Integer.parseInt(f[2]);
        k = Integer.parseInt(f[3]);
        lda = transA ? m : k;
        ldb = transB ? k : n;
        SplittableRandom rnd = new SplittableRandom(0);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - 0.5);
        for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - 0.5);
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        return c;
    }
}
