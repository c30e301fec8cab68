package org.jgrad.core.ops;

import java.util.function.DoubleUnaryOperator;
import org.jgrad.core.kernels.Elementwise;

/**
 * A fused elementwise op y = f(x) with its derivative f′(x), both evaluated in double per
 * element. Writing an activation as one op (instead of a chain of tensor ops) lets it use the
 * stable closed form — softplus as max(x, 0) + log1p(e^−|x|) — for both value and slope.
 *
 * <pre>{@code
 * jshell> Functional.pointwise("square", x -> x * x, x -> 2 * x, Tensor.of(new float[]{3}))
 * $1 ==> tensor([9.])
 * }</pre>
 */
public final class Pointwise extends Op {

    private final String name;
    private final DoubleUnaryOperator f, df;
    private FloatArray x;

    /**
     * A custom elementwise op.
     *
     * @param name the op's name in messages
     * @param f the function, per element
     * @param df its derivative, per element
     */
    public Pointwise(String name, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        this.name = name;
        this.f = f;
        this.df = df;
    }

    @Override
    public FloatArray forward(FloatArray... in) {
        x = in[0];
        float[] a = x.data();
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) f.applyAsDouble(a[i]);
        return new FloatArray(out, x.shape());
    }

    @Override
    public FloatArray[] backward(FloatArray g) {
        float[] a = x.data(), gd = g.data();
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) (gd[i] * df.applyAsDouble(a[i]));
        return new FloatArray[] {new FloatArray(out, x.shape())};
    }

    @Override
    public FloatArray tangent(FloatArray y, FloatArray... t) {
        return symmetricTangent(t);
    }

    @Override
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- scalar forms, in double

    /**
     * log(1 + eˣ) without overflow.
     *
     * @param x the argument
     * @return log(1 + eˣ)
     */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * 1 / (1 + e^−x) without overflow.
     *
     * @param x the argument
     * @return σ(x), in [0, 1]
     */
    public static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * Φ(x) = ½ erfc(−x/√2).
     *
     * @param x the argument
     * @return the standard normal CDF at {@code x}
     */
    public static double normalCdf(double x) {
        return Elementwise.normalCdf(x);
    }
}
