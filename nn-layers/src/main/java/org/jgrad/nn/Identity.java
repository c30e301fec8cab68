package org.jgrad.nn;

import org.jgrad.core.Tensor;

/**
 * {@code y = x}: a placeholder layer, and the "linear" activation. Any shape.
 *
 * <pre>{@code
 * jshell> new Identity().forward(Tensor.of(new float[]{1, 2}))
 * $1 ==> tensor([1., 2.])
 * }</pre>
 */
public final class Identity extends Module {
    /** An identity layer; it has no parameters. */
    public Identity() {}

    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
