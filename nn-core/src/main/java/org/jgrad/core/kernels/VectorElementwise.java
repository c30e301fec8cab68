package org.jgrad.core.kernels;

import static org.jgrad.core.kernels.VectorSupport.F;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the elementwise and reduction kernels. One pattern throughout: a
 * {@code loopBound} loop over whole vectors, then the scalar twin in {@link ScalarElementwise}
 * finishes the tail. Each operation has its own method with its operator as a constant — an
 * operator passed as a variable makes the JIT fall back to a slow path.
 *
 * <p>No {@code lanewise} transcendental (EXP, TANH, LOG, SIN, COS) is used: HotSpot computes
 * them with a vector math library once compiled and per lane with {@code Math} before, and the
 * two differ in the last bits — results would depend on JIT timing. {@link #exp} is written
 * from exactly rounded arithmetic instead; log, sin, cos and tanh use their scalar twins.
 */
final class VectorElementwise {

    private VectorElementwise() {}

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(F, a, offset);
    }

    // ---- binary, both operands contiguous ----

    static void add(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).add(load(b, ob + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.add(a, oa + i, b, ob + i, out, oo + i, n - i);
    }

    static void sub(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).sub(load(b, ob + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.sub(a, oa + i, b, ob + i, out, oo + i, n - i);
    }

    static void mul(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).mul(load(b, ob + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.mul(a, oa + i, b, ob + i, out, oo + i, n - i);
    }

    static void div(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).div(load(b, ob + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.div(a, oa + i, b, ob + i, out, oo + i, n - i);
    }

    static void max(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).max(load(b, ob + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.max(a, oa + i, b, ob + i, out, oo + i, n - i);
    }

    static void min(float[] a, int oa, float[] b, int ob, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).min(load(b, ob + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.min(a, oa + i, b, ob + i, out, oo + i, n - i);
    }

    // ---- binary, one operand a scalar ----

    static void addScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).add(s).intoArray(out, oo + i);
        }
        ScalarElementwise.addScalar(a, oa + i, s, out, oo + i, n - i);
    }

    static void rsubScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        int i = 0;
        FloatVector vs = FloatVector.broadcast(F, s);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            vs.sub(load(a, oa + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.rsubScalar(a, oa + i, s, out, oo + i, n - i);
    }

    static void mulScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).mul(s).intoArray(out, oo + i);
        }
        ScalarElementwise.mulScalar(a, oa + i, s, out, oo + i, n - i);
    }

    static void divScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).div(s).intoArray(out, oo + i);
        }
        ScalarElementwise.divScalar(a, oa + i, s, out, oo + i, n - i);
    }

    static void rdivScalar(float[] a, int oa, float s, float[] out, int oo, int n) {
        int i = 0;
        FloatVector vs = FloatVector.broadcast(F, s);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            vs.div(load(a, oa + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.rdivScalar(a, oa + i, s, out, oo + i, n - i);
    }

    static void clamp(float[] a, int oa, float lo, float hi, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).max(lo).min(hi).intoArray(out, oo + i);
        }
        ScalarElementwise.clamp(a, oa + i, lo, hi, out, oo + i, n - i);
    }

    static void axpy(float s, float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        FloatVector vs = FloatVector.broadcast(F, s);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            // s·a + out as a separate multiply and add, exactly like the scalar twin
            vs.mul(load(a, oa + i)).add(load(out, oo + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.axpy(s, a, oa + i, out, oo + i, n - i);
    }

    // ---- unary ----

    static void abs(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).abs().intoArray(out, oo + i);
        }
        ScalarElementwise.abs(a, oa + i, out, oo + i, n - i);
    }

    static void exp(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            exp(load(a, oa + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.exp(a, oa + i, out, oo + i, n - i);
    }

    /**
     * e^x from plain arithmetic: x = k·ln2 + r with |r| ≤ ln2/2, e^r by a degree-7 polynomial,
     * 2^k built in the exponent bits (in two halves, so k = 128 and k = −126 stay in range).
     * About 1 ulp from {@link Math#exp}. Not {@code lanewise(EXP)}: that gives different bits
     * when the JIT has compiled it (a vector math library) than before (a per-lane fallback),
     * and results must not depend on JIT timing. Overflow gives +Inf, underflow 0, NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector shifter = FloatVector.broadcast(F, 12582912f); // 1.5·2^23: adding it rounds to an integer
        FloatVector t = x.max(-87.33654f).min(88.72283f);
        FloatVector shifted = t.mul(1.44269504f).add(shifter);
        FloatVector k = shifted.sub(shifter);
        // ln2 split in two: k·ln2_hi is exact for |k| ≤ 128, so r keeps its low bits
        FloatVector r = t.sub(k.mul(0.693145751953125f)).sub(k.mul(1.428606765330187e-6f));
        FloatVector p = FloatVector.broadcast(F, 1.9841270e-4f)
                .fma(r, FloatVector.broadcast(F, 1.3888889e-3f))
                .fma(r, FloatVector.broadcast(F, 8.3333333e-3f))
                .fma(r, FloatVector.broadcast(F, 4.1666667e-2f))
                .fma(r, FloatVector.broadcast(F, 1.6666667e-1f))
                .fma(r, FloatVector.broadcast(F, 0.5f))
                .fma(r, FloatVector.broadcast(F, 1f))
                .fma(r, FloatVector.broadcast(F, 1f));
        // k as an int without a float→int conversion (JDK 17 runs that lane by lane in Java, 10× slower):
        // the shifter's ulp is 1, so the integer k sits in the low bits of k + shifter
        IntVector ki = shifted.reinterpretAsInts().sub(0x4B400000);
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1), k2 = ki.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = p.mul(s1).mul(s2);
        // vector operands only: with scalar operands and test(IS_NAN) JDK 17 ran these blends lane by
        // lane in Java (profiled: blendTemplate), 5× slower; the values are the same
        e = e.blend(FloatVector.zero(F), x.compare(VectorOperators.LT, FloatVector.broadcast(F, -87.33654f)));
        e = e.blend(FloatVector.broadcast(F, Float.POSITIVE_INFINITY), x.compare(VectorOperators.GT, FloatVector.broadcast(F, 88.72283f)));
        return e.blend(x, x.compare(VectorOperators.NE, x));          // NaN stays NaN
    }

    static void log(float[] a, int oa, float[] out, int oo, int n) {
        ScalarElementwise.log(a, oa, out, oo, n); // see the class comment: no lanewise transcendentals
    }

    static void sqrt(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).sqrt().intoArray(out, oo + i);
        }
        ScalarElementwise.sqrt(a, oa + i, out, oo + i, n - i);
    }

    static void sin(float[] a, int oa, float[] out, int oo, int n) {
        ScalarElementwise.sin(a, oa, out, oo, n); // see the class comment: no lanewise transcendentals
    }

    static void cos(float[] a, int oa, float[] out, int oo, int n) {
        ScalarElementwise.cos(a, oa, out, oo, n); // see the class comment: no lanewise transcendentals
    }

    static void tanh(float[] a, int oa, float[] out, int oo, int n) {
        ScalarElementwise.tanh(a, oa, out, oo, n); // see the class comment: no lanewise transcendentals
    }

    static void sigmoid(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            // e^-x overflows to +Inf for very negative x: 1 / (1 + Inf) = 0, never NaN
            FloatVector e = exp(load(a, oa + i).neg());
            one.div(e.add(1f)).intoArray(out, oo + i);
        }
        ScalarElementwise.sigmoid(a, oa + i, out, oo + i, n - i);
    }

    // GELU and its slope, x·Φ(x) and Φ(x) + x·φ(x), from one exponential e = e^(−x²/2):
    //   φ(x) = e/√(2π);  Φ(x) = h for x ≤ 0 and 1 − h for x > 0, with h = ½ erfc(|x|/√2);
    //   erfc(z) = t·e^(−z²)·Q(t), t = 1/(1 + z/2), and e^(−z²) = e for z = |x|/√2.
    // Q is a degree-10 polynomial fitted (relative least squares) to erfc(z)·e^(z²)/t on t ∈ (0, 1]:
    // within 1.2e-8 in double, 1.7e-7 evaluated in float (the scalar oracle's erfc is exact to double
    // precision, from a series and a continued fraction: too many divisions for a kernel). x² is rounded; its
    // rounding error lo, exact by an fma, is put back as e·(1 − lo/2), so the lower tail stays within
    // a few ulp instead of losing x²·2⁻²⁵. Each kernel is written out in one method, its constants
    // vectors: with e and h in helper methods, or two exponentials per element, C2 stopped inlining
    // at its node limit (NodeCountInliningCutoff) and ran them with boxed vectors — 2× slower here.
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f), ZERO = FloatVector.zero(F),
            INFINITY = FloatVector.broadcast(F, Float.POSITIVE_INFINITY),
            HALF_OVER_SQRT2 = FloatVector.broadcast(F, (float) (0.5 / Math.sqrt(2))),
            INV_SQRT_2PI = FloatVector.broadcast(F, (float) ScalarElementwise.INV_SQRT_2PI),
            Q10 = FloatVector.broadcast(F, 4.319931567e-02f), Q9 = FloatVector.broadcast(F, -2.347535044e-01f),
            Q8 = FloatVector.broadcast(F, 4.937385619e-01f), Q7 = FloatVector.broadcast(F, -4.550272524e-01f),
            Q6 = FloatVector.broadcast(F, 1.322167516e-01f), Q5 = FloatVector.broadcast(F, -5.922994390e-02f),
            Q4 = FloatVector.broadcast(F, 9.346785396e-02f), Q3 = FloatVector.broadcast(F, 1.753150374e-01f),
            Q2 = FloatVector.broadcast(F, 2.468846589e-01f), Q1 = FloatVector.broadcast(F, 2.820937634e-01f),
            Q0 = FloatVector.broadcast(F, 2.820948064e-01f);

    static void gelu(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector x = load(a, oa + i);
            FloatVector sq = x.mul(x), lo = x.fma(x, sq.neg()), e = exp(sq.mul(-0.5f));
            e = e.sub(e.mul(lo).mul(0.5f)).blend(e, sq.compare(VectorOperators.EQ, INFINITY)); // x² = ∞: lo is NaN, e 0
            FloatVector t = ONE.div(x.abs().fma(HALF_OVER_SQRT2, ONE));
            FloatVector q = Q10.fma(t, Q9).fma(t, Q8).fma(t, Q7).fma(t, Q6).fma(t, Q5).fma(t, Q4).fma(t, Q3).fma(t, Q2).fma(t, Q1).fma(t, Q0);
            FloatVector h = t.mul(e).mul(q).mul(0.5f);
            x.mul(h.blend(ONE.sub(h), x.compare(VectorOperators.GT, ZERO))).intoArray(out, oo + i);
        }
        ScalarElementwise.gelu(a, oa + i, out, oo + i, n - i);
    }

    static void geluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = load(x, ox + i);
            FloatVector sq = v.mul(v), lo = v.fma(v, sq.neg()), e = exp(sq.mul(-0.5f));
            e = e.sub(e.mul(lo).mul(0.5f)).blend(e, sq.compare(VectorOperators.EQ, INFINITY));
            FloatVector t = ONE.div(v.abs().fma(HALF_OVER_SQRT2, ONE));
            FloatVector q = Q10.fma(t, Q9).fma(t, Q8).fma(t, Q7).fma(t, Q6).fma(t, Q5).fma(t, Q4).fma(t, Q3).fma(t, Q2).fma(t, Q1).fma(t, Q0);
            FloatVector h = t.mul(e).mul(q).mul(0.5f);
            FloatVector cdf = h.blend(ONE.sub(h), v.compare(VectorOperators.GT, ZERO));
            v.mul(e).fma(INV_SQRT_2PI, cdf).mul(load(g, og + i)).intoArray(out, oo + i);
        }
        ScalarElementwise.geluBackward(x, ox + i, g, og + i, out, oo + i, n - i);
    }

    static void relu(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).max(0f).intoArray(out, oo + i);
        }
        ScalarElementwise.relu(a, oa + i, out, oo + i, n - i);
    }

    /** One byte per float lane (at least 8 bytes: there is no 32-bit vector for 4-lane floats, which take two parts). */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, F.length() * Byte.SIZE)));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, F.vectorShape());

    /** out = (src &amp; 0xff) / 255: widened, masked to unsigned, converted and divided lane by lane, as the scalar twin. */
    static void bytesToUnit(byte[] src, int os, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = BYTES.loopBound(n); i < bound; i += BYTES.length()) {
            ByteVector b = ByteVector.fromArray(BYTES, src, os + i);
            IntVector v = (IntVector) b.convertShape(VectorOperators.B2I, INTS, 0);
            ((FloatVector) v.and(0xff).convertShape(VectorOperators.I2F, F, 0)).div(255f).intoArray(out, oo + i);
            if (BYTES.length() > F.length()) {
                IntVector w = (IntVector) b.convertShape(VectorOperators.B2I, INTS, 1);
                ((FloatVector) w.and(0xff).convertShape(VectorOperators.I2F, F, 0)).div(255f).intoArray(out, oo + i + F.length());
            }
        }
        ScalarElementwise.bytesToUnit(src, os + i, out, oo + i, n - i);
    }

    static void reluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            var positive = load(x, ox + i).compare(VectorOperators.GT, 0f);
            zero.blend(load(g, og + i), positive).intoArray(out, oo + i);
        }
        ScalarElementwise.reluBackward(x, ox + i, g, og + i, out, oo + i, n - i);
    }

    // ---- reductions: lane-wise partial results, one lane reduction, scalar tail ----

    /**
     * The lanes' sum in lane order, ((0 + l0) + l1) + …: the order of {@code reduceLanes(ADD)}'s
     * Java implementation, which JDK 17's C2 kept too. JDK 25's C2 sums float lanes in another
     * order once it has compiled the caller (the API allows it): measured, 17 of 1000 sums of 16
     * lanes changed bits after warm-up, so the same call gave other bits before and after JIT
     * compilation — and a training run other weights than the same run in a warmer JVM.
     */
    private static float sumLanes(FloatVector v) {
        // lane by lane, not v.toArray(): that array is a fresh 64 bytes per call, and reductions run
        // per row (softmax, cross-entropy), so it added ~0.4 MiB of garbage per MLP training step
        float s = 0;
        for (int i = 0; i < F.length(); i++) s += v.lane(i);
        return s;
    }

    static float sum(float[] a, int oa, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) acc = acc.add(load(a, oa + i));
        return sumLanes(acc) + ScalarElementwise.sum(a, oa + i, n - i);
    }

    /** v − v is 0 for a finite v and NaN for NaN or ±Inf, so the lanes stay 0 until a non-finite element. */
    static boolean allFinite(float[] a, int oa, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = load(a, oa + i);
            acc = acc.add(v.sub(v));
        }
        return !Float.isNaN(acc.reduceLanes(VectorOperators.ADD)) && ScalarElementwise.allFinite(a, oa + i, n - i);
    }

    static float sumSquaredDeviations(float[] a, int oa, int n, float mean) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector d = load(a, oa + i).sub(mean);
            acc = d.fma(d, acc);
        }
        return sumLanes(acc) + ScalarElementwise.sumSquaredDeviations(a, oa + i, n - i, mean);
    }

    static float max(float[] a, int oa, int n) {
        int i = 0;
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) acc = acc.max(load(a, oa + i));
        return Math.max(acc.reduceLanes(VectorOperators.MAX), ScalarElementwise.max(a, oa + i, n - i));
    }

    static float min(float[] a, int oa, int n) {
        int i = 0;
        FloatVector acc = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) acc = acc.min(load(a, oa + i));
        return Math.min(acc.reduceLanes(VectorOperators.MIN), ScalarElementwise.min(a, oa + i, n - i));
    }

    static float dot(float[] a, int oa, float[] b, int ob, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) acc = load(a, oa + i).fma(load(b, ob + i), acc);
        return sumLanes(acc) + ScalarElementwise.dot(a, oa + i, b, ob + i, n - i);
    }

    static float expShiftSum(float[] a, int oa, float shift, float[] out, int oo, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = exp(load(a, oa + i).sub(shift));
            e.intoArray(out, oo + i);
            acc = acc.add(e);
        }
        return sumLanes(acc) + ScalarElementwise.expShiftSum(a, oa + i, shift, out, oo + i, n - i);
    }
}
