package org.jgrad.core.kernels;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The library's worker threads and the one way work is split across them: the floor the kernels
 * and ops stand on. Users reach it through {@link org.jgrad.core.Parallel}, whose name its
 * messages use.
 *
 * <p>Work is cut into chunks whose number depends only on the problem size and a grain size,
 * never on the thread count, and every chunk writes its own part of the output. Partial
 * results that must be combined are combined by the caller in chunk order. So results are
 * bitwise identical for any thread count. (A caller may choose its chunks by the thread count only
 * where no value depends on them: the GEMM's column blocks, each element one fma chain.)
 *
 * <p>How the chunks run: the calling thread and n − 1 workers take chunks from a shared counter.
 * Between jobs a worker spins for a short while before it parks, because a training step is
 * dozens of parallel ops a fraction of a millisecond apart, and waking a parked thread costs tens
 * of microseconds on a virtual machine (measured: a fork/join round trip of two tiny chunks took
 * 90–100 µs once the pool's workers had parked, 19 µs while they were awake). A loop called
 * from inside a chunk runs on its caller's thread: the outer loop (the Trainer's shards) already
 * keeps every thread busy.
 *
 * <p>The thread count is the system property {@code jgrad.threads}, or
 * {@link #setThreads(int)} at run time; by default the number of available processors.
 *
 * <pre>{@code
 * jshell> Loops.setThreads(2)
 * jshell> Loops.threads()
 * $2 ==> 2
 * }</pre>
 */
public final class Loops {

    /** Body of a parallel loop: handles the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Handles the half-open index range {@code [from, to)}.
         *
         * @param from first index
         * @param to end index, exclusive
         */
        void run(int from, int to);
    }

    /**
     * One team per thread count ever asked for, never shut down: work in flight finishes on the
     * team it started on while another thread changes the count. An idle team costs nothing: its
     * workers park.
     */
    private static final ConcurrentHashMap<Integer, Team> TEAMS = new ConcurrentHashMap<>();
    /** True on a team's workers, and on a caller while its job runs: loops called there run serially. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = initialThreads();

    private Loops() {}

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

    /**
     * Number of threads parallel work may use.
     *
     * @return the thread count, at least 1
     */
    public static int threads() {
        return threads;
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
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: expected n >= 1, got " + n);
        threads = n;
    }


    /**
     * Runs {@code work} with every parallel loop it reaches on this thread run serially on this
     * thread — the same values, by the splitting rule — for work that already has a core of its
     * own (a Spark task, one of several running side by side), where fanning out again would only
     * oversubscribe the cores.
     *
     * @param <T> the result's type
     * @param work the work
     * @return what {@code work} returns
     */
    public static <T> T serially(java.util.function.Supplier<T> work) {
        boolean was = INSIDE.get();
        INSIDE.set(true);
        try {
            return work.get();
        } finally {
            INSIDE.set(was);
        }
    }

    /**
     * Number of chunks {@link #forRange} cuts {@code n} items into: a function of n and grain only.
     *
     * @param n number of items
     * @param grain items per chunk, positive
     * @return the chunk count, 0 when {@code n} is 0
     * @throws IllegalArgumentException if {@code grain < 1}
     */
    public static int chunks(int n, int grain) {
        if (grain < 1) throw new IllegalArgumentException("Parallel: grain must be >= 1, got " + grain);
        return n <= 0 ? 0 : (int) ((n + (long) grain - 1) / grain);
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into chunks of {@code grain} items (the last may
     * be shorter). Chunks run in parallel when there is more than one chunk and more than one
     * thread; otherwise they run in order on the caller.
     *
     * @param n number of items
     * @param grain items per chunk, positive
     * @param body the work on one range {@code [from, to)}
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
        /**
         * Handles one chunk.
         *
         * @param chunk the chunk number
         */
        void run(int chunk);
    }

    /**
     * Runs {@code body} for each chunk in {@code [0, chunks)}, in parallel when worthwhile.
     *
     * <p>An exception (or error) thrown by the body reaches the caller as itself, not wrapped:
     * that of the lowest-numbered chunk that failed, as on one thread (chunks above it may be
     * skipped). When it was thrown on a worker thread, a suppressed throwable carries the caller's
     * stack.
     *
     * @param chunks number of chunks
     * @param body the work on one chunk
     */
    public static void forChunks(int chunks, ChunkBody body) {
        if (chunks <= 0) return;
        int n = threads;                                  // read once: the whole call runs with it
        if (chunks == 1 || n == 1 || INSIDE.get()) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        Team team = TEAMS.computeIfAbsent(n, Team::new);
        if (!team.busy.compareAndSet(false, true)) {
            // another thread's job holds this team (inference from several threads at once): run here
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        Job job = new Job(chunks, body, Thread.currentThread());
        INSIDE.set(true);
        try {
            team.post(job);
            job.work();
            job.awaitAll(team.spinNanos);
            // the team keeps its last job until the next one; it must not keep the body's arrays alive
            job.body = null;
        } finally {
            INSIDE.set(false);
            team.busy.set(false);
        }
        job.failure.rethrow();
    }

    /** One call of {@link #forChunks}: its chunks are taken from a counter by whichever thread comes first. */
    private static final class Job {
        final int chunks;
        /** Null once every chunk has run (a worker that comes late finds no chunk left and never reads it). */
        ChunkBody body;
        final Thread caller;
        final Failure failure = new Failure();
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        volatile boolean callerParked;

        Job(int chunks, ChunkBody body, Thread caller) {
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
        }

        /** Takes and runs chunks until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                if (c < failure.lowest) {                   // a lower chunk failed: its error is the one reported
                    try {
                        body.run(c);
                    } catch (Throwable t) {
                        failure.record(c, t);
                    }
                }
                if (finished.incrementAndGet() == chunks && callerParked) LockSupport.unpark(caller);
            }
        }

        /** The caller waits for chunks still running on workers: spinning first, then parked. */
        void awaitAll(long spinNanos) {
            long until = System.nanoTime() + spinNanos;
            while (finished.get() < chunks) {
                if (System.nanoTime() < until) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (finished.get() < chunks) LockSupport.park(this);
                }
            }
        }
    }

    /** The caller's n − 1 helpers for one thread count: daemon threads that wait for jobs. */
    private static final class Team {
        final AtomicBoolean busy = new AtomicBoolean();
        /** How long a waiting thread spins before it parks: 0 when there are more threads than processors. */
        final long spinNanos;
        private final Thread[] workers;
        private final boolean[] parked;
        private volatile Job job;

        Team(int n) {
            spinNanos = n <= Runtime.getRuntime().availableProcessors() ? 1_000_000 : 0;
            workers = new Thread[n - 1];
            parked = new boolean[n - 1];
            for (int i = 0; i < workers.length; i++) {
                int id = i;
                workers[i] = new Thread(() -> run(id), "jgrad-parallel-" + n + "-" + (i + 1));
                workers[i].setDaemon(true);
                workers[i].start();
            }
        }

        void post(Job j) {
            job = j;
            for (int i = 0; i < workers.length; i++) {
                if (isParked(i)) LockSupport.unpark(workers[i]);
            }
        }

        /** The park flags are read and written under one lock, which orders them with the posts of jobs. */
        private boolean isParked(int i) {
            synchronized (parked) {
                return parked[i];
            }
        }

        private void setParked(int i, boolean value) {
            synchronized (parked) {
                parked[i] = value;
            }
        }

        private void run(int id) {
            INSIDE.set(true);
            Job seen = null;
            while (true) {
                long until = System.nanoTime() + spinNanos;
                Job j;
                while ((j = job) == seen) {
                    if (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    } else {
                        // announce the park, then look once more: a job posted in between is seen here
                        // or its poster sees the flag and unparks this thread
                        setParked(id, true);
                        if (job == seen) LockSupport.park(this);
                        setParked(id, false);
                    }
                }
                seen = j;
                j.work();
            }
        }
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
