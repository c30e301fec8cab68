package org.jgrad.core;

import org.jgrad.core.kernels.Loops;

/**
 * How many threads jgrad uses, and parallel loops for code built on it (a custom op, the
 * trainer's shards). The worker threads and the splitting rule live beside the kernels, in
 * {@link Loops}, which every kernel uses; this class is their public face.
 *
 * <p>Work is cut into chunks whose number depends only on the problem size and a grain size,
 * never on the thread count, and every chunk writes its own part of the output; partial results
 * are combined by the caller in chunk order. So results are bitwise identical for any thread
 * count. A loop called from inside a chunk runs on its caller's thread.
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

    private Parallel() {}

    /** Body of a parallel loop: handles the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody extends Loops.RangeBody {}

    /** Body of a chunked loop: handles chunk number {@code c}. */
    @FunctionalInterface
    public interface ChunkBody extends Loops.ChunkBody {}

    /**
     * Number of threads parallel work may use.
     *
     * @return the thread count, at least 1
     */
    public static int threads() {
        return Loops.threads();
    }

    /**
     * Sets the number of threads for subsequent parallel work (1 runs everything on the caller).
     * Safe while other threads run parallel work: a call already running finishes with the count
     * it started with; the new count applies from the next call.
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        Loops.setThreads(n);
    }

    /**
     * Runs {@code work} with every parallel loop it reaches on this thread run serially (the same
     * values): for work that already has a core of its own, such as a Spark task.
     *
     * @param <T> the result's type
     * @param work the work
     * @return what {@code work} returns
     */
    public static <T> T serially(java.util.function.Supplier<T> work) {
        return Loops.serially(work);
    }

    /**
     * Number of chunks {@link #forRange} cuts {@code n} items into: a function of n and grain only.
     *
     * @param n number of items
     * @param grain items per chunk
     * @return the chunk count, 0 when {@code n} is 0
     */
    public static int chunks(int n, int grain) {
        return Loops.chunks(n, grain);
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into chunks of {@code grain} items (the last may
     * be shorter), in parallel when there is more than one chunk and more than one thread.
     *
     * @param n number of items
     * @param grain items per chunk, positive
     * @param body the work on one range {@code [from, to)}
     */
    public static void forRange(int n, int grain, RangeBody body) {
        Loops.forRange(n, grain, body);
    }

    /**
     * Runs {@code body} for each chunk in {@code [0, chunks)}, in parallel when worthwhile. An
     * exception thrown by the body reaches the caller as itself: that of the lowest-numbered chunk
     * that failed, as on one thread.
     *
     * @param chunks number of chunks
     * @param body the work on one chunk
     */
    public static void forChunks(int chunks, ChunkBody body) {
        Loops.forChunks(chunks, body);
    }
}
