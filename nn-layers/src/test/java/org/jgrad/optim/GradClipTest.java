package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class GradClipTest {

    private static Tensor withGrad(float... g) {
        Tensor p = Tensor.zeros(g.length).requiresGrad();
        p.setGrad(Tensor.of(g));
        return p;
    }

    @Test
    void clipsTheTotalNorm() {
        Tensor a = withGrad(3f), b = withGrad(4f);
        float norm = GradClip.clipGradNorm(List.of(a, b), 1f);
        assertThat(norm).isEqualTo(5f);
        assertThat(a.grad().item()).isCloseTo(0.6f, within(1e-5f));
        assertThat(b.grad().item()).isCloseTo(0.8f, within(1e-5f));
        Tensor c = withGrad(0.3f, 0.4f);
        GradClip.clipGradNorm(List.of(c), 1f);
        assertThat(c.grad().toArray()).containsExactly(0.3f, 0.4f);   // below the limit: untouched
        Tensor d = withGrad(-3f, 2f);
        assertThat(GradClip.clipGradNorm(List.of(d), 1.5f, Float.POSITIVE_INFINITY)).isEqualTo(3f);
        assertThat(d.grad().toArray()).containsExactly(new float[] {-1.5f, 1f}, within(1e-5f));
    }

    @Test
    void clipsValues() {
        Tensor a = withGrad(-3f, 0.5f, 2f);
        GradClip.clipGradValue(List.of(a), 1f);
        assertThat(a.grad().toArray()).containsExactly(-1f, 0.5f, 1f);
    }

    @Test
    void penalties() {
        Tensor w = Tensor.of(new float[] {1f, -2f}).requiresGrad();
        Tensor l2 = Penalties.l2(List.of(w), 0.1f);
        assertThat(l2.item()).isCloseTo(0.5f, within(1e-6f));
        l2.backward();
        assertThat(w.grad().toArray()).containsExactly(new float[] {0.2f, -0.4f}, within(1e-6f));
        assertThat(Penalties.l1(List.of(w), 0.1f).item()).isCloseTo(0.3f, within(1e-6f));
    }
}
