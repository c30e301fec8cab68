package org.jgrad.core.kernels;

/**
 * Scalar twins of the elementwise and reduction kernels: the fallback when SIMD is off, the tail
 * of every SIMD loop, and the oracle the tests compare against. Arguments follow one pattern:
 * input arrays with offsets, the output array with its offset, then the element count.
 */
final class ScalarElementwise {

    private ScalarElementwise() {}

    // ---- binary, both operands contiguous ----

    static void add(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] + b[ob + i];
    }

    static void sub(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] - b[ob + i];
    }

    static void mul(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] * b[ob + i];
    }

    static void div(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] / b[ob + i];
    }

    static void max(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[oa + i], b[ob + i]);
    }

    static void min(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.min(a[oa + i], b[ob + i]);
    }

    // ---- binary, one operand a scalar ----

    static void addScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] + s;
    }

    /** out = s - a */
    static void rsubScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = s - a[oa + i];
    }

    static void mulScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] * s;
    }

    static void divScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = a[oa + i] / s;
    }

    /** out = s / a */
    static void rdivScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = s / a[oa + i];
    }

    /** out = min(max(a, lo), hi); NaN stays NaN. */
    static void clamp(float[] a, int oa, float lo, float hi, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.min(Math.max(a[oa + i], lo), hi);
    }

    /** out += s · a  (the update of SGD and of gradient accumulation). */
    static void axpy(float s, float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] += s * a[oa + i];
    }

    // ---- unary ----

    static void abs(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.abs(a[oa + i]);
    }

    static void exp(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) Math.exp(a[oa + i]);
    }

    static void log(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) Math.log(a[oa + i]);
    }

    static void sqrt(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) Math.sqrt(a[oa + i]);
    }

    static void sin(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) Math.sin(a[oa + i]);
    }

    static void cos(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) Math.cos(a[oa + i]);
    }

    static void tanh(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) Math.tanh(a[oa + i]);
    }

    /** 1 / (1 + e^-x): e^-x overflows to +Inf for x far below 0, giving exactly 0, never NaN. */
    static void sigmoid(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (float) (1.0 / (1.0 + Math.exp(-a[oa + i])));
    }

    /** GELU, x·Φ(x), in double: the oracle of the vector kernel. */
    static void gelu(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            double x = a[oa + i];
            out[oo + i] = (float) (x * normalCdf(x));
        }
    }

    /** out = g · GELU'(x) = g · (Φ(x) + x·φ(x)). */
    static void geluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[ox + i];
            out[oo + i] = (float) (g[og + i] * (normalCdf(v) + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI));
        }
    }

    static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** Φ(x) = ½ erfc(−x/√2), the standard normal CDF. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static final double SQRT_PI = Math.sqrt(Math.PI);

    /**
     * erfc to double precision (within 1e-13 relative of Apache Commons Numbers' {@code Erfc}
     * everywhere it is a normal number, tested), from two expansions of the error function:
     * <ul>
     * <li>z = |x| &lt; 1.5: erf(z) = 2/√π·e^(−z²)·Σ 2ⁿ·z^(2n+1)/(1·3·5···(2n+1)), a series of
     *     positive terms (the alternating Taylor series cancels), at most 25 terms; erfc = 1 − erf
     *     there loses at most 5 bits, as erfc(1.5) = 0.034;
     * <li>z ≥ 1.5: Laplace's continued fraction erfc(z) = e^(−z²)/√π · 1/(z + ½/(z + 1/(z + (3/2)/(z + …)))),
     *     evaluated from its last term back with 10 + 225/z² terms (converged to 2e-15 at z = 1.5,
     *     where it is slowest); z² is split exactly by an fma so e^(−z²) keeps its precision in the tail.
     * </ul>
     * erfc(−z) = 2 − erfc(z). nn-core depends on no library, so this is written here; the tests hold
     * it against Commons Numbers. (The vector GELU kernel evaluates its own float fit, for speed.)
     */
    static double erfc(double x) {
        if (x != x) return x;
        double z = Math.abs(x), r;
        if (z < 1.5) {
            double z2 = z * z, term = z, sum = z;
            for (int n = 1; term > sum * 1e-17; n++) {
                term *= 2 * z2 / (2 * n + 1);
                sum += term;
            }
            r = 1 - 2 / SQRT_PI * Math.exp(-z2) * sum;
        } else if (z < 28) {
            double t = z;
            for (int n = 10 + (int) (225 / (z * z)); n >= 1; n--) t = z + 0.5 * n / t;
            double z2 = z * z, lo = Math.fma(z, z, -z2);        // z² = z2 + lo exactly
            r = Math.exp(-z2) * (1 - lo) / (SQRT_PI * t);
        } else {
            r = 0;                                              // erfc(28) = 6e-343: below the smallest double
        }
        return x >= 0 ? r : 2 - r;
    }

    static void bytesToUnit(byte[] src, int os, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = (src[os + i] & 0xff) / 255f;
    }

    static void relu(float[] a, int oa, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            float x = a[oa + i];
            out[oo + i] = x > 0f ? x : (x != x ? x : 0f);
        }
    }

    /** out = g where x > 0, else 0 (ReLU's backward). */
    static void reluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = x[ox + i] > 0f ? g[og + i] : 0f;
    }

    // ---- reductions ----

    static float sum(float[] a, int oa, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[oa + i];
        return s;
    }

    static boolean allFinite(float[] a, int oa, int n) {
        for (int i = 0; i < n; i++) if (!Float.isFinite(a[oa + i])) return false;
        return true;
    }

    /** Σ (a - mean)², the second pass of a two-pass variance. */
    static float sumSquaredDeviations(float[] a, int oa, int n, float mean) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float d = a[oa + i] - mean;
            s += d * d;
        }
        return s;
    }

    /** Largest element (NaN if any element is NaN); -Inf for n = 0. */
    static float max(float[] a, int oa, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, a[oa + i]);
        return m;
    }

    static float min(float[] a, int oa, int n) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.min(m, a[oa + i]);
        return m;
    }

    static float dot(float[] a, int oa, float[] b, int ob, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[oa + i] * b[ob + i];
        return s;
    }

    /** Σ e^(a - shift): the denominator of a softmax with the max subtracted. Writes the exponentials to out. */
    static float expShiftSum(float[] a, int oa, float shift, float[] out, int oo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(a[oa + i] - shift);
            out[oo + i] = e;
            s += e;
        }
        return s;
    }
}
