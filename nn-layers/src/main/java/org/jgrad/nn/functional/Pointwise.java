package org.jgrad.nn.functional;

import java.util.function.DoubleUnaryOperator;
import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Function;
import org.jgrad.core.ops.NDArray;

/**
 * A fused elementwise op y = f(x) with its derivative f′(x), both evaluated in double per
 * element. Writing an activation as one op (instead of a chain of tensor ops) lets it use the
 * stable closed form — softplus as max(x, 0) + log1p(e^−|x|) — for both value and slope.
 *
 * <pre>{@code
 * jshell> Pointwise.apply("square", x -> x * x, x -> 2 * x, Tensor.of(new float[]{3}))
 * $1 ==> tensor([9.])
 * }</pre>
 */
public final class Pointwise extends Function {

    private final String name;
    private final DoubleUnaryOperator f, df;
    private NDArray x;

    private Pointwise(String name, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        this.name = name;
        this.f = f;
        this.df = df;
    }

    /** Applies f elementwise, recording f′ for the backward pass. */
    public static Tensor apply(String name, DoubleUnaryOperator f, DoubleUnaryOperator df, Tensor x) {
        return Autograd.apply(new Pointwise(name, f, df), x);
    }

    @Override
    public NDArray forward(NDArray... in) {
        x = in[0];
        float[] a = x.data();
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) f.applyAsDouble(a[i]);
        return new NDArray(out, x.shape());
    }

    @Override
    public NDArray[] backward(NDArray g) {
        float[] a = x.data(), gd = g.data();
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) (gd[i] * df.applyAsDouble(a[i]));
        return new NDArray[] {new NDArray(out, x.shape())};
    }

    @Override
    public String name() {
        return name;
    }
}
