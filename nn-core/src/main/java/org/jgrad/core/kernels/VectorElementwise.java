package org.jgrad.core.kernels;

import static org.jgrad.core.kernels.VectorSupport.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API versions of the elementwise and reduction kernels. One pattern throughout: a
 * {@code loopBound} loop over whole vectors, then the scalar twin in {@link ScalarElementwise}
 * finishes the tail. Each operation has its own method with its operator as a constant — an
 * operator passed as a variable makes the JIT fall back to a slow path.
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
            load(a, oa + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i);
        }
        ScalarElementwise.exp(a, oa + i, out, oo + i, n - i);
    }

    static void log(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i);
        }
        ScalarElementwise.log(a, oa + i, out, oo + i, n - i);
    }

    static void sqrt(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).sqrt().intoArray(out, oo + i);
        }
        ScalarElementwise.sqrt(a, oa + i, out, oo + i, n - i);
    }

    static void sin(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).lanewise(VectorOperators.SIN).intoArray(out, oo + i);
        }
        ScalarElementwise.sin(a, oa + i, out, oo + i, n - i);
    }

    static void cos(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).lanewise(VectorOperators.COS).intoArray(out, oo + i);
        }
        ScalarElementwise.cos(a, oa + i, out, oo + i, n - i);
    }

    static void tanh(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i);
        }
        ScalarElementwise.tanh(a, oa + i, out, oo + i, n - i);
    }

    static void sigmoid(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            // e^-x overflows to +Inf for very negative x: 1 / (1 + Inf) = 0, never NaN
            FloatVector e = load(a, oa + i).neg().lanewise(VectorOperators.EXP);
            one.div(e.add(1f)).intoArray(out, oo + i);
        }
        ScalarElementwise.sigmoid(a, oa + i, out, oo + i, n - i);
    }

    static void relu(float[] a, int oa, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            load(a, oa + i).max(0f).intoArray(out, oo + i);
        }
        ScalarElementwise.relu(a, oa + i, out, oo + i, n - i);
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

    static float sum(float[] a, int oa, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) acc = acc.add(load(a, oa + i));
        return acc.reduceLanes(VectorOperators.ADD) + ScalarElementwise.sum(a, oa + i, n - i);
    }

    static float sumSquaredDeviations(float[] a, int oa, int n, float mean) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector d = load(a, oa + i).sub(mean);
            acc = d.fma(d, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD) + ScalarElementwise.sumSquaredDeviations(a, oa + i, n - i, mean);
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
        return acc.reduceLanes(VectorOperators.ADD) + ScalarElementwise.dot(a, oa + i, b, ob + i, n - i);
    }

    static float expShiftSum(float[] a, int oa, float shift, float[] out, int oo, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = load(a, oa + i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(out, oo + i);
            acc = acc.add(e);
        }
        return acc.reduceLanes(VectorOperators.ADD) + ScalarElementwise.expShiftSum(a, oa + i, shift, out, oo + i, n - i);
    }
}
