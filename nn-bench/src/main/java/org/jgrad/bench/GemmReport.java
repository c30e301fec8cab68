package org.jgrad.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.kernels.Gemm;
import org.jgrad.core.kernels.Simd;

/**
 * Quick SGEMM report (well under two minutes): GFLOPS = 2·M·N·K / time, median of 7 timed
 * repetitions after warm-up, for 1 and 2 threads, on the shapes of {@code ../shared/peers/run.sh gemm}
 * plus the backward forms of the training step. Arguments: thread counts (default "1 2").
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.jgrad.bench.GemmReport 1 2
 * </pre>
 */
public final class GemmReport {

    /** One product C[M×N] = op(A)·op(B) with op(A) M×K, op(B) K×N. */
    record Shape(String name, boolean transA, boolean transB, int m, int n, int k) {}

    static final List<Shape> SHAPES = List.of(
            new Shape("n=128", false, false, 128, 128, 128),
            new Shape("n=256", false, false, 256, 256, 256),
            new Shape("n=512", false, false, 512, 512, 512),
            new Shape("n=1024", false, false, 1024, 1024, 1024),
            new Shape("n=2048", false, false, 2048, 2048, 2048),
            new Shape("fc1 Y=X.W   (128x784)(784x512)", false, false, 128, 512, 784),
            new Shape("fc1 dW=Xt.dY (784x128)(128x512)", true, false, 784, 512, 128),
            new Shape("fc1 dX=dY.Wt (128x512)(512x784)", false, true, 128, 784, 512),
            new Shape("fc2 Y=X.W   (128x512)(512x256)", false, false, 128, 256, 512),
            new Shape("fc2 dW=Xt.dY (512x128)(128x256)", true, false, 512, 256, 128),
            new Shape("fc2 dX=dY.Wt (128x256)(256x512)", false, true, 128, 512, 256));

    private static final int REPS = 7;
    private static final double BATCH_SECONDS = 0.15;
    private static final double WARMUP_SECONDS = 1.0;

    private GemmReport() {}

    public static void main(String[] args) {
        int[] threads = args.length == 0 ? new int[] {1, 2} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("# jgrad sgemm, Java %s, %s%n", Runtime.version(), Simd.describe());
        System.out.printf("%-34s %2s %8s %8s %8s%n", "shape", "T", "min", "median", "max");
        for (int t : threads) {
            Parallel.setThreads(t);
            for (Shape s : SHAPES) {
                double[] g = measure(s);
                System.out.printf("%-34s %2d %8.1f %8.1f %8.1f%n", s.name(), t, g[0], g[REPS / 2], g[REPS - 1]);
            }
        }
    }

    /** Sorted GFLOPS of REPS timed repetitions. */
    static double[] measure(Shape s) {
        SplittableRandom rnd = new SplittableRandom(0);
        float[] a = random(rnd, s.m() * s.k()), b = random(rnd, s.k() * s.n()), c = new float[s.m() * s.n()];
        int lda = s.transA() ? s.m() : s.k(), ldb = s.transB() ? s.k() : s.n();
        Runnable call = () -> Gemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n());
        double flop = 2.0 * s.m() * s.n() * s.k();
        // Warm up for at least WARMUP_SECONDS and until no JIT compilation has finished for a second:
        // on a busy machine the compiler threads compete for the cores, and until C2 has
        // compiled the kernel it runs about 1000x slower (a plateau that looks stable).
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long lastJitTime = -1, idleSince = start;
        while (true) {
            call.run();
            long now = System.nanoTime();
            long jitTime = jit.getTotalCompilationTime();
            if (jitTime != lastJitTime) {
                lastJitTime = jitTime;
                idleSince = now;
            }
            boolean warm = now - start > WARMUP_SECONDS * 1e9 && now - idleSince > 1_000_000_000L;
            if (warm || now - start > 30e9) break;
        }
        long t0 = System.nanoTime();
        call.run();
        int inner = (int) Math.max(1, BATCH_SECONDS * 1e9 / Math.max(1, System.nanoTime() - t0));
        List<Double> g = new ArrayList<>();
        for (int r = 0; r < REPS; r++) {
            long s0 = System.nanoTime();
            for (int i = 0; i < inner; i++) call.run();
            g.add(flop * inner / (System.nanoTime() - s0));
        }
        return g.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() - 0.5);
        return x;
    }
}
