package org.jgrad.nn;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jgrad.core.Tensor;

/**
 * A parameter-free module made from a function, for one-off steps inside a {@link Sequential}.
 *
 * <pre>{@code
 * jshell> var half = new Lambda("Half", x -> x.mul(0.5f));
 * jshell> half.forward(Tensor.of(new float[]{2, 4}))
 * $2 ==> tensor([1., 2.])
 * }</pre>
 */
public final class Lambda extends Module {

    private final String name;
    private final UnaryOperator<Tensor> fn;

    /**
     * A module running {@code fn}.
     *
     * @param name name shown by {@link #describe()}
     * @param fn the forward function
     */
    public Lambda(String name, UnaryOperator<Tensor> fn) {
        this.name = Objects.requireNonNull(name, "name");
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public Tensor forward(Tensor x) {
        return fn.apply(x);
    }

    @Override
    public String describe() {
        return name;
    }
}
