package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code log σ(x) = −softplus(−x)}, finite for x = −100 (gives −100). Any shape; applied elementwise unless stated.
 *
 * <pre>{@code
 * jshell> new LogSigmoid().forward(Tensor.of(new float[]{0}))   // tensor([-0.6931])
 * }</pre>
 */
public final class LogSigmoid extends Module {
    /** The activation; it has no parameters. */
    public LogSigmoid() {}

    @Override
    public Tensor forward(Tensor x) {
        return Functional.logSigmoid(x);
    }
}
