package org.jgrad.core;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks autograd gradients against central finite differences, like
 * {@code torch.autograd.gradcheck}, made meaningful for a float32 library.
 *
 * <p>Naive finite differences on a float32 graph are 10–50% off at small steps, so the check
 * reduces the output to the scalar L = Σ v ⊙ f(x) with a fixed random cotangent v (which keeps
 * L small and tests the full vector-Jacobian product), accumulates L in double, and perturbs each
 * input element by h = {@code step} · max(1, |x|), dividing by the step actually represented in
 * float. The analytic gradient is {@code Autograd.grad(f(x), v)}. An element passes when
 *
 * <pre>
 *   |analytic − numeric| ≤ atol + rtol · |numeric| + 8 · 2⁻²⁴ · Σ|v ⊙ f(x)| / h
 * </pre>
 *
 * the last term being the rounding floor of a float32 forward pass. Defaults: step 1e-2, atol
 * 1e-3, rtol 1e-2. Inputs must sit at least one step away from kinks (ReLU at 0, ties of max).
 * Only inputs that require grad are checked; others (index tensors) are held fixed. No global
 * state is touched: the inputs are restored exactly.
 *
 * <pre>{@code
 * jshell> var x = Tensor.randn(new SplittableRandom(1), 3, 4).requiresGrad();
 * jshell> GradCheck.check("tanh", in -> in[0].tanh(), x).ok()
 * $2 ==> true
 * }</pre>
 */
public final class GradCheck {

    public static final double DEFAULT_STEP = 1e-2, DEFAULT_ATOL = 1e-3, DEFAULT_RTOL = 1e-2;
    private static final double FLOAT_EPS = Math.ulp(1f) / 2;

    private GradCheck() {}

    /** The worst element found: which input and element, both values and the tolerance it had. */
    public record Result(String op, boolean ok, int input, int element, int[] inputShape,
                         double analytic, double numeric, double error, double tolerance) {
        @Override
        public String toString() {
            if (input < 0) return "GradCheck '" + op + "': no input requires grad";
            return "GradCheck '" + op + "' " + (ok ? "passed" : "FAILED") + ": worst at input " + input
                    + " (shape " + Arrays.toString(inputShape) + "), element " + element
                    + ": analytic " + analytic + ", numeric " + numeric
                    + " (|difference| " + error + ", tolerance " + tolerance + ")";
        }
    }

    /** Checks with the default step and tolerances. */
    public static Result check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(op, f, DEFAULT_STEP, DEFAULT_ATOL, DEFAULT_RTOL, inputs);
    }

    /** Throws an {@link AssertionError} carrying the report when the check fails. */
    public static void assertGradients(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Result r = check(op, f, inputs);
        if (!r.ok()) throw new AssertionError(r.toString());
    }

    public static Result check(String op, Function<Tensor[], Tensor> f, double step, double atol, double rtol,
                               Tensor... inputs) {
        Tensor out = f.apply(inputs);
        SplittableRandom rng = new SplittableRandom(0x9E3779B97F4A7C15L);
        float[] v = new float[out.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextDouble(-1, 1);
        Tensor cotangent = Tensor.wrap(new org.jgrad.core.ops.FloatArray(v, out.shape()));

        int[] checked = java.util.stream.IntStream.range(0, inputs.length).filter(i -> inputs[i].isRequiresGrad()).toArray();
        Tensor[] wrt = Arrays.stream(checked).mapToObj(i -> inputs[i]).toArray(Tensor[]::new);
        if (wrt.length == 0) return new Result(op, true, -1, -1, new int[0], 0, 0, 0, 0);
        Tensor[] analytic = Autograd.grad(out, cotangent, false, wrt);

        Result worst = null;
        double worstRatio = -1;
        for (int c = 0; c < wrt.length; c++) {
            float[] x = wrt[c].data();
            float[] ga = analytic[c].data();
            for (int e = 0; e < x.length; e++) {
                float orig = x[e];
                double h = step * Math.max(1.0, Math.abs(orig));
                float xp = (float) (orig + h), xm = (float) (orig - h);
                x[e] = xp;
                double[] lp = objective(f, inputs, v);
                x[e] = xm;
                double[] lm = objective(f, inputs, v);
                x[e] = orig;
                double numeric = (lp[0] - lm[0]) / ((double) xp - (double) xm);
                double floor = 8 * FLOAT_EPS * Math.max(lp[1], lm[1]) / h;
                double tol = atol + rtol * Math.abs(numeric) + floor;
                double err = Math.abs(ga[e] - numeric);
                if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
                double ratio = err / tol;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = new Result(op, ratio <= 1, checked[c], e, wrt[c].shape(), ga[e], numeric, err, tol);
                }
            }
        }
        return worst != null ? worst : new Result(op, true, checked[0], -1, wrt[0].shape(), 0, 0, 0, 0);
    }

    /** {Σ v·f(x), Σ |v·f(x)|} in double, without recording a graph. */
    private static double[] objective(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] v) {
        try (var off = GradMode.off()) {
            float[] y = f.apply(inputs).data();
            double s = 0, abs = 0;
            for (int i = 0; i < y.length; i++) {
                double t = (double) v[i] * y[i];
                s += t;
                abs += Math.abs(t);
            }
            return new double[] {s, abs};
        }
    }
}
