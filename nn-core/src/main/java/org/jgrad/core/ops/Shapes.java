package org.jgrad.core.ops;

import java.util.Arrays;

/** Shape arithmetic shared by every op: sizes, broadcasting, dimension checks, messages. */
public final class Shapes {

    private Shapes() {}

    /**
     * The most elements a tensor holds: the longest array the JVM reliably allocates (HotSpot
     * refuses Integer.MAX_VALUE with "Requested array size exceeds VM limit"; the JDK's own
     * collections stop at this length too).
     */
    public static final int MAX_NUMEL = Integer.MAX_VALUE - 8;

    /**
     * Number of elements of a shape; validates that no dimension is negative and that the count fits a tensor.
     *
     * @param shape the dimensions
     * @return their product
     * @throws IllegalArgumentException if a dimension is negative or the count exceeds {@link #MAX_NUMEL}
     */
    public static int numel(int[] shape) {
        return numel(null, shape);
    }

    /**
     * {@link #numel(int[])} whose errors begin with {@code op} (when not null).
     *
     * @param op name of the op in errors, or null
     * @param shape the dimensions
     * @return their product
     */
    public static int numel(String op, int[] shape) {
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(prefix(op) + "shape " + str(shape) + " has a negative dimension");
            empty |= d == 0;
        }
        if (empty) return 0;                                  // [100000, 100000, 0] is empty, not too large
        long n = 1;
        for (int d : shape) {
            n *= d;                                           // both factors < 2^31: no long overflow before the check
            if (n > MAX_NUMEL) throw tooLarge(op, "shape " + str(shape) + " has", count(shape));
        }
        return (int) n;
    }

    /**
     * {@link #numel(String, int[])} of an array about to be allocated, which also refuses, before
     * trying, an array larger than the JVM's whole maximum heap (an OutOfMemoryError that names the
     * op, the shape, the size and the flag to raise, instead of "Java heap space" after a long GC).
     *
     * @param op name of the op in errors
     * @param shape the dimensions
     * @return their product
     */
    public static int allocatable(String op, int[] shape) {
        int n = numel(op, shape);
        if (n < 1 << 20) return n;                            // 4 MiB: no heap is that small; skip the call
        long bytes = 4L * n, max = Runtime.getRuntime().maxMemory();
        if (bytes > max && max != Long.MAX_VALUE) {
            throw new OutOfMemoryError(String.format(java.util.Locale.ROOT, "%sshape %s needs %.1f GiB (%d floats), more than this"
                    + " JVM's maximum heap of %.1f GiB; raise it with -Xmx", prefix(op), str(shape), bytes / 0x1p30, n, max / 0x1p30));
        }
        return n;
    }

    /**
     * "op: what N elements, more than the … a tensor can hold": for counts past {@link #MAX_NUMEL}.
     *
     * @param op name of the op, or null
     * @param what what has the count, e.g. {@code "shape [..] has"}
     * @param count the element count
     * @return the exception, to throw
     */
    public static IllegalArgumentException tooLarge(String op, String what, java.math.BigInteger count) {
        return new IllegalArgumentException(prefix(op) + what + " " + count + " elements, more than the " + MAX_NUMEL
                + " elements a tensor can hold");
    }

    private static java.math.BigInteger count(int[] shape) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int d : shape) n = n.multiply(java.math.BigInteger.valueOf(d));
        return n;
    }

    private static String prefix(String op) {
        return op == null ? "" : op + ": ";
    }

    /**
     * An index or class label held in a float, the way every message prints one: a whole number in
     * full (1e10 as "10000000000", never its saturated cast to int, 2147483647), anything else as
     * {@link Float#toString} ("2.5", "NaN").
     *
     * @param v the value
     * @return its text
     */
    public static String str(float v) {
        return v == Math.rint(v) && Math.abs(v) < 0x1p63f ? Long.toString((long) v) : Float.toString(v);
    }

    /**
     * "[2, 3]", the way every message prints a shape.
     *
     * @param shape the dimensions
     * @return the text
     */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The NumPy/PyTorch broadcast of shapes: aligned at the right, the sizes in each dimension
     * equal or 1. The error names every shape and the first dimension that does not fit.
     *
     * @param op name of the op in errors
     * @param shapes the shapes to broadcast together
     * @return the broadcast shape
     */
    public static int[] broadcast(String op, int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) rank = Math.max(rank, s.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = 1;
            for (int[] s : shapes) {
                int d = size(s, i, rank);
                if (d == 1) continue;
                if (out[i] != 1 && out[i] != d) throw notBroadcastable(op, shapes, i, rank);
                out[i] = d;
            }
        }
        long n = 1;                                           // a 0 keeps it 0: an empty result is never too large
        for (int d : out) n = Math.min(n * d, 1L << 32);     // saturates: a count past the limit is reported exactly below
        if (n > MAX_NUMEL) {
            StringBuilder names = new StringBuilder();
            for (int k = 0; k < shapes.length; k++) names.append(k == 0 ? "" : k == shapes.length - 1 ? " and " : ", ").append(str(shapes[k]));
            throw tooLarge(op, "shapes " + names + " broadcast to " + str(out) + ", which has", count(out));
        }
        return out;
    }

    /** Size of {@code shape} in dimension {@code i} of a broadcast to {@code rank} dims (1 where missing). */
    private static int size(int[] shape, int i, int rank) {
        int lead = rank - shape.length;
        return i < lead ? 1 : shape[i - lead];
    }

    private static IllegalArgumentException notBroadcastable(String op, int[][] shapes, int i, int rank) {
        StringBuilder names = new StringBuilder(), sizes = new StringBuilder();
        for (int k = 0; k < shapes.length; k++) {
            names.append(k == 0 ? "" : k == shapes.length - 1 ? " and " : ", ").append(str(shapes[k]));
            sizes.append(k == 0 ? "" : " vs ").append(size(shapes[k], i, rank));
        }
        return new IllegalArgumentException(op + ": shapes " + names + " cannot be broadcast (dimension " + i + ": " + sizes + ")");
    }

    /**
     * Strides that read an array of {@code shape} as if it had the (broadcast) shape {@code target}.
     *
     * @param shape the array's shape
     * @param target a shape {@code shape} broadcasts to
     * @return one stride per dimension of {@code target}, 0 where broadcast
     */
    public static int[] broadcastStrides(int[] shape, int[] target) {
        int[] st = new int[target.length];
        int offset = target.length - shape.length;
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d + offset] = shape[d] == 1 ? 0 : s;
            s *= shape[d];
        }
        return st;
    }

    /**
     * Normalises a possibly negative dimension index of {@code shape}, or says which dim and shape were wrong.
     *
     * @param op name of the op in errors
     * @param dim index from {@code -rank} to {@code rank - 1}
     * @param shape the shape it indexes
     * @return the index from 0
     */
    public static int dim(String op, int dim, int[] shape) {
        return dim(op, dim, shape, shape.length);
    }

    /**
     * Normalises a position where a new dim goes in (unsqueeze, stack): from −rank−1 to rank.
     *
     * @param op name of the op in errors
     * @param dim position from {@code -rank - 1} to {@code rank}
     * @param shape the shape the dimension goes into
     * @return the position from 0
     */
    public static int newDim(String op, int dim, int[] shape) {
        return dim(op, dim, shape, shape.length + 1);
    }

    /** A 0-d tensor accepts dims 0 and −1, as in PyTorch. */
    private static int dim(String op, int dim, int[] shape, int positions) {
        int r = Math.max(positions, 1);
        if (dim < -r || dim >= r) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor of rank " + shape.length
                    + ", shape " + str(shape) + " (expected " + (-r) + " to " + (r - 1) + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /**
     * Normalised, sorted, distinct dims of {@code shape}; none given means all dims.
     *
     * @param op name of the op in errors
     * @param dims dimension indices, possibly negative
     * @param shape the shape they index
     * @return a new sorted array
     */
    public static int[] dims(String op, int[] dims, int[] shape) {
        int rank = shape.length;
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(op, dims[i], shape);
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": dim " + out[i] + " appears more than once in dims " + str(dims)
                        + " for a tensor of shape " + str(shape));
            }
        }
        return out;
    }

    /**
     * Product of the dimensions in [from, to).
     *
     * @param shape the dimensions
     * @param from first dimension
     * @param to end dimension, exclusive
     * @return the product, 1 for an empty range
     */
    public static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /**
     * The shape with the given (sorted, normalised) dims set to 1 or removed.
     *
     * @param shape the dimensions
     * @param dims the reduced dimensions
     * @param keepDim true to set them to 1, false to remove them
     * @return a new shape
     */
    public static int[] reduced(int[] shape, int[] dims, boolean keepDim) {
        boolean[] r = new boolean[shape.length];
        for (int d : dims) r[d] = true;
        int[] out = new int[keepDim ? shape.length : shape.length - dims.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!r[i]) out[j++] = shape[i];
            else if (keepDim) out[j++] = 1;
        }
        return out;
    }

    /**
     * Resolves a requested reshape (one entry may be -1) against a number of elements, or says why
     * it cannot be done.
     *
     * @param op name of the op in errors
     * @param from the current shape
     * @param to the requested shape; at most one -1
     * @return the resolved shape
     */
    public static int[] inferReshape(String op, int[] from, int[] to) {
        int n = numel(from);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + str(to));
                infer = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + to[i] + " in shape " + str(to) + " for input of shape "
                        + str(from) + " (only -1 may be negative)");
            } else {
                known *= to[i];
            }
        }
        int[] out = to.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(to) + " is invalid for input of shape "
                        + str(from) + " (" + n + " elements)");
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + str(to) + " is invalid for input of shape "
                    + str(from) + " (" + n + " elements)");
        }
        return out;
    }
}
