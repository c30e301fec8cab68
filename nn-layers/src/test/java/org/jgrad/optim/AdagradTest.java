package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class AdagradTest {

    @Test
    void accumulatesSquares() {
        Tensor w = Quadratic.start();
        var opt = new Adagrad(List.of(w), 0.1f);
        Quadratic.step(opt, w);   // s = g², step = 0.1·sign(g)
        assertThat(w.toArray()).containsExactly(new float[] {0.9f, -1.9f}, within(1e-6f));
        Quadratic.step(opt, w);   // g = 1.8, s = 4 + 3.24, w = 0.9 − 0.1·1.8/√7.24
        assertThat(w.get(0)).isCloseTo((float) (0.9 - 0.18 / Math.sqrt(7.24)), within(1e-6f));
    }

    @Test
    void converges() {
        assertThat(Quadratic.fitLine(p -> new Adagrad(p, 0.5f), 1000)).isLessThan(1e-4f);
    }
}
