package org.jgrad.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The library's fork/join pool and the one way work is split across it.
 *
 * <p>Work is cut into chunks whose number depends only on the problem size and a grain size,
 * never on the thread count, and every chunk writes its own part of the output. Partial
 * results that must be combined are combined by the caller in chunk order. So results are
 * bitwise identical for any thread count.
 *
 * <p>The thread count is the system property {@code jgrad.threads}, or
 * {@link #setThreads(int)} at run time; by default the number of available processors.
 *
 * <pre>{@code
 * jshell> Parallel.setThreads(2)
 * jshell> Parallel.threads()
 * $2 ==> 2
 * }</pre>
 */
public final class Parallel {

    /** Body of a parallel loop: handles the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * One pool per thread count ever asked for, never shut down: work in flight finishes on the
     * pool it started on while another thread changes the count (shutting the old pool down made
     * such work fail with RejectedExecutionException). An idle pool costs nothing: its workers
     * exit after the fork/join keep-alive (60 s).
     */
    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();
    private static volatile int threads = initialThreads();

    private Parallel() {}

    private static int initialThreads() {
        String prop = System.getProperty("jgrad.threads");
        if (prop == null || prop.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(prop.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("jgrad.threads: expected a positive integer, got '" + prop + "'");
    }

    /** Number of threads parallel work may use. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads for subsequent parallel work (1 runs everything on the caller).
     * Safe while other threads run parallel work: a call already running finishes with the count
     * it started with; the new count applies from the next call.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: expected n >= 1, got " + n);
        threads = n;
    }

    private static ForkJoinPool pool(int n) {
        return POOLS.computeIfAbsent(n, ForkJoinPool::new);
    }

    /** Number of chunks {@link #forRange} cuts {@code n} items into: a function of n and grain only. */
    public static int chunks(int n, int grain) {
        if (grain < 1) throw new IllegalArgumentException("Parallel: grain must be >= 1, got " + grain);
        return n <= 0 ? 0 : (int) ((n + (long) grain - 1) / grain);
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into chunks of {@code grain} items (the last may
     * be shorter). Chunks run in parallel when there is more than one chunk and more than one
     * thread; otherwise they run in order on the caller.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = chunks(n, grain);
        forChunks(chunks, c -> {
            int from = c * grain;
            body.run(from, Math.min(n, from + grain));
        });
    }

    /** Body of a chunked loop: handles chunk number {@code c}. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    /**
     * Runs {@code body} for each chunk in {@code [0, chunks)}, in parallel when worthwhile.
     *
     * <p>An exception (or error) thrown by the body reaches the caller as itself, not wrapped:
     * that of the lowest-numbered chunk that failed, as on one thread (chunks above it may be
     * skipped). When it was thrown on a pool thread, a suppressed throwable carries the caller's
     * stack.
     */
    public static void forChunks(int chunks, ChunkBody body) {
        if (chunks <= 0) return;
        int n = threads;                                  // read once: the whole call runs with it
        if (chunks == 1 || n == 1) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        // The tasks never complete abnormally: ForkJoinTask would rethrow a worker's exception to
        // another thread as a new exception of its type wrapping it ("IllegalArgumentException:
        // java.lang.IllegalArgumentException: …"), so each task keeps what it threw here instead.
        Failure failure = new Failure();
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            final int chunk = c;
            tasks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    if (chunk > failure.lowest) return;   // a lower chunk failed: its error is the one reported
                    try {
                        body.run(chunk);
                    } catch (Throwable t) {
                        failure.record(chunk, t);
                    }
                }
            });
        }
        if (ForkJoinTask.inForkJoinPool()) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            pool(n).invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    ForkJoinTask.invokeAll(tasks);
                }
            });
        }
        failure.rethrow();
    }

    /** What the lowest-numbered failed chunk of one {@link #forChunks} call threw, and on which thread. */
    private static final class Failure {
        volatile int lowest = Integer.MAX_VALUE;
        private Throwable error;
        private Thread thread;

        synchronized void record(int chunk, Throwable t) {
            if (chunk >= lowest) return;
            lowest = chunk;
            error = t;
            thread = Thread.currentThread();
        }

        /** Rethrows the recorded throwable unchanged (all tasks have been joined, so it is visible here). */
        synchronized void rethrow() {
            if (error == null) return;
            Thread caller = Thread.currentThread();
            if (thread != caller) {
                error.addSuppressed(new Throwable("the parallel loop was called here, on thread '" + caller.getName()
                        + "'; the exception was thrown on thread '" + thread.getName() + "'"));
            }
            if (error instanceof RuntimeException r) throw r;
            if (error instanceof Error e) throw e;
            throw new java.lang.reflect.UndeclaredThrowableException(error);   // a checked exception thrown sneakily
        }
    }
}
