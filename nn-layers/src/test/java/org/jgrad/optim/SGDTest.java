package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class SGDTest {

    @Test
    void plainStep() {
        Tensor w = Quadratic.start();
        Quadratic.step(new SGD(List.of(w), 0.1f), w);
        assertThat(w.toArray()).containsExactly(new float[] {0.8f, -1.6f}, within(1e-6f));   // w − 0.1·2w
    }

    @Test
    void momentumStartsFromTheFirstGradient() {
        Tensor w = Quadratic.start();
        var opt = new SGD(List.of(w), 0.1f).momentum(0.9f);
        Quadratic.step(opt, w);   // b = g = (2, −4); w = (0.8, −1.6)
        assertThat(w.toArray()).containsExactly(new float[] {0.8f, -1.6f}, within(1e-6f));
        Quadratic.step(opt, w);   // g = (1.6, −3.2); b = 0.9·(2, −4) + g = (3.4, −6.8); w = (0.46, −0.92)
        assertThat(w.toArray()).containsExactly(new float[] {0.46f, -0.92f}, within(1e-6f));
    }

    @Test
    void nesterov() {
        Tensor w = Quadratic.start();
        var opt = new SGD(List.of(w), 0.1f).nesterov(true).momentum(0.9f);
        Quadratic.step(opt, w);   // b = g = (2, −4); d = g + 0.9b = (3.8, −7.6); w = (0.62, −1.24)
        assertThat(w.toArray()).containsExactly(new float[] {0.62f, -1.24f}, within(1e-6f));
        Quadratic.step(opt, w);   // g = (1.24, −2.48); b = (3.04, −6.08); d = g + 0.9b = (3.976, −7.952); w = (0.2224, −0.4448)
        assertThat(w.toArray()).containsExactly(new float[] {0.2224f, -0.4448f}, within(1e-6f));
    }

    @Test
    void dampeningAndWeightDecay() {
        Tensor w = Quadratic.start();
        var opt = new SGD(List.of(w), 0.1f).momentum(0.9f).dampening(0.5f);
        Quadratic.step(opt, w);   // the first buffer is the undamped gradient
        Quadratic.step(opt, w);   // b = 0.9·(2, −4) + 0.5·(1.6, −3.2) = (2.6, −5.2); w = (0.54, −1.08)
        assertThat(w.toArray()).containsExactly(new float[] {0.54f, -1.08f}, within(1e-6f));
        Tensor v = Quadratic.start();
        Quadratic.step(new SGD(List.of(v), 0.1f).weightDecay(0.5f), v);   // d = 2w + 0.5w; w·(1 − 0.25)
        assertThat(v.toArray()).containsExactly(new float[] {0.75f, -1.5f}, within(1e-6f));
    }

    /**
     * Each case's loop computes the class comment's formulas with the same float operations as
     * one general loop (the reference below), bit for bit, over a parameter of several chunks.
     */
    @Test
    void everyCaseMatchesTheGeneralLoopBitwise() {
        float[][] cases = {{0f, 0f, 0f}, {0.9f, 0f, 0f}, {0.9f, 0.3f, 0f}, {0.9f, 0f, 1f}};   // momentum, dampening, nesterov
        for (float[] c : cases) {
            float mu = c[0], damp = c[1], lr = 0.05f, wd = 0.01f;
            boolean nest = c[2] == 1f;
            var rng = new SplittableRandom(9);
            int n = 70_001;
            Tensor w = Tensor.randn(rng, n).requiresGrad();
            float[] ref = w.toArray(), buf = new float[n];
            var opt = new SGD(List.of(w), lr).momentum(mu).dampening(damp).nesterov(nest).weightDecay(wd);
            for (int step = 1; step <= 3; step++) {
                Tensor coef = Tensor.randn(rng, n);   // the gradient of Σ coef·w is coef
                opt.zeroGrad();
                w.mul(coef).sum().backward();
                opt.step();
                float[] g = coef.toArray();
                for (int i = 0; i < n; i++) {
                    float d = g[i] + wd * ref[i];
                    if (mu != 0) {
                        buf[i] = step == 1 ? d : mu * buf[i] + (1 - damp) * d;
                        d = nest ? d + mu * buf[i] : buf[i];
                    }
                    ref[i] -= lr * d;
                }
            }
            assertThat(w.toArray()).as("momentum %s dampening %s nesterov %s", mu, damp, nest).isEqualTo(ref);
        }
    }

    @Test
    void paramGroupsHaveTheirOwnRates() {
        Tensor a = Tensor.of(new float[] {1f}).requiresGrad(), b = Tensor.of(new float[] {1f}).requiresGrad();
        var opt = new SGD(0.1f, new ParamGroup(List.of(a)), new ParamGroup(List.of(b), 0.2f, 0f)).weightDecay(1f);
        a.mul(a).sum().add(b.mul(b).sum()).backward();
        opt.step();
        assertThat(a.item()).isCloseTo(1 - 0.1f * 3, within(1e-6f));   // inherits lr 0.1 and decay 1
        assertThat(b.item()).isCloseTo(1 - 0.2f * 2, within(1e-6f));   // its own lr 0.2 and decay 0
    }

    @Test
    void converges() {
        assertThat(Quadratic.fitLine(p -> new SGD(p, 0.1f).momentum(0.9f), 200)).isLessThan(1e-6f);
        assertThat(Quadratic.fitLine(p -> new SGD(p, 0.1f).momentum(0.9f).nesterov(true), 200)).isLessThan(1e-6f);
    }

    @Test
    void errors() {
        Tensor w = Quadratic.start();
        assertThatThrownBy(() -> new SGD(List.of(w), -1f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SGD: learning rate must be finite and ≥ 0, got -1.0");
        assertThatThrownBy(() -> new SGD(List.of(w, w), 0.1f)).hasMessageContaining("appears more than once");
        assertThatThrownBy(() -> new SGD(List.of(Tensor.zeros(2)), 0.1f)).hasMessageContaining("must be a leaf tensor that requires grad");
        assertThatThrownBy(() -> new SGD(List.of(), 0.1f)).hasMessageContaining("parameter group 0 is empty");
        var opt = new SGD(List.of(w), 0.1f).nesterov(true);
        assertThatThrownBy(opt::step).hasMessageContaining("Nesterov momentum requires momentum > 0 and zero dampening");
    }

    @Test
    void stateDictRoundTrip() {
        Tensor w = Quadratic.start();
        var opt = new SGD(List.of(w), 0.1f).momentum(0.9f);
        Quadratic.step(opt, w);
        var dict = opt.stateDict();
        assertThat(dict.keySet()).containsExactly("param_groups.0.lr", "param_groups.0.weight_decay", "state.0.step", "state.0.momentum_buffer");
        Tensor w2 = Tensor.of(w.toArray()).requiresGrad();
        var opt2 = new SGD(List.of(w2), 0.5f).momentum(0.9f);
        opt2.loadStateDict(dict);
        assertThat(opt2.lr()).isEqualTo(0.1f);
        Quadratic.step(opt, w);
        Quadratic.step(opt2, w2);
        assertThat(w2.toArray()).containsExactly(w.toArray());
        dict.put("state.3.momentum_buffer", Tensor.zeros(2));
        assertThatThrownBy(() -> opt2.loadStateDict(dict)).hasMessageContaining("unexpected entry 'state.3.momentum_buffer' (this optimizer has 1 parameters)");
    }
}
