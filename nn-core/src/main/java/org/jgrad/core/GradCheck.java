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

    /** The default relative finite-difference step. */
    public static final double DEFAULT_STEP = 1e-2;
    /** The default absolute tolerance. */
    public static final double DEFAULT_ATOL = 1e-3;
    /** The default tolerance relative to the numeric gradient. */
    public static final double DEFAULT_RTOL = 1e-2;
    private static final double FLOAT_EPS = Math.ulp(1f) / 2;

    private GradCheck() {}

    /**
     * The worst element found: which input and element, both values and the tolerance it had.
     *
     * @param op name of the op in the report
     * @param ok whether every checked element is within its tolerance
     * @param input index in the inputs of the worst element's tensor, -1 if no input requires grad
     * @param element flat index of the worst element in that input, -1 if none was checked
     * @param inputShape shape of that input
     * @param analytic the autograd gradient at the worst element
     * @param numeric the central-difference gradient at the worst element
     * @param error |analytic − numeric| at the worst element (infinite if either is NaN)
     * @param tolerance the tolerance the worst element had, rounding floor included
     */
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

    /**
     * Checks with the default step and tolerances.
     *
     * @param op name of the op in the report
     * @param f the function of the inputs to check
     * @param inputs the point; those that require grad are checked
     * @return the worst element found
     */
    public static Result check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(op, f, DEFAULT_STEP, DEFAULT_ATOL, DEFAULT_RTOL, inputs);
    }

    /**
     * Throws an {@link AssertionError} carrying the report when the check fails.
     *
     * @param op name of the op in the report
     * @param f the function of the inputs to check
     * @param inputs the point; those that require grad are checked
     * @throws AssertionError if an element is outside its tolerance
     */
    public static void assertGradients(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Result r = check(op, f, inputs);
        if (!r.ok()) throw new AssertionError(r.toString());
    }

    /**
     * Checks the gradients of {@code f} at {@code inputs} against central differences.
     *
     * @param op name of the op in the report
     * @param f the function of the inputs to check
     * @param step relative finite-difference step
     * @param atol absolute tolerance
     * @param rtol tolerance relative to the numeric gradient
     * @param inputs the point; those that require grad are checked
     * @return the worst element found
     */
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

    /**
     * The forward-mode check at one point: the tangent J·u that {@link Autograd#jvp} gives for a
     * random direction u (each element scaled by max(1, |x|), over the inputs that require grad)
     * against central differences (f(x + h·u) − f(x − h·u)) / 2h element by element, with the same
     * tolerance rule as {@link #check}; and the identity ⟨v, J·u⟩ = ⟨Jᵀ·v, u⟩ between forward and
     * reverse mode for a random v, both sides accumulated in double.
     *
     * @param op name of the op in the report
     * @param ok whether every output element is within its tolerance and the identity holds
     * @param element flat index of the worst output element, -1 if the output is empty
     * @param analytic the jvp tangent J·u at the worst element
     * @param numeric the central-difference tangent at the worst element
     * @param error |analytic − numeric| at the worst element (infinite if either is NaN)
     * @param tolerance the tolerance the worst element had, rounding floor included
     * @param forwardDot ⟨v, J·u⟩ from forward mode
     * @param reverseDot ⟨Jᵀ·v, u⟩ from reverse mode
     * @param identityOk whether the two dot products agree within their rounding
     */
    public record TangentResult(String op, boolean ok, int element, double analytic, double numeric, double error,
                                double tolerance, double forwardDot, double reverseDot, boolean identityOk) {
        @Override
        public String toString() {
            return "GradCheck tangents '" + op + "' " + (ok ? "passed" : "FAILED") + ": worst at output element " + element
                    + ": jvp " + analytic + ", numeric " + numeric + " (|difference| " + error + ", tolerance " + tolerance
                    + "); <v, J·u> = " + forwardDot + " vs <Jᵀ·v, u> = " + reverseDot + (identityOk ? "" : " (MISMATCH)");
        }
    }

    /**
     * {@link TangentResult} with the default step and tolerances.
     *
     * @param op name of the op in the report
     * @param f the function of the inputs to check
     * @param inputs the point; those that require grad are moved
     * @return the worst element found
     */
    public static TangentResult checkTangents(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return checkTangents(op, f, DEFAULT_STEP, DEFAULT_ATOL, DEFAULT_RTOL, inputs);
    }

    /**
     * Checks the forward-mode tangents of {@code f} at {@code inputs}; see {@link TangentResult}.
     *
     * @param op name of the op in the report
     * @param f the function of the inputs to check
     * @param step relative finite-difference step
     * @param atol absolute tolerance
     * @param rtol tolerance relative to the numeric value
     * @param inputs the point; those that require grad are moved
     * @return the worst element found
     */
    public static TangentResult checkTangents(String op, Function<Tensor[], Tensor> f, double step, double atol, double rtol,
                                              Tensor... inputs) {
        SplittableRandom rng = new SplittableRandom(0x2545F4914F6CDD1DL);
        Tensor[] directions = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].isRequiresGrad()) continue;
            float[] x = inputs[i].data(), u = new float[x.length];
            for (int e = 0; e < u.length; e++) u[e] = (float) (rng.nextDouble(-1, 1) * Math.max(1.0, Math.abs(x[e])));
            directions[i] = Tensor.wrap(new org.jgrad.core.ops.FloatArray(u, inputs[i].shape()));
        }
        Tensor[] jvp = Autograd.jvp(f, inputs, directions);
        float[] ju = jvp[1].data();

        float[][] plus = perturbed(f, inputs, directions, step), minus = perturbed(f, inputs, directions, -step);
        float[] yp = plus[0], ym = minus[0];
        int worst = -1;
        double worstRatio = -1, worstNumeric = 0, worstErr = 0, worstTol = 0;
        for (int e = 0; e < ju.length; e++) {
            double numeric = ((double) yp[e] - ym[e]) / (2 * step);
            double floor = 8 * FLOAT_EPS * Math.max(plus[1][0], minus[1][0]) / step;
            double tol = atol + rtol * Math.abs(numeric) + floor;
            double err = Math.abs(ju[e] - numeric);
            if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
            if (err / tol > worstRatio) {
                worstRatio = err / tol;
                worst = e;
                worstNumeric = numeric;
                worstErr = err;
                worstTol = tol;
            }
        }

        // ⟨v, J·u⟩ against ⟨Jᵀ·v, u⟩ over the inputs that moved
        float[] v = new float[ju.length];
        for (int e = 0; e < v.length; e++) v[e] = (float) rng.nextDouble(-1, 1);
        double forward = 0, reverse = 0, scale = 0;
        for (int e = 0; e < v.length; e++) {
            forward += (double) v[e] * ju[e];
            scale += Math.abs((double) v[e] * ju[e]);
        }
        Tensor[] vjp = Autograd.vjp(f, inputs, Tensor.wrap(new org.jgrad.core.ops.FloatArray(v, jvp[0].shape())));
        for (int i = 0; i < inputs.length; i++) {
            if (directions[i] == null) continue;
            float[] g = vjp[i + 1].data(), u = directions[i].data();
            for (int e = 0; e < u.length; e++) {
                reverse += (double) g[e] * u[e];
                scale += Math.abs((double) g[e] * u[e]);
            }
        }
        boolean identity = Math.abs(forward - reverse) <= 1e-4 * scale + 1e-6;
        boolean ok = worstRatio <= 1 && identity;
        return new TangentResult(op, ok, worst, worst < 0 ? 0 : ju[worst], worstNumeric, worstErr, worstTol, forward, reverse,
                identity);
    }

    /**
     * f at x + h·u (inputs restored exactly afterwards): {output values, {Σ |output|}}, the sum
     * setting the rounding floor of the differences.
     */
    private static float[][] perturbed(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor[] directions, double h) {
        float[][] saved = new float[inputs.length][];
        try (var off = GradMode.off()) {
            for (int i = 0; i < inputs.length; i++) {
                if (directions[i] == null) continue;
                float[] x = inputs[i].data(), u = directions[i].data();
                saved[i] = x.clone();
                for (int e = 0; e < x.length; e++) x[e] = (float) (x[e] + h * u[e]);
            }
            float[] y = f.apply(inputs).data().clone();
            double abs = 0;
            for (float yi : y) abs += Math.abs(yi);
            return new float[][] {y, {(float) abs}};
        } finally {
            for (int i = 0; i < inputs.length; i++) {
                if (saved[i] != null) System.arraycopy(saved[i], 0, inputs[i].data(), 0, saved[i].length);
            }
        }
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
