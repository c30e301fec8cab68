package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
}
