package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code log(1 + eˣ)}, computed as {@code max(x, 0) + log1p(e^−|x|)} so x = ±100 gives 100 and 0; slope σ(x). Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new Softplus().forward(Tensor.of(new float[]{0}))   // tensor([0.6931])
 * }</pre>
 */
public final class Softplus extends Module {
    /** The activation; it has no parameters. */
    public Softplus() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.softplus(x);
    }
}
