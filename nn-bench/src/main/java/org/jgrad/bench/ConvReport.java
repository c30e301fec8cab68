package org.jgrad.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.kernels.Conv2dKernel;
import org.jgrad.core.kernels.ConvGeometry;
import org.jgrad.core.kernels.Pool;
import org.jgrad.core.kernels.PoolGeometry;
import org.jgrad.core.kernels.Simd;

/**
 * Conv and pooling throughput for the reference CNN's layers (batch 64), comparable with
 * {@code ../shared/peers/run.sh conv THREADS}: forward GFLOPS = 2·N·K·C·R·S·P·Q / t, and
 * forward+backward (dx, dw, db) counted as 3× the forward flops. Max pooling 2×2 reports GB/s of
 * compulsory traffic (forward: read x, write y and argmax; backward: read dy and argmax, write dx).
 * Median of 9 timed batches. Usage: {@code ConvReport [threads...]} (default 1 2).
 */
public final class ConvReport {

    private ConvReport() {}

    public static void main(String[] args) {
        int[] threads = args.length == 0 ? new int[] {1, 2} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("# jgrad ConvReport, " + Simd.describe() + ", Java " + Runtime.version());
        ConvGeometry[] layers = {
                ConvGeometry.conv2d(64, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1),
                ConvGeometry.conv2d(64, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1)};
        for (int t : threads) {
            Parallel.setThreads(t);
            for (ConvGeometry g : layers) conv(g, t);
            maxPool(PoolGeometry.maxPool2d(64, 32, 28, 28, 2, 2, 2, 2, 0, 0), t);
        }
    }

    private static void conv(ConvGeometry g, int t) {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = random(rnd, g.n * g.inputSize()), w = random(rnd, g.weightSize()), b = random(rnd, g.k);
        float[] y = new float[g.n * g.outputSize()], dy = random(rnd, y.length);
        float[] dx = new float[x.length], dw = new float[w.length], db = new float[g.k];
        double flop = 2.0 * g.macs();
        String name = "conv " + g.c + "->" + g.k + " " + g.r + "x" + g.s + " pad " + g.padH + " on " + g.h + "x" + g.w + " N=" + g.n;
        double f = median(() -> Conv2dKernel.forward(g, x, 0, w, 0, b, 0, y, 0));
        double fb = median(() -> {
            Conv2dKernel.forward(g, x, 0, w, 0, b, 0, y, 0);
            Conv2dKernel.backwardInput(g, dy, 0, w, 0, dx, 0);
            Conv2dKernel.backwardWeight(g, x, 0, dy, 0, dw, 0);
            Conv2dKernel.backwardBias(g, dy, 0, db, 0);
        });
        System.out.printf("%-40s T=%d forward %8.3f ms %7.1f GFLOPS | fwd+bwd %8.3f ms %7.1f GFLOPS%n",
                name, t, f * 1e3, flop / f / 1e9, fb * 1e3, 3 * flop / fb / 1e9);
    }

    private static void maxPool(PoolGeometry g, int t) {
        SplittableRandom rnd = new SplittableRandom(2);
        float[] x = random(rnd, g.inputSize()), y = new float[g.outputSize()], dy = random(rnd, y.length);
        float[] dx = new float[x.length];
        int[] arg = new int[y.length];
        double f = median(() -> Pool.maxPool2d(g, x, 0, y, 0, arg, 0));
        double bw = median(() -> Pool.maxPool2dBackward(g, dy, 0, arg, 0, dx, 0));
        double fBytes = 4.0 * (x.length + 2L * y.length), bBytes = 4.0 * (2L * y.length + x.length);
        System.out.printf("%-40s T=%d forward %8.3f ms %7.1f GB/s   | backward %8.3f ms %7.1f GB/s%n",
                "maxpool 2x2 on " + g.n + "x" + g.c + "x" + g.h + "x" + g.w, t, f * 1e3, fBytes / f / 1e9, bw * 1e3, bBytes / bw / 1e9);
    }

    /**
     * Median seconds per call over 9 batches, after warm-up; a batch lasts about 0.3 s. Warm-up
     * lasts 1.5 s and at least 50 calls: Vector API kernels run 100× slower until C2 compiles
     * them, and a few slow calls would otherwise fill the whole warm-up.
     */
    private static double median(Runnable r) {
        long warmEnd = System.nanoTime() + 1_500_000_000L;
        for (int calls = 0; calls < 50 || System.nanoTime() < warmEnd; calls++) r.run();
        long t0 = System.nanoTime();
        r.run();
        int inner = (int) Math.max(1, 300_000_000L / Math.max(1, System.nanoTime() - t0));
        double[] ts = new double[9];
        for (int i = 0; i < ts.length; i++) {
            long s = System.nanoTime();
            for (int j = 0; j < inner; j++) r.run();
            ts[i] = (System.nanoTime() - s) / 1e9 / inner;
        }
        Arrays.sort(ts);
        return ts[ts.length / 2];
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
