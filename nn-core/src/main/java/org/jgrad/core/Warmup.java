package org.jgrad.core;

import java.util.SplittableRandom;

/**
 * Gets the SIMD kernels compiled before a program needs them. Vector API code runs one to two
 * orders of magnitude slower until the JIT's optimising compiler (C2) has compiled it, so without
 * this the first seconds of every training run — a notebook cell, a short CI job — crawl.
 * {@link #start()} runs small products, elementwise ops, softmax, convolution and pooling,
 * forward and backward, on a daemon thread, typically while the program loads its data.
 *
 * <p>It never changes a result: the work uses only its own tensors, and every kernel is a pure
 * function of its inputs (buffers it borrows from a pool are overwritten before they are read),
 * so weights trained with and without a warm-up are bitwise the same (tested).
 *
 * <pre>{@code
 * Warmup.start();                 // first thing in main(); returns at once
 * var data = loadMyData();        // meanwhile the other core compiles the kernels
 * }</pre>
 */
public final class Warmup {

    /** Rounds of the warm-up work: enough for C2 to compile the kernels' loops (measured). */
    static final int ROUNDS = 40;

    private static Thread thread;

    private Warmup() {}

    /**
     * Starts the warm-up on a daemon thread (once per JVM; later calls return the same thread).
     *
     * @return the warm-up thread
     */
    public static synchronized Thread start() {
        if (thread == null) {
            thread = new Thread(() -> run(ROUNDS), "jgrad-warmup");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.start();
        }
        return thread;
    }

    /**
     * The warm-up work, {@code rounds} times, on the calling thread.
     *
     * @param rounds repetitions of the work
     */
    public static void run(int rounds) {
        SplittableRandom rng = new SplittableRandom(1);
        // 40 rows and 72 outputs: the GEMM's tile and its edge path (72 columns are two whole
        // slivers and a partial one) both compile
        Tensor x = Tensor.randn(rng, 40, 100), w = Tensor.randn(rng, 72, 100).requiresGrad();
        Tensor b = Tensor.randn(rng, 72).requiresGrad();
        Tensor img = Tensor.randn(rng, 2, 8, 10, 10), k = Tensor.randn(rng, 16, 8, 3, 3).requiresGrad();
        Tensor gray = Tensor.randn(rng, 2, 1, 12, 12), k1 = Tensor.randn(rng, 8, 1, 5, 5).requiresGrad();
        // 16 channels into 32 on rows of 14: the blocked direct forward's kernel
        Tensor wide = Tensor.randn(rng, 1, 16, 4, 14), k16 = Tensor.randn(rng, 32, 16, 3, 3).requiresGrad();
        for (int i = 0; i < rounds; i++) {
            // dense layers: the GEMM in all its transposed forms, bias, activations, softmax
            Tensor h = Functional.linear(x, w, b).relu();
            Tensor loss = h.logSoftmax(1).mean().add(h.sigmoid().mul(h.tanh()).sum()).add(h.softmax(1).exp().mean());
            Autograd.grad(loss, w, b);
            // convolution (many and few channels), pooling, their backward passes
            Tensor c = Functional.conv2d(img, k, null, 1, 1).relu();
            Tensor c1 = Functional.conv2d(gray, k1, null, 1, 2);
            Tensor pooled = Functional.maxPool2d(c, 2).sum().add(Functional.maxPool2d(c1, 2).sum())
                    .add(Functional.conv2d(wide, k16, null, 1, 1).sum());
            Autograd.grad(pooled, k, k1, k16);
        }
    }
}
