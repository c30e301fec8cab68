package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepIsLrTimesSignThanksToBiasCorrection() {
        Tensor w = Quadratic.start();
        var opt = new Adam(List.of(w), 0.1f);
        Quadratic.step(opt, w);   // m̂ = g, v̂ = g², so the step is lr·g/|g|
        assertThat(w.toArray()).containsExactly(new float[] {0.9f, -1.9f}, within(1e-6f));
        // step 2, g₁ = 1.8: m = 0.9·0.2 + 0.1·1.8 = 0.36, m̂ = 0.36/0.19; v = 0.999·0.004 + 0.001·3.24 = 0.007236,
        // v̂ = 0.007236/0.001999; w = 0.9 − 0.1·m̂/√v̂ = 0.80041223
        Quadratic.step(opt, w);
        assertThat(w.toArray()).containsExactly(new float[] {0.80041223f, -1.80016649f}, within(2e-6f));
    }

    @Test
    void weightDecayIsAnL2Gradient() {
        Tensor w = Quadratic.start();
        var opt = new Adam(List.of(w), 0.1f).weightDecay(0.5f);
        Quadratic.step(opt, w);   // g = 2.5w has the same sign, so the first step is still lr·sign
        assertThat(w.toArray()).containsExactly(new float[] {0.9f, -1.9f}, within(1e-6f));
    }

    @Test
    void adamWDecaysTheWeightsDirectly() {
        Tensor w = Quadratic.start();
        var opt = new AdamW(List.of(w), 0.1f).weightDecay(0.5f);
        Quadratic.step(opt, w);   // w·(1 − 0.1·0.5) = (0.95, −1.9), then the Adam step of 0.1·sign(g)
        assertThat(w.toArray()).containsExactly(new float[] {0.85f, -1.8f}, within(1e-6f));
        assertThat(new AdamW(List.of(Quadratic.start())).paramGroups().get(0).weightDecay()).isEqualTo(0.01f);
    }

    @Test
    void converges() {
        assertThat(Quadratic.fitLine(p -> new Adam(p, 0.05f), 600)).isLessThan(1e-5f);
        assertThat(Quadratic.fitLine(p -> new AdamW(p, 0.05f).weightDecay(0f), 600)).isLessThan(1e-5f);
    }

    @Test
    void stateDictHasPyTorchNames() {
        Tensor w = Quadratic.start();
        var opt = new Adam(List.of(w), 0.1f);
        Quadratic.step(opt, w);
        assertThat(opt.stateDict()).containsKeys("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq");
        assertThat(opt.stateDict().get("state.0.step").item()).isEqualTo(1f);
    }
}
