package org.jgrad.nn;

import java.util.function.Function;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;

/** Test helper around {@link GradCheck}. */
final class Checks {

    private Checks() {}

    /**
     * GradCheck for a function that may return a 0-d tensor: nn-core's GradCheck builds its
     * cotangent with {@code Tensor.of(v, shape)}, which turns shape [] into [1], so a 0-d output
     * is viewed as [1] here.
     */
    static void gradients(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.assertGradients(op, in -> {
            Tensor y = f.apply(in);
            return y.rank() == 0 ? y.reshape(1) : y;
        }, inputs);
    }
}
