package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class RMSpropTest {

    @Test
    void firstStep() {
        Tensor w = Quadratic.start();
        Quadratic.step(new RMSprop(List.of(w), 0.01f), w);   // v = 0.01·g², step = 0.01·g/(0.1|g|) = 0.1·sign(g)
        assertThat(w.toArray()).containsExactly(new float[] {0.9f, -1.9f}, within(1e-5f));
        Tensor c = Quadratic.start();
        // centered: v − ḡ² = 0.01g² − 0.0001g² = 0.0099g², step = 0.01/√0.0099 · sign(g)
        Quadratic.step(new RMSprop(List.of(c), 0.01f).centered(true), c);
        assertThat(c.get(0)).isCloseTo((float) (1 - 0.01 / Math.sqrt(0.0099)), within(1e-5f));
    }

    @Test
    void converges() {
        assertThat(Quadratic.fitLine(p -> new RMSprop(p, 0.01f), 1500)).isLessThan(1e-4f);
        assertThat(Quadratic.fitLine(p -> new RMSprop(p, 0.002f).momentum(0.9f), 1500)).isLessThan(1e-4f);
    }
}
