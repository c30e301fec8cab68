package org.jgrad.core.kernels;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of reusable float buffers (im2col columns, partial sums). A task takes a buffer,
 * owns it until it gives it back, and no two tasks ever hold the same buffer.
 *
 * <p>Why not a {@code ThreadLocal}: a fork/join worker that waits inside a nested parallel call
 * (a parallel GEMM inside a per-image task) may run another task of the outer loop, which would
 * then reuse the same thread-local buffer while the first task still needs it. A pool of owned
 * buffers is safe under any nesting. (The GEMM's own packing buffers are thread-local: a GEMM
 * chunk makes no nested parallel call while it holds them.) Contents of a taken buffer are arbitrary.
 */
final class Workspace {

    private final ConcurrentLinkedDeque<float[]> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int capacity;

    Workspace(int capacity) {
        this.capacity = capacity;
    }

    /**
     * A buffer of at least {@code size} floats, owned by the caller until {@link #give}: the
     * smallest free one that fits (so buffers of several sizes can share a pool), else a new one.
     */
    float[] take(int size) {
        float[] best = null;
        for (float[] b : free) {
            if (b.length >= size && (best == null || b.length < best.length)) best = b;
        }
        if (best == null || !free.removeFirstOccurrence(best)) return new float[size];
        count.decrementAndGet();
        return best;
    }

    /** Returns a buffer to the pool; the caller must not touch it afterwards. */
    void give(float[] b) {
        if (b == null) return;
        if (count.incrementAndGet() <= capacity) {
            free.offerFirst(b);
        } else {
            count.decrementAndGet();
        }
    }
}
