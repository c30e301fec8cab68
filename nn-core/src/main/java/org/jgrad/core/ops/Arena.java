package org.jgrad.core.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reuse of the arrays of one training step. Inside an open scope, the arrays that ops allocate
 * for their results ({@link FloatArray#zeros}, {@link FloatArray#full}) come from the calling thread's
 * arena, zeroed, and go back to it when the scope closes; the next step gets the same arrays,
 * still warm in cache. Without a scope every array is a fresh one, as before.
 *
 * <p>Why it is safe where it is used: the {@code Trainer} opens a scope around each shard's
 * forward and backward, whose intermediate tensors no one can reach after the shard is done —
 * the gradients are copied out into the Trainer's own arrays ({@code Autograd.gradInto}), the loss
 * and the count of correct predictions are read before the scope closes, state a module keeps
 * (BatchNorm's running statistics) lives in its own arrays, and parameters and optimizer state
 * are never allocated inside it. A tensor a user can still read is never in a scope, so never
 * reused. {@code Tensor.backward} opens a scope around the pass (not when the graph is retained):
 * the arrays made during it — gradients of intermediate tensors, masks — are never seen outside it,
 * since a leaf's gradient is written into the leaf's own array or copied. Scopes nest in stack
 * order on one thread (a fork/join worker that waits inside a shard may run another shard to
 * completion; closing that inner scope returns only its own arrays). Kernels allocate no FloatArrays, so work that runs on other threads never draws from a
 * scope it does not own.
 *
 * <pre>{@code
 * try (var scope = Arena.open()) {
 *     ... forward and backward whose results are copied out before the scope ends ...
 * }
 * }</pre>
 */
public final class Arena {

    private static final ThreadLocal<Arena> ARENA = ThreadLocal.withInitial(Arena::new);

    /**
     * Most elements the free lists keep on one thread: 64 MiB of floats. A step's working set
     * comes back to the lists each step and stays there; a thread that lives long — JShell's, a
     * notebook's — and runs model after model would otherwise keep the arrays of every size it ever
     * used. When returning a scope's arrays would go beyond it, the lists are emptied first (the
     * garbage collector takes what was there) and fill again from the steps that follow.
     */
    static final long MAX_FREE_ELEMENTS = 1L << 24;

    /** Free arrays by length. */
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final Map<Integer, ArrayDeque<int[]>> freeInts = new HashMap<>();
    /** Elements in the free lists. */
    private long freeElements;
    /** Arrays (float[] or int[]) handed out in the open scopes, oldest first; a scope owns those after its mark. */
    private final ArrayList<Object> taken = new ArrayList<>();
    private int depth;

    private Arena() {}

    /**
     * An open scope on the calling thread: close it (try-with-resources) when the step is done.
     *
     * @return the scope; closing it ends the step
     */
    public static Scope open() {
        Arena a = ARENA.get();
        a.depth++;
        return new Scope(a, a.taken.size());
    }

    /**
     * Set (by the build's tests) to fill every array handed out unzeroed with NaN, so that an op
     * that leaves an element of its result unwritten fails its tests instead of passing on the
     * zeros of a fresh array.
     */
    private static final boolean POISON = Boolean.getBoolean("jgrad.arena.poison");

    /** A zeroed array of {@code n} floats: from the open scope's arena, else a new one. */
    static float[] floats(int n) {
        Arena a = ARENA.get();
        return a.depth == 0 || n == 0 ? new float[n] : a.take(a.free, n, float[]::new, f -> java.util.Arrays.fill(f, 0f));
    }

    /**
     * An array of {@code n} floats whose contents are unspecified, for a result the caller writes
     * in full: from the open scope's arena without zeroing it (a step's largest arrays, written
     * twice otherwise), else a new one.
     */
    static float[] uninitialized(int n) {
        Arena a = ARENA.get();
        float[] f = a.depth == 0 || n == 0 ? new float[n] : a.take(a.free, n, float[]::new, g -> { });
        if (POISON) java.util.Arrays.fill(f, Float.NaN);
        return f;
    }

    /**
     * An array of {@code n} ints whose contents are unspecified, for max pooling's argmax, which the
     * kernel writes in full (zeroing it first, on the calling thread, was 0.5 % of the reference
     * CNN's step on two threads): from the open scope's arena, else a new one. With {@link #POISON}
     * it is filled with −1, an index the pooling backward refuses.
     */
    static int[] ints(int n) {
        Arena a = ARENA.get();
        int[] v = a.depth == 0 || n == 0 ? new int[n] : a.take(a.freeInts, n, int[]::new, u -> { });
        if (POISON) java.util.Arrays.fill(v, -1);
        return v;
    }

    /** A free array of length n handed to {@code zero} (which clears it or leaves it as it is), or a new one; owned by the innermost open scope. */
    private <T> T take(Map<Integer, ArrayDeque<T>> pool, int n, java.util.function.IntFunction<T> make,
                       java.util.function.Consumer<T> zero) {
        ArrayDeque<T> q = pool.get(n);
        T array = q == null ? null : q.pollFirst();
        if (array == null) {
            array = make.apply(n);
        } else {
            freeElements -= n;
            zero.accept(array);
        }
        taken.add(array);
        return array;
    }

    private static int length(Object array) {
        return array instanceof float[] f ? f.length : ((int[]) array).length;
    }

    /** Puts an array (float[] or int[]) first in its free list. */
    private void giveBack(Object array) {
        if (array instanceof float[] f) {
            free.computeIfAbsent(f.length, k -> new ArrayDeque<>()).addFirst(f);
        } else {
            int[] v = (int[]) array;
            freeInts.computeIfAbsent(v.length, k -> new ArrayDeque<>()).addFirst(v);
        }
        freeElements += length(array);
    }

    private void clearFree() {
        free.clear();
        freeInts.clear();
        freeElements = 0;
    }

    /** An open scope; closing it returns the arrays taken since it opened. */
    public static final class Scope implements AutoCloseable {
        private final Arena arena;
        private final int mark;
        private boolean closed;

        private Scope(Arena arena, int mark) {
            this.arena = arena;
            this.mark = mark;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            List<Object> mine = arena.taken.subList(mark, arena.taken.size());
            long returning = 0;
            for (Object o : mine) returning += length(o);
            if (arena.freeElements + returning > MAX_FREE_ELEMENTS) arena.clearFree();
            if (returning <= MAX_FREE_ELEMENTS) {                          // a step larger than the lists: none kept
                for (int i = mine.size() - 1; i >= 0; i--) arena.giveBack(mine.get(i));
            }
            mine.clear();
            arena.depth--;
        }
    }
}
