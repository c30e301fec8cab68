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

    static void gelu(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector x = load(a, oa + i);
            x.mul(normalCdf(x)).intoArray(out, oo + i);
        }
        ScalarElementwise.gelu(a, oa + i, out, oo + i, n - i);
    }

    /**
     * Φ(x) for a block into a scratch array, then Φ + x·φ(x) times g, each in its own method with
     * array arguments only: each holds one inlined {@link #exp}. With both in one compiled method
     * C2 stopped inlining at its node limit (NodeCountInliningCutoff, seen with
     * -XX:+PrintInlining), so an exp or {@link #normalCdf} ran as a call with boxed vectors, many
     * times slower. The scratch block stays in L1.
     */
    static void geluBackward(float[] x, int ox, float[] g, int og, float[] out, int oo, int n) {
        int bound = F.loopBound(n), block = 64 * F.length();
        float[] cdf = new float[Math.min(block, bound)];
        for (int i = 0; i < bound; i += block) {
            int len = Math.min(block, bound - i);
            normalCdfs(x, ox + i, cdf, len);
            geluSlopes(x, ox + i, cdf, g, og + i, out, oo + i, len);
        }
        ScalarElementwise.geluBackward(x, ox + bound, g, og + bound, out, oo + bound, n - bound);
    }

    /** cdf[i] = Φ(x[ox + i]) for whole vectors, i < len. */
    private static void normalCdfs(float[] x, int ox, float[] cdf, int len) {
        for (int i = 0; i < len; i += F.length()) normalCdf(load(x, ox + i)).intoArray(cdf, i);
    }

    /** out = g · (Φ(x) + x·φ(x)) for whole vectors, with Φ(x) given in cdf. */
    private static void geluSlopes(float[] x, int ox, float[] cdf, float[] g, int og, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += F.length()) {
            FloatVector v = load(x, ox + i);
            FloatVector density = exp(v.mul(v).mul(-0.5f)).mul((float) ScalarElementwise.INV_SQRT_2PI);
            v.fma(density, load(cdf, i)).mul(load(g, og + i)).intoArray(out, oo + i);
        }
    }

    /**
     * Φ(x) = ½ erfc(−x/√2) in float, by the same Chebyshev fit as {@link ScalarElementwise#erfc}
     * with {@link #exp}: within 2e-6 relative of the double oracle, plus up to z²·2⁻²² in the lower
     * tail (z = −x/√2; e^(−z²) carries the rounding of z² and of the exponent's sum), where Φ is
     * below 3e-7 for z > 3.5. NaN stays NaN; Φ(+∞) = 1, Φ(−∞) = 0.
     */
    private static FloatVector normalCdf(FloatVector x) {
        FloatVector z = x.mul((float) -Math.sqrt(0.5));
        FloatVector az = z.abs();
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector t = one.div(az.fma(FloatVector.broadcast(F, 0.5f), one));
        FloatVector poly = FloatVector.broadcast(F, 0.17087277f)
                .fma(t, FloatVector.broadcast(F, -0.82215223f))
                .fma(t, FloatVector.broadcast(F, 1.48851587f))
                .fma(t, FloatVector.broadcast(F, -1.13520398f))
                .fma(t, FloatVector.broadcast(F, 0.27886807f))
                .fma(t, FloatVector.broadcast(F, -0.18628806f))
                .fma(t, FloatVector.broadcast(F, 0.09678418f))
                .fma(t, FloatVector.broadcast(F, 0.37409196f))
                .fma(t, FloatVector.broadcast(F, 1.00002368f))
                .fma(t, FloatVector.broadcast(F, -1.26551223f));
        FloatVector r = t.mul(exp(poly.sub(x.mul(x).mul(0.5f))));          // erfc(|z|), z² = x²/2
        // erfc(z) = 2 − erfc(−z) for z < 0 (vector operands only in the blend: see exp)
        FloatVector erfc = r.blend(FloatVector.broadcast(F, 2f).sub(r), z.compare(VectorOperators.LT, FloatVector.zero(F)));
        return erfc.mul(0.5f);
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
