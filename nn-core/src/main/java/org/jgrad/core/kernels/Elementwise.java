package org.jgrad.core.kernels;


/**
 * Elementwise and reduction kernels over {@code float[]} with offsets: the entry point the ops
 * call. Each method runs the Vector API version when {@link Simd#ENABLED}, else its scalar twin.
 * Elementwise work on large arrays is split into fixed chunks of {@value #PARALLEL_GRAIN}
 * elements across the pool; each chunk writes its own range, so results do not depend on the
 * thread count. Reductions run on the caller, in one fixed order.
 */
public final class Elementwise {

    /** Below this many elements an elementwise kernel runs on the caller: forking costs more. */
    static final int PARALLEL_MIN = 1 << 17;
    static final int PARALLEL_GRAIN = 1 << 15;

    private Elementwise() {}

    /** Elements [from, from + len) of one elementwise op. */
    @FunctionalInterface
    private interface Span {
        void run(int from, int len);
    }

    /**
     * Runs an elementwise op over [0, n): on the caller below {@link #PARALLEL_MIN} elements, else
     * in fixed chunks of {@link #PARALLEL_GRAIN} across the pool. Each op keeps its own serial
     * method, which calls its Vector API kernel with the operator as a constant (passing the
     * operator in as a variable made exp/tanh ~50× slower: the JIT no longer compiles it to an
     * instruction).
     */
    private static void split(int n, Span op) {
        if (n >= PARALLEL_MIN) {
            Loops.forRange(n, PARALLEL_GRAIN, (from, to) -> op.run(from, to - from));
        } else {
            op.run(0, n);
        }
    }

    /**
     * out = a + b, elementwise.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void add(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        split(n, (o, len) -> addSerial(a, oa + o, b, ob + o, out, oo + o, len));
    }

    /** {@link #add} on the calling thread: for kernels that add runs inside their own parallel tasks (col2im, GEMM sinks). */
    static void addSerial(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.add(a, oa, b, ob, out, oo, n);
        else ScalarElementwise.add(a, oa, b, ob, out, oo, n);
    }

    /**
     * out = a - b, elementwise.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void sub(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        split(n, (o, len) -> subSerial(a, oa + o, b, ob + o, out, oo + o, len));
    }

    private static void subSerial(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.sub(a, oa, b, ob, out, oo, n);
        else ScalarElementwise.sub(a, oa, b, ob, out, oo, n);
    }

    /**
     * out = a · b, elementwise.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void mul(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        split(n, (o, len) -> mulSerial(a, oa + o, b, ob + o, out, oo + o, len));
    }

    private static void mulSerial(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.mul(a, oa, b, ob, out, oo, n);
        else ScalarElementwise.mul(a, oa, b, ob, out, oo, n);
    }

    /**
     * out = a / b, elementwise.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void div(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        split(n, (o, len) -> divSerial(a, oa + o, b, ob + o, out, oo + o, len));
    }

    private static void divSerial(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.div(a, oa, b, ob, out, oo, n);
        else ScalarElementwise.div(a, oa, b, ob, out, oo, n);
    }

    /**
     * out = max(a, b), elementwise.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void max(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        split(n, (o, len) -> maxSerial(a, oa + o, b, ob + o, out, oo + o, len));
    }

    private static void maxSerial(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.max(a, oa, b, ob, out, oo, n);
        else ScalarElementwise.max(a, oa, b, ob, out, oo, n);
    }

    /**
     * out = min(a, b), elementwise.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void min(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        split(n, (o, len) -> minSerial(a, oa + o, b, ob + o, out, oo + o, len));
    }

    private static void minSerial(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.min(a, oa, b, ob, out, oo, n);
        else ScalarElementwise.min(a, oa, b, ob, out, oo, n);
    }

    /**
     * out = a + s.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param s the scalar
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void addScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        split(n, (o, len) -> addScalarSerial(a, oa + o, s, out, oo + o, len));
    }

    private static void addScalarSerial(float[] a, int oa, float s, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.addScalar(a, oa, s, out, oo, n);
        else ScalarElementwise.addScalar(a, oa, s, out, oo, n);
    }

    /**
     * out = s - a
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param s the scalar
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void rsubScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        split(n, (o, len) -> rsubScalarSerial(a, oa + o, s, out, oo + o, len));
    }

    private static void rsubScalarSerial(float[] a, int oa, float s, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.rsubScalar(a, oa, s, out, oo, n);
        else ScalarElementwise.rsubScalar(a, oa, s, out, oo, n);
    }

    /**
     * out = a · s.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param s the scalar
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void mulScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        split(n, (o, len) -> mulScalarSerial(a, oa + o, s, out, oo + o, len));
    }

    private static void mulScalarSerial(float[] a, int oa, float s, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.mulScalar(a, oa, s, out, oo, n);
        else ScalarElementwise.mulScalar(a, oa, s, out, oo, n);
    }

    /**
     * out = a / s.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param s the scalar
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void divScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        split(n, (o, len) -> divScalarSerial(a, oa + o, s, out, oo + o, len));
    }

    private static void divScalarSerial(float[] a, int oa, float s, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.divScalar(a, oa, s, out, oo, n);
        else ScalarElementwise.divScalar(a, oa, s, out, oo, n);
    }

    /**
     * out = s / a
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param s the scalar
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void rdivScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        split(n, (o, len) -> rdivScalarSerial(a, oa + o, s, out, oo + o, len));
    }

    private static void rdivScalarSerial(float[] a, int oa, float s, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.rdivScalar(a, oa, s, out, oo, n);
        else ScalarElementwise.rdivScalar(a, oa, s, out, oo, n);
    }

    /**
     * out = min(max(a, lo), hi); NaN stays NaN.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param lo lower bound
     * @param hi upper bound
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void clamp(float[] a, int oa, float lo, float hi, float[] out, int oo, int n) {
        split(n, (o, len) -> clampSerial(a, oa + o, lo, hi, out, oo + o, len));
    }

    private static void clampSerial(float[] a, int oa, float lo, float hi, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.clamp(a, oa, lo, hi, out, oo, n);
        else ScalarElementwise.clamp(a, oa, lo, hi, out, oo, n);
    }

    /**
     * out += s · a  (the update of SGD and of gradient accumulation).
     *
     * @param s the factor
     * @param a the added values
     * @param oa offset of the first element in {@code a}
     * @param out the accumulator, updated in place
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void axpy(float s, float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> axpySerial(s, a, oa + o, out, oo + o, len));
    }

    private static void axpySerial(float s, float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.axpy(s, a, oa, out, oo, n);
        else ScalarElementwise.axpy(s, a, oa, out, oo, n);
    }

    /**
     * out = |a|.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void abs(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> absSerial(a, oa + o, out, oo + o, len));
    }

    private static void absSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.abs(a, oa, out, oo, n);
        else ScalarElementwise.abs(a, oa, out, oo, n);
    }

    /**
     * out = e^a.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void exp(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> expSerial(a, oa + o, out, oo + o, len));
    }

    private static void expSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.exp(a, oa, out, oo, n);
        else ScalarElementwise.exp(a, oa, out, oo, n);
    }

    /**
     * out = ln a.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void log(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> logSerial(a, oa + o, out, oo + o, len));
    }

    private static void logSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.log(a, oa, out, oo, n);
        else ScalarElementwise.log(a, oa, out, oo, n);
    }

    /**
     * out = √a.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void sqrt(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> sqrtSerial(a, oa + o, out, oo + o, len));
    }

    private static void sqrtSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.sqrt(a, oa, out, oo, n);
        else ScalarElementwise.sqrt(a, oa, out, oo, n);
    }

    /**
     * out = sin a.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void sin(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> sinSerial(a, oa + o, out, oo + o, len));
    }

    private static void sinSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.sin(a, oa, out, oo, n);
        else ScalarElementwise.sin(a, oa, out, oo, n);
    }

    /**
     * out = cos a.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void cos(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> cosSerial(a, oa + o, out, oo + o, len));
    }

    private static void cosSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.cos(a, oa, out, oo, n);
        else ScalarElementwise.cos(a, oa, out, oo, n);
    }

    /**
     * out = tanh a.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void tanh(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> tanhSerial(a, oa + o, out, oo + o, len));
    }

    private static void tanhSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.tanh(a, oa, out, oo, n);
        else ScalarElementwise.tanh(a, oa, out, oo, n);
    }

    /**
     * 1 / (1 + e^-x): e^-x overflows to +Inf for x far below 0, giving exactly 0, never NaN.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void sigmoid(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> sigmoidSerial(a, oa + o, out, oo + o, len));
    }

    private static void sigmoidSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.sigmoid(a, oa, out, oo, n);
        else ScalarElementwise.sigmoid(a, oa, out, oo, n);
    }

    /**
     * out = unsigned byte / 255: image pixels (0..255) to floats in [0, 1], each the float
     * {@code (b & 0xff) / 255f} gives. On the calling thread: data loaders convert rows inside
     * their own parallel tasks.
     *
     * @param src the bytes, read as unsigned
     * @param os offset of the first byte in {@code src}
     * @param out destination
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void bytesToUnit(byte[] src, int os, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.bytesToUnit(src, os, out, oo, n);
        else ScalarElementwise.bytesToUnit(src, os, out, oo, n);
    }

    /**
     * out = max(a, 0).
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void relu(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> reluSerial(a, oa + o, out, oo + o, len));
    }

    private static void reluSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.relu(a, oa, out, oo, n);
        else ScalarElementwise.relu(a, oa, out, oo, n);
    }

    /**
     * out = g where x > 0, else 0 (ReLU's backward).
     *
     * @param x the ReLU's input
     * @param ox offset of the first element in {@code x}
     * @param g gradient of the ReLU's output
     * @param og offset of the first element in {@code g}
     * @param out destination, may be {@code g}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void reluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        split(n, (o, len) -> reluBackwardSerial(x, ox + o, g, og + o, out, oo + o, len));
    }

    private static void reluBackwardSerial(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.reluBackward(x, ox, g, og, out, oo, n);
        else ScalarElementwise.reluBackward(x, ox, g, og, out, oo, n);
    }

    /**
     * out = GELU(a) = a·Φ(a), Φ the standard normal CDF (PyTorch's exact {@code F.gelu}, not the
     * tanh approximation). In float, within about 1e-6 relative of the double formula.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param out destination, may be {@code a}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void gelu(float[] a, int oa, float[] out, int oo, int n) {
        split(n, (o, len) -> geluSerial(a, oa + o, out, oo + o, len));
    }

    private static void geluSerial(float[] a, int oa, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.gelu(a, oa, out, oo, n);
        else ScalarElementwise.gelu(a, oa, out, oo, n);
    }

    /**
     * out = g · GELU'(x) = g · (Φ(x) + x·φ(x)), φ the standard normal density: GELU's backward
     * (and, with a tangent for g, its forward-mode rule).
     *
     * @param x the forward's input
     * @param ox offset of the first element in {@code x}
     * @param g incoming gradient
     * @param og offset of the first element in {@code g}
     * @param out destination, may be {@code x} or {@code g}
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     */
    public static void geluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        split(n, (o, len) -> geluBackwardSerial(x, ox + o, g, og + o, out, oo + o, len));
    }

    private static void geluBackwardSerial(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        if (Simd.ENABLED) VectorElementwise.geluBackward(x, ox, g, og, out, oo, n);
        else ScalarElementwise.geluBackward(x, ox, g, og, out, oo, n);
    }

    /**
     * Φ(x), the standard normal CDF, in double: ½ erfc(−x/√2), erfc within 1e-13 relative (see ScalarElementwise).
     *
     * @param x the argument
     * @return Φ(x)
     */
    public static double normalCdf(double x) {
        return ScalarElementwise.normalCdf(x);
    }

    /**
     * Sum of the elements.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param n number of elements
     * @return the sum
     */
    public static float sum(float[] a, int oa, int n) {
        return Simd.ENABLED ? VectorElementwise.sum(a, oa, n) : ScalarElementwise.sum(a, oa, n);
    }

    /**
     * Whether no element is NaN or infinite.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param n number of elements
     * @return true if every element is finite
     */
    public static boolean allFinite(float[] a, int oa, int n) {
        return Simd.ENABLED ? VectorElementwise.allFinite(a, oa, n) : ScalarElementwise.allFinite(a, oa, n);
    }

    /**
     * Σ (a - mean)², the second pass of a two-pass variance.
     *
     * @param mean the value subtracted from each element
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param n number of elements
     * @return the sum of squares
     */
    public static float sumSquaredDeviations(float[] a, int oa, int n, float mean) {
        return Simd.ENABLED ? VectorElementwise.sumSquaredDeviations(a, oa, n, mean) : ScalarElementwise.sumSquaredDeviations(a, oa, n, mean);
    }

    /**
     * Largest element (NaN if any element is NaN); -Inf for n = 0.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param n number of elements
     * @return the maximum
     */
    public static float max(float[] a, int oa, int n) {
        return Simd.ENABLED ? VectorElementwise.max(a, oa, n) : ScalarElementwise.max(a, oa, n);
    }

    /**
     * Smallest element (NaN if any element is NaN); +Inf for n = 0.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param n number of elements
     * @return the minimum
     */
    public static float min(float[] a, int oa, int n) {
        return Simd.ENABLED ? VectorElementwise.min(a, oa, n) : ScalarElementwise.min(a, oa, n);
    }

    /**
     * Dot product Σ a·b.
     *
     * @param a first operand
     * @param oa offset of the first element in {@code a}
     * @param b second operand
     * @param ob offset of the first element in {@code b}
     * @param n number of elements
     * @return the sum of products
     */
    public static float dot(float[] a, int oa, float[] b, int ob, int n) {
        return Simd.ENABLED ? VectorElementwise.dot(a, oa, b, ob, n) : ScalarElementwise.dot(a, oa, b, ob, n);
    }

    /**
     * Σ e^(a - shift): the denominator of a softmax with the max subtracted. Writes the exponentials to out.
     *
     * @param a input
     * @param oa offset of the first element in {@code a}
     * @param shift value subtracted before the exponential, usually the maximum
     * @param out destination of the exponentials
     * @param oo offset of the first element in {@code out}
     * @param n number of elements
     * @return the sum of the exponentials
     */
    public static float expShiftSum(float[] a, int oa, float shift, float[] out, int oo, int n) {
        return Simd.ENABLED ? VectorElementwise.expShiftSum(a, oa, shift, out, oo, n) : ScalarElementwise.expShiftSum(a, oa, shift, out, oo, n);
    }
}
