package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.numbers.gamma.Erfc;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Vector API kernel against its scalar twin, over sizes 0..70 (every tail length for every
 * species) and a few large sizes, at non-zero offsets, with NaN and infinities mixed in.
 */
class ElementwiseTest {

    /**
     * nn-core's erfc (GELU's scalar oracle and {@code Pointwise.normalCdf}) against Apache Commons
     * Numbers: within 1e-13 relative wherever erfc is a normal double (|x| up to 26.5), on a
     * grid through both expansions' ranges and their seam at 1.5, and at random points; the
     * special values exactly.
     */
    @Test
    void erfcMatchesCommonsNumbers() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i <= 60_000; i++) {
            double x = i < 53_000 ? -26.5 + i * 1e-3 : rnd.nextDouble(-8, 8);
            double want = Erfc.value(x), got = ScalarElementwise.erfc(x);
            assertThat(Math.abs(got - want)).as("erfc(%s)", x).isLessThanOrEqualTo(1e-13 * want);
        }
        for (double x : new double[] {1.5, Math.nextDown(1.5), -1.5, 1e-300, -1e-300}) {
            assertThat(ScalarElementwise.erfc(x)).as("erfc(%s)", x).isCloseTo(Erfc.value(x), org.assertj.core.data.Offset.offset(1e-13 * Erfc.value(x)));
        }
        assertThat(ScalarElementwise.erfc(0)).isEqualTo(1);
        assertThat(ScalarElementwise.erfc(Double.POSITIVE_INFINITY)).isEqualTo(0);
        assertThat(ScalarElementwise.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2);
        assertThat(ScalarElementwise.erfc(30)).isEqualTo(0);
        assertThat(ScalarElementwise.erfc(Double.NaN)).isNaN();
        for (int i = 0; i <= 2000; i++) {
            double x = -37 + i * 0.02, want = 0.5 * Erfc.value(-x / Math.sqrt(2));
            assertThat(Math.abs(ScalarElementwise.normalCdf(x) - want)).as("Φ(%s)", x).isLessThanOrEqualTo(2e-13 * want);
        }
    }

    static IntStream sizes() {
        return IntStream.concat(IntStream.rangeClosed(0, 70), IntStream.of(127, 1000, 4099));
    }

    private static final int OFF_A = 3, OFF_B = 5, OFF_OUT = 2;

    private static float[] random(SplittableRandom rng, int n, float lo, float hi, boolean specials) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextDouble(lo, hi);
        if (specials && n > 10) {
            a[OFF_A + 1] = Float.NaN;
            a[OFF_A + 4] = Float.POSITIVE_INFINITY;
            a[OFF_A + 7] = Float.NEGATIVE_INFINITY;
        }
        return a;
    }

    interface Binary {
        void run(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n);
    }

    interface Unary {
        void run(float[] a, int oa, float[] out, int oo, int n);
    }

    private static void sameBinary(Binary vector, Binary scalar, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed + n);
        float[] a = random(rng, n + OFF_A, -4, 4, true), b = random(rng, n + OFF_B, 0.5f, 3, false);
        float[] v = new float[n + OFF_OUT], s = new float[n + OFF_OUT];
        vector.run(a, OFF_A, b, OFF_B, v, OFF_OUT, n);
        scalar.run(a, OFF_A, b, OFF_B, s, OFF_OUT, n);
        assertThat(v).as("n=%d", n).containsExactly(s);
    }

    /** Basic arithmetic is exactly rounded in both, so results must be bit-identical. */
    @ParameterizedTest
    @MethodSource("sizes")
    void arithmeticMatchesScalarBitwise(int n) {
        sameBinary(VectorElementwise::add, ScalarElementwise::add, n, 1);
        sameBinary(VectorElementwise::sub, ScalarElementwise::sub, n, 2);
        sameBinary(VectorElementwise::mul, ScalarElementwise::mul, n, 3);
        sameBinary(VectorElementwise::div, ScalarElementwise::div, n, 4);
        sameBinary(VectorElementwise::max, ScalarElementwise::max, n, 5);
        sameBinary(VectorElementwise::min, ScalarElementwise::min, n, 6);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.addScalar(a, oa, 1.5f, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.addScalar(a, oa, 1.5f, o, oo, k), n, 7);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.rsubScalar(a, oa, 1.5f, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.rsubScalar(a, oa, 1.5f, o, oo, k), n, 8);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.mulScalar(a, oa, -2.5f, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.mulScalar(a, oa, -2.5f, o, oo, k), n, 9);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.divScalar(a, oa, 3f, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.divScalar(a, oa, 3f, o, oo, k), n, 10);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.rdivScalar(a, oa, 3f, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.rdivScalar(a, oa, 3f, o, oo, k), n, 11);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.clamp(a, oa, -1f, 2f, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.clamp(a, oa, -1f, 2f, o, oo, k), n, 12);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.reluBackward(a, oa, b, ob, o, oo, k),
                ScalarElementwise::reluBackward, n, 13);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.axpy(0.75f, a, oa, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.axpy(0.75f, a, oa, o, oo, k), n, 14);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.abs(a, oa, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.abs(a, oa, o, oo, k), n, 15);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.relu(a, oa, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.relu(a, oa, o, oo, k), n, 16);
        sameBinary((a, oa, b, ob, o, oo, k) -> VectorElementwise.sqrt(b, ob, o, oo, k),
                (a, oa, b, ob, o, oo, k) -> ScalarElementwise.sqrt(b, ob, o, oo, k), n, 17);
    }

    /** Transcendentals may differ from java.lang.Math by a few ulps; specials must agree. */
    private static void closeUnary(Unary vector, Unary scalar, float lo, float hi, int n) {
        SplittableRandom rng = new SplittableRandom(n);
        float[] a = random(rng, n + OFF_A, lo, hi, true);
        float[] v = new float[n + OFF_OUT], s = new float[n + OFF_OUT];
        vector.run(a, OFF_A, v, OFF_OUT, n);
        scalar.run(a, OFF_A, s, OFF_OUT, n);
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(s[i]) || Float.isInfinite(s[i])) {
                assertThat(Float.valueOf(v[i])).as("n=%d i=%d", n, i).isEqualTo(Float.valueOf(s[i]));
            } else {
                assertThat((double) v[i]).as("n=%d i=%d", n, i).isCloseTo(s[i], org.assertj.core.data.Offset.offset(
                        4 * Math.ulp(Math.max(Math.abs(s[i]), 1e-6f)) + 1e-7));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void transcendentalsMatchScalarWithinUlps(int n) {
        closeUnary(VectorElementwise::exp, ScalarElementwise::exp, -80, 80, n);
        closeUnary(VectorElementwise::exp, ScalarElementwise::exp, -0.5f, 0.5f, n);
        closeUnary(VectorElementwise::exp, ScalarElementwise::exp, -110, 110, n);
        closeUnary(VectorElementwise::log, ScalarElementwise::log, 1e-3f, 1e3f, n);
        closeUnary(VectorElementwise::sin, ScalarElementwise::sin, -10, 10, n);
        closeUnary(VectorElementwise::cos, ScalarElementwise::cos, -10, 10, n);
        closeUnary(VectorElementwise::tanh, ScalarElementwise::tanh, -20, 20, n);
        closeUnary(VectorElementwise::sigmoid, ScalarElementwise::sigmoid, -120, 120, n);
    }

    /** Reordered sums differ by at most about n·ε·Σ|a|. */
    @ParameterizedTest
    @MethodSource("sizes")
    void reductionsMatchScalarWithinBound(int n) {
        SplittableRandom rng = new SplittableRandom(100 + n);
        float[] a = random(rng, n + OFF_A, -2, 2, false), b = random(rng, n + OFF_B, -2, 2, false);
        double absSum = 0, absDot = 0;
        for (int i = 0; i < n; i++) {
            absSum += Math.abs(a[OFF_A + i]);
            absDot += Math.abs(a[OFF_A + i] * b[OFF_B + i]);
        }
        double eps = Math.ulp(1f);
        assertThat((double) VectorElementwise.sum(a, OFF_A, n)).isCloseTo(ScalarElementwise.sum(a, OFF_A, n),
                org.assertj.core.data.Offset.offset(n * eps * absSum + 1e-30));
        assertThat((double) VectorElementwise.dot(a, OFF_A, b, OFF_B, n)).isCloseTo(ScalarElementwise.dot(a, OFF_A, b, OFF_B, n),
                org.assertj.core.data.Offset.offset(n * eps * absDot + 1e-30));
        assertThat(VectorElementwise.max(a, OFF_A, n)).isEqualTo(ScalarElementwise.max(a, OFF_A, n));
        assertThat(VectorElementwise.min(a, OFF_A, n)).isEqualTo(ScalarElementwise.min(a, OFF_A, n));
        float[] ev = new float[n], es = new float[n];
        double sv = VectorElementwise.expShiftSum(a, OFF_A, 2f, ev, 0, n);
        double ss = ScalarElementwise.expShiftSum(a, OFF_A, 2f, es, 0, n);
        assertThat(sv).isCloseTo(ss, org.assertj.core.data.Offset.offset(n * eps * Math.max(ss, 1) * 4 + 1e-30));
        assertThat((double) VectorElementwise.sumSquaredDeviations(a, OFF_A, n, 0.25f))
                .isCloseTo(ScalarElementwise.sumSquaredDeviations(a, OFF_A, n, 0.25f),
                        org.assertj.core.data.Offset.offset(n * eps * 16.0 * n + 1e-30));
    }

    /** Each special value at each position (vector body and tail, around the offset) is found; large finite values are not flagged. */
    @ParameterizedTest
    @MethodSource("sizes")
    void allFiniteFindsEveryNonFiniteElement(int n) {
        if (n > 100) return;
        float[] a = random(new SplittableRandom(n), n + OFF_A, -3e38f, 3e38f, false);
        assertThat(VectorElementwise.allFinite(a, OFF_A, n)).isTrue();
        assertThat(ScalarElementwise.allFinite(a, OFF_A, n)).isTrue();
        for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int i = 0; i < n; i++) {
                float[] b = a.clone();
                b[OFF_A + i] = special;
                assertThat(VectorElementwise.allFinite(b, OFF_A, n)).as("n=%d, %s at %d", n, special, i).isFalse();
                assertThat(ScalarElementwise.allFinite(b, OFF_A, n)).isFalse();
                // outside the range it does not count
                assertThat(VectorElementwise.allFinite(b, OFF_A, i)).isTrue();
            }
        }
    }

    /** Pixels to [0, 1]: every byte value, every length up to a few vectors, odd offsets; bitwise the scalar division. */
    @Test
    void bytesToUnitIsTheUnsignedByteOver255() {
        byte[] all = new byte[256 + 67];
        for (int i = 0; i < all.length; i++) all[i] = (byte) (i * 7 + 3);
        for (int n = 0; n <= 100; n++) {
            for (int off : new int[] {0, 1, 13}) {
                float[] want = new float[n + 5], got = new float[n + 5];
                for (int i = 0; i < n; i++) want[2 + i] = (all[off + i] & 0xff) / 255f;
                Elementwise.bytesToUnit(all, off, got, 2, n);
                assertThat(got).as("n %d, offset %d", n, off).containsExactly(want);
            }
        }
        float[] full = new float[all.length];
        Elementwise.bytesToUnit(all, 0, full, 0, all.length);
        for (int i = 0; i < all.length; i++) {
            assertThat(Float.floatToRawIntBits(full[i])).isEqualTo(Float.floatToRawIntBits((all[i] & 0xff) / 255f));
            assertThat(full[i]).isBetween(0f, 1f);
        }
        float[] edges = new float[2];
        Elementwise.bytesToUnit(new byte[] {(byte) 255, 0}, 0, edges, 0, 2);
        assertThat(edges).containsExactly(1f, 0f);
    }

    @Test
    void maxPropagatesNaN() {
        float[] a = new float[40];
        a[33] = Float.NaN;
        assertThat(VectorElementwise.max(a, 0, 40)).isNaN();
        assertThat(VectorElementwise.max(a, 0, 34)).isNaN();
        assertThat(VectorElementwise.max(a, 0, 20)).isEqualTo(0f);
        assertThat(ScalarElementwise.max(a, 0, 40)).isNaN();
    }

    @Test
    void sigmoidSaturatesWithoutNaN() {
        float[] x = {-100f, 100f, -1000f, 1000f, 0f};
        for (int rep = 0; rep < 5; rep++) x = java.util.Arrays.copyOf(x, x.length * 2); // reach the vector path
        float[] out = new float[x.length];
        Elementwise.sigmoid(x, 0, out, 0, x.length);
        assertThat((double) out[0]).isBetween(0.0, 1e-40);
        assertThat(out[1]).isEqualTo(1f);
        assertThat(out[2]).isEqualTo(0f);
        assertThat(out[3]).isEqualTo(1f);
        assertThat(out[4]).isEqualTo(0.5f);
    }

    @Test
    void largeArraysSplitAcrossThreadsGiveTheSameBits() {
        int n = Elementwise.PARALLEL_MIN * 3 + 17;
        float[] a = random(new SplittableRandom(5), n, -3, 3, false);
        int before = org.jgrad.core.Parallel.threads();
        try {
            float[][] outs = new float[3][n];
            int[] threads = {1, 2, 7};
            for (int t = 0; t < 3; t++) {
                org.jgrad.core.Parallel.setThreads(threads[t]);
                Elementwise.exp(a, 0, outs[t], 0, n);
                Elementwise.sigmoid(outs[t], 0, outs[t], 0, n);
            }
            assertThat(outs[1]).isEqualTo(outs[0]);
            assertThat(outs[2]).isEqualTo(outs[0]);
        } finally {
            org.jgrad.core.Parallel.setThreads(before);
        }
    }

    @Test
    void stridedCopyMatchesIndexLoops() {
        // a [2,3,4] array permuted to [4,2,3] and added into a broadcast target
        float[] src = new float[24];
        for (int i = 0; i < 24; i++) src[i] = i;
        int[] shape = {4, 2, 3};
        float[] dst = new float[24];
        Strided.copy(shape, src, 0, new int[] {1, 12, 4}, dst, 0, Strided.contiguousStrides(shape), false);
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++) assertThat(dst[k * 6 + i * 3 + j]).isEqualTo(src[i * 12 + j * 4 + k]);
        float[] acc = new float[3];
        Strided.copy(new int[] {4, 3}, src, 0, new int[] {3, 1}, acc, 0, new int[] {0, 1}, true);
        assertThat(acc).containsExactly(0 + 3 + 6 + 9, 1 + 4 + 7 + 10, 2 + 5 + 8 + 11);
    }

    /** The hand-written vector exp: every float exponent range, the edges, specials; within 2 ulp. */
    @Test
    void vectorExpIsWithinTwoUlpEverywhere() {
        int n = 200_003;
        float[] x = new float[n];
        SplittableRandom rng = new SplittableRandom(77);
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextDouble(-87.3, 88.7);
        float[] edges = {0f, -0f, 1e-30f, -1e-30f, 88.72283f, 88.7229f, 89f, -87.33654f, -87.4f, -104f, -200f, 1000f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.34657359f, -0.34657359f, 0.5f, 1f, -1f};
        System.arraycopy(edges, 0, x, 0, edges.length);
        float[] v = new float[n];
        VectorElementwise.exp(x, 0, v, 0, n - n % VectorSupport.lanes());
        for (int i = 0; i < n - n % VectorSupport.lanes(); i++) {
            double exact = Math.exp(x[i]);
            if (Double.isNaN(exact)) {
                assertThat(v[i]).as("exp(%s)", x[i]).isNaN();
            } else if (exact > Float.MAX_VALUE) {
                assertThat(v[i]).as("exp(%s)", x[i]).isEqualTo(Float.POSITIVE_INFINITY);
            } else if (exact < Float.MIN_NORMAL) {
                assertThat((double) v[i]).as("exp(%s)", x[i]).isLessThanOrEqualTo(Float.MIN_NORMAL);
            } else {
                assertThat(Math.abs(v[i] - exact)).as("exp(%s)", x[i]).isLessThanOrEqualTo(2 * Math.ulp((float) exact));
            }
        }
    }

    /**
     * GELU and its slope in float against the double formula (the scalar oracle), over the range
     * where they are not 0 or x, the lower tail (down to where Φ underflows float), the zero of the
     * slope (x ≈ −0.75) and specials: within 1e-6 relative (measured 4.7e-7; the slope relative to
     * its terms, which cancel near its zero); NaN and ±∞ as the formula (−∞·Φ(−∞) is NaN, as in
     * PyTorch).
     */
    @Test
    void vectorGeluMatchesTheDoubleFormula() {
        int n = 100_003, lanes = VectorSupport.lanes(), whole = n - n % lanes;
        SplittableRandom rng = new SplittableRandom(78);
        float[] x = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (i % 3 == 0 ? rng.nextDouble(-13, 6) : rng.nextGaussian() * 2);
            g[i] = (float) rng.nextDouble(-2, 2);
        }
        float[] edges = {0f, -0f, 1e-30f, -1e-30f, -0.7517916f, 30f, -30f, 1e20f, -1e20f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        System.arraycopy(edges, 0, x, 0, edges.length);
        float[] v = new float[n], s = new float[n], dv = new float[n], ds = new float[n];
        VectorElementwise.gelu(x, 0, v, 0, whole);
        ScalarElementwise.gelu(x, 0, s, 0, whole);
        VectorElementwise.geluBackward(x, 0, g, 0, dv, 0, whole);
        ScalarElementwise.geluBackward(x, 0, g, 0, ds, 0, whole);
        for (int i = 0; i < whole; i++) {
            double xi = x[i];
            if (!Float.isFinite(s[i]) || !Float.isFinite(ds[i])) {
                assertThat(Float.valueOf(v[i])).as("gelu(%s)", xi).isEqualTo(Float.valueOf(s[i]));
                assertThat(Float.valueOf(dv[i])).as("gelu'(%s)", xi).isEqualTo(Float.valueOf(ds[i]));
                continue;
            }
            assertThat((double) v[i]).as("gelu(%s)", xi)
                    .isCloseTo(s[i], org.assertj.core.data.Offset.offset(1e-6 * Math.abs(s[i]) + 1e-38));
            // the slope Φ + xφ cancels near its zero: the error scales with its terms, not with their sum
            double cdf = ScalarElementwise.normalCdf(xi), terms = Math.abs(g[i]) * (cdf + Math.abs(xi) * Math.exp(-xi * xi / 2));
            assertThat((double) dv[i]).as("gelu'(%s)", xi)
                    .isCloseTo(ds[i], org.assertj.core.data.Offset.offset(1e-6 * terms + 1e-38));
        }
    }

    /**
     * A reduction gives the same bits before and after the JIT compiles it: JDK 25's C2 sums
     * the lanes of reduceLanes(ADD) in another order than the interpreter (measured: 17 of 1000
     * sums of 16 lanes), so a kernel built on it changed results as the JVM warmed up.
     */
    @Test
    void reductionsKeepTheirBitsWhenTheJitCompilesThem() {
        SplittableRandom rng = new SplittableRandom(17);
        float[][] data = new float[200][];
        for (int k = 0; k < data.length; k++) {
            data[k] = new float[64 + rng.nextInt(8)];
            for (int i = 0; i < data[k].length; i++) data[k][i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-4, 5)));
        }
        float[] sum = new float[data.length], dot = new float[data.length];
        for (int k = 0; k < data.length; k++) {
            sum[k] = Elementwise.sum(data[k], 0, data[k].length);
            dot[k] = Elementwise.dot(data[k], 0, data[(k + 1) % data.length], 0, Math.min(data[k].length, data[(k + 1) % data.length].length));
        }
        for (int round = 0; round < 500; round++) {      // enough calls for C2 to compile both
            for (int k = 0; k < data.length; k++) {
                float[] b = data[(k + 1) % data.length];
                assertThat(Elementwise.sum(data[k], 0, data[k].length)).as("sum %d in round %d", k, round).isEqualTo(sum[k]);
                assertThat(Elementwise.dot(data[k], 0, b, 0, Math.min(data[k].length, b.length))).as("dot %d in round %d", k, round)
                        .isEqualTo(dot[k]);
            }
        }
    }
}
