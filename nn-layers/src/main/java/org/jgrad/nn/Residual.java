package org.jgrad.nn;

import java.util.Arrays;
import java.util.List;
import org.jgrad.core.Tensor;

/**
 * A residual block {@code y = x + f(x)}; f must keep the input's shape.
 *
 * <pre>{@code
 * jshell> var block = new Residual(new Sequential(new Linear(8, 8), new ReLU(), new Linear(8, 8)));
 * jshell> block.forward(Tensor.zeros(2, 8)).shape()
 * $2 ==> int[2] { 2, 8 }
 * }</pre>
 */
public final class Residual extends Module {

    private final Module body;

    /**
     * A block adding {@code body}'s output to its input.
     *
     * @param body f, which must keep the input's shape
     */
    public Residual(Module body) {
        this.body = registerModule("body", body);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor fx = body.forward(x);
        if (!Arrays.equals(fx.shape(), x.shape())) {
            throw new IllegalArgumentException("Residual: the body maps shape " + Arrays.toString(x.shape()) + " to "
                    + Arrays.toString(fx.shape()) + "; x + f(x) needs f to keep the shape");
        }
        return x.add(fx);
    }

    @Override
    protected Tensor summarize(String prefix, Tensor x, List<String[]> rows) {
        Tensor y = x == null ? null : forward(x);
        rows.add(new String[] {(prefix.isEmpty() ? "" : prefix + ": ") + "Residual(" + body.describe() + ")",
                shapeOf(y), Long.toString(numParameters())});
        return y;
    }
}
