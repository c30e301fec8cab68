package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ResidualTest {

    @Test
    void addsInputToBody() {
        var r = new Residual(new Lambda("Twice", x -> x.mul(2f)));
        assertThat(r.forward(Tensor.of(new float[] {1, 2})).toArray()).containsExactly(3f, 6f);
    }

    @Test
    void gradientsAndNames() {
        var fc = new Linear(3, 3, new SplittableRandom(1));
        var r = new Residual(fc);
        assertThat(r.namedParameters().keySet()).containsExactly("body.weight", "body.bias");
        Tensor x = Tensor.randn(new SplittableRandom(2), 2, 3).requiresGrad();
        GradCheck.assertGradients("Residual", in -> r.forward(in[0]), x, fc.weight(), fc.bias());
    }

    @Test
    void shapeChangingBodyIsAnError() {
        assertThatThrownBy(() -> new Residual(new Linear(3, 2)).forward(Tensor.zeros(1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Residual: the body maps shape [1, 3] to [1, 2]");
    }
}
