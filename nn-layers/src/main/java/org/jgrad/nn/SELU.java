package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code scale·(x if x > 0 else α(eˣ − 1))} with α ≈ 1.6733, scale ≈ 1.0507 (self-normalising; pair with LeCun-normal init). Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new SELU().forward(Tensor.of(new float[]{1}))   // tensor([1.0507])
 * }</pre>
 */
public final class SELU extends Module {
    /** The activation; it has no parameters. */
    public SELU() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.selu(x);
    }
}
