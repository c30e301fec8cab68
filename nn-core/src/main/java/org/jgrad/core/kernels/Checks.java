package org.jgrad.core.kernels;

/**
 * Geometry and array-length checks shared by the convolution and pooling kernels. Every message
 * names the op, the offending value and what was expected.
 */
final class Checks {

    private Checks() {}

    /**
     * Output length of a sliding window (PyTorch semantics, floor mode):
     * {@code ⌊(in + 2·pad − dil·(kernel−1) − 1) / stride⌋ + 1}.
     *
     * @param dim "" for one spatial dimension, else " (height)" / " (width)" appended to messages
     */
    static int outputSize(String op, String dim, int in, int kernel, int stride, int pad, int dil) {
        positive(op, "input size" + dim, in);
        positive(op, "kernel size" + dim, kernel);
        positive(op, "stride" + dim, stride);
        positive(op, "dilation" + dim, dil);
        if (pad < 0) throw new IllegalArgumentException(op + ": padding must be >= 0, got " + pad + dim);
        long effective = (long) dil * (kernel - 1) + 1;
        long span = (long) in + 2L * pad - effective;
        if (span < 0) {
            String k = dil == 1 ? "kernel " + kernel
                    : "kernel " + kernel + " (dilation " + dil + ", effective " + effective + ")";
            throw new IllegalArgumentException(op + ": " + k + " with padding " + pad
                    + " does not fit input " + in + dim);
        }
        return (int) (span / stride + 1);
    }

    static void positive(String op, String what, int value) {
        if (value < 1) throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + value);
    }

    static void nonNegative(String op, String what, int value) {
        if (value < 0) throw new IllegalArgumentException(op + ": " + what + " must be >= 0, got " + value);
    }

    /** Product of sizes, refused when it does not fit an array index. */
    static int size(String op, String what, long... factors) {
        long p = 1;
        for (long f : factors) {
            p *= f;
            if (p > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": " + what + " is too large for one float array");
            }
        }
        return (int) p;
    }

    /** {@code a[off, off+len)} must lie inside the array. */
    static void length(String op, String what, float[] a, int off, long len) {
        if (a == null) throw new IllegalArgumentException(op + ": " + what + " array is null");
        if (off < 0 || off + len > a.length) {
            throw new IllegalArgumentException(op + ": " + what + " needs " + len + " floats from offset "
                    + off + " but its array has length " + a.length);
        }
    }

    static void length(String op, String what, int[] a, int off, long len) {
        if (a == null) throw new IllegalArgumentException(op + ": " + what + " array is null");
        if (off < 0 || off + len > a.length) {
            throw new IllegalArgumentException(op + ": " + what + " needs " + len + " ints from offset "
                    + off + " but its array has length " + a.length);
        }
    }
}
