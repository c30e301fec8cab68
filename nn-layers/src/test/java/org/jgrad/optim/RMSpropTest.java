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
    void secondStep() {
        Tensor w = Quadratic.start();
        var opt = new RMSprop(List.of(w), 0.01f);
        Quadratic.step(opt, w);   // w = (0.9, −1.9), v = 0.01·(4, 16) = (0.04, 0.16)
        Quadratic.step(opt, w);   // g = (1.8, −3.8); v = 0.99·v + 0.01·g² = (0.072, 0.3028); w −= 0.01·g/√v
        assertThat(w.get(0)).isCloseTo((float) (0.9 - 0.01 * 1.8 / Math.sqrt(0.072)), within(1e-6f));
        assertThat(w.get(1)).isCloseTo((float) (-1.9 + 0.01 * 3.8 / Math.sqrt(0.3028)), within(1e-6f));
    }

    @Test
    void momentumAccumulatesTheScaledSteps() {
        Tensor w = Quadratic.start();
        var opt = new RMSprop(List.of(w), 0.01f).momentum(0.9f);
        Quadratic.step(opt, w);   // b = 0 + g/√v = (2/0.2, −4/0.4) = (10, −10); w = w − 0.01·b = (0.9, −1.9)
        assertThat(w.toArray()).containsExactly(new float[] {0.9f, -1.9f}, within(1e-5f));
        Quadratic.step(opt, w);   // b = 0.9·b + g/√v with v = (0.072, 0.3028) as without momentum; w −= 0.01·b
        double b0 = 0.9 * 10 + 1.8 / Math.sqrt(0.072), b1 = 0.9 * -10 - 3.8 / Math.sqrt(0.3028);
        assertThat(w.get(0)).isCloseTo((float) (0.9 - 0.01 * b0), within(1e-5f));
        assertThat(w.get(1)).isCloseTo((float) (-1.9 - 0.01 * b1), within(1e-5f));
        assertThat(opt.state(w).tensors().get("momentum_buffer").toArray()).containsExactly(new float[] {(float) b0, (float) b1}, within(1e-4f));
    }

    @Test
    void converges() {
        assertThat(Quadratic.fitLine(p -> new RMSprop(p, 0.01f), 1500)).isLessThan(1e-4f);
        assertThat(Quadratic.fitLine(p -> new RMSprop(p, 0.002f).momentum(0.9f), 1500)).isLessThan(1e-4f);
    }
}
