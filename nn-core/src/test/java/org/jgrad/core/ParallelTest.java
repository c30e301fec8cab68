package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jgrad.core.ops.Op;
import org.jgrad.core.ops.FloatArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {

    private final int before = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    /** Found by an adversarial user: the old pool was shut down under work still running on it. */
    @Test
    void changingTheThreadCountWhileWorkRunsNeitherCrashesNorChangesAResult() throws InterruptedException {
        Tensor x = Tensor.randn(new java.util.SplittableRandom(3), 256, 256);
        Parallel.setThreads(1);
        float[] expected = x.matmul(x).toArray();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread changer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) Parallel.setThreads(1 + i % 4);
        });
        changer.setDaemon(true);
        changer.start();
        try {
            long end = System.nanoTime() + 2_000_000_000L;
            for (int i = 0; i < 2000 && System.nanoTime() < end; i++) {
                assertThat(x.matmul(x).toArray()).isEqualTo(expected);
            }
        } finally {
            stop.set(true);
            changer.join();
        }
    }

    @Test
    void everyIndexRunsExactlyOnceInChunksThatDependOnTheSizeOnly() {
        for (int threads : new int[] {1, 2, 7}) {
            Parallel.setThreads(threads);
            AtomicIntegerArray hits = new AtomicIntegerArray(1003);
            Parallel.forRange(1003, 100, (from, to) -> {
                assertThat(from % 100).isZero();
                assertThat(to - from).isLessThanOrEqualTo(100);
                for (int i = from; i < to; i++) hits.incrementAndGet(i);
            });
            for (int i = 0; i < 1003; i++) assertThat(hits.get(i)).isEqualTo(1);
        }
        assertThat(Parallel.chunks(1003, 100)).isEqualTo(11);
        assertThat(Parallel.chunks(0, 100)).isZero();
    }

    @Test
    void nestedParallelLoopsComplete() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        Parallel.forRange(8, 1, (a, b) -> Parallel.forRange(8, 1, (c, d) -> hits.incrementAndGet(a * 8 + c)));
        for (int i = 0; i < 64; i++) assertThat(hits.get(i)).isEqualTo(1);
    }

    @Test
    void badThreadCountsAreRefused() {
        assertThatThrownBy(() -> Parallel.setThreads(0)).hasMessage("Parallel.setThreads: expected n >= 1, got 0");
        assertThatThrownBy(() -> Parallel.forRange(10, 0, (a, b) -> {})).hasMessage("Parallel: grain must be >= 1, got 0");
    }

    /** A forward and backward big enough to fork gives the same bits on 1, 2 and 7 threads. */
    @Test
    void resultsAreBitwiseIdenticalForAnyThreadCount() {
        float[][] results = new float[3][];
        int[] threads = {1, 2, 7};
        for (int t = 0; t < 3; t++) {
            Parallel.setThreads(threads[t]);
            Tensor x = Tensor.randn(new SplittableRandom(1), 256, 300);
            Tensor w = Tensor.randn(new SplittableRandom(2), 300, 600).requiresGrad();
            Tensor b = Tensor.randn(new SplittableRandom(3), 600).requiresGrad();
            Tensor loss = x.matmul(w).add(b).tanh().logSoftmax(1).mean();
            loss.backward();
            float[] g = w.grad().toArray();
            float[] all = new float[g.length + 601];
            System.arraycopy(g, 0, all, 0, g.length);
            System.arraycopy(b.grad().toArray(), 0, all, g.length, 600);
            all[all.length - 1] = loss.item();
            results[t] = all;
        }
        assertThat(results[1]).isEqualTo(results[0]);
        assertThat(results[2]).isEqualTo(results[0]);
    }

    /** An op whose parallel body refuses element {@code bad} of its input, in the forward or the backward. */
    static final class Picky extends Op {
        private final int bad;
        private final boolean inBackward;

        Picky(int bad, boolean inBackward) {
            this.bad = bad;
            this.inBackward = inBackward;
        }

        private void check(FloatArray x) {
            Parallel.forRange(x.size(), 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (i >= bad) throw new IllegalArgumentException("picky: element " + i + " of shape " + Arrays.toString(x.shape()) + " is bad");
                }
            });
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            if (!inBackward) check(in[0]);
            return in[0].copy();
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            if (inBackward) check(g);
            return new FloatArray[] {g};
        }
    }

    /**
     * Was: "IllegalArgumentException: java.lang.IllegalArgumentException: picky: …" — ForkJoinTask
     * rethrows an exception from a worker as a new one of its type wrapping it. The caller gets the
     * worker's exception itself, with the call site on the caller's thread attached as suppressed.
     */
    @Test
    void anExceptionInAParallelBodyReachesTheCallerAsItself() {
        for (int threads : new int[] {1, 2, 7}) {
            Parallel.setThreads(threads);
            Tensor x = Tensor.zeros(64).requiresGrad();
            // the lowest failing chunk is reported, for any thread count, as on one thread
            assertThatThrownBy(() -> Autograd.apply(new Picky(5, false), x))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("picky: element 5 of shape [64] is bad")
                    .hasNoCause();
            Tensor y = Autograd.apply(new Picky(40, true), x).sum();
            assertThatThrownBy(y::backward)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("picky: element 40 of shape [64] is bad")
                    .hasNoCause();
        }
        Parallel.setThreads(2);
        // thrown on a worker thread: the caller's stack is kept beside the worker's. The caller's own
        // chunk waits until the other chunk has started elsewhere, so that one runs on the worker.
        Thread caller = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        Throwable e = catchThrowable(() -> Parallel.forChunks(2, c -> {
            if (Thread.currentThread() == caller) {
                long until = System.nanoTime() + 5_000_000_000L;
                while (!started.get() && System.nanoTime() < until) Thread.onSpinWait();
            } else {
                started.set(true);
                throw new IllegalArgumentException("picky: element 0 of shape [64] is bad");
            }
        }));
        assertThat(started).isTrue();
        assertThat(e).hasMessage("picky: element 0 of shape [64] is bad");
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.getSuppressed()[0].getMessage()).startsWith("the parallel loop was called here, on thread '"
                + Thread.currentThread().getName() + "'; the exception was thrown on thread 'jgrad-parallel-");
        assertThat(e.getSuppressed()[0].getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("anExceptionInAParallelBodyReachesTheCallerAsItself"));
    }

    @Test
    void errorsAndNestedLoopsKeepTheirTypeToo() {
        Parallel.setThreads(3);
        assertThatThrownBy(() -> Parallel.forRange(8, 1, (a, b) -> Parallel.forRange(8, 1, (c, d) -> {
            if (a == 2 && c == 3) throw new IllegalStateException("inner 2/3");
        }))).isExactlyInstanceOf(IllegalStateException.class).hasMessage("inner 2/3").hasNoCause();
        assertThatThrownBy(() -> Parallel.forChunks(4, c -> {
            if (c == 1) throw new AssertionError("chunk 1");
        })).isExactlyInstanceOf(AssertionError.class).hasMessage("chunk 1").hasNoCause();
    }
}
