package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** MaxPool2d, AvgPool2d, AdaptiveAvgPool2d. */
class PoolTest {

    private static final Tensor GRID = Tensor.arange(16).reshape(1, 1, 4, 4);

    /** A shuffled 0.1-spaced grid: no two values closer than GradCheck's step, so no max ties flip. */
    private static Tensor distinct(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 0.1f * i - 0.05f * n;
        var rng = new SplittableRandom(5);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void handComputed() {
        assertThat(new MaxPool2d(2).forward(GRID).toArray()).containsExactly(5f, 7f, 13f, 15f);
        assertThat(new AvgPool2d(2).forward(GRID).toArray()).containsExactly(2.5f, 4.5f, 10.5f, 12.5f);
        assertThat(new MaxPool2d(3, 1, 1).forward(GRID).shape()).containsExactly(1, 1, 4, 4);
        // padding 1, stride 2, kernel 2: windows {0}, {1,2}, {3} … ; padded cells count in the divisor by default
        assertThat(new AvgPool2d(2, 2, 1, true).forward(GRID).toArray()[0]).isEqualTo(0f / 4);
        assertThat(new AvgPool2d(2, 2, 1, true).forward(GRID).toArray()[1]).isEqualTo((1f + 2f) / 4);
        assertThat(new AvgPool2d(2, 2, 1, false).forward(GRID).toArray()[1]).isEqualTo((1f + 2f) / 2);
        assertThat(new AdaptiveAvgPool2d(1).forward(GRID).item()).isEqualTo(7.5f);
        // 5 → 3 bins: rows {0,1}, {1,2,3}, {3,4}
        Tensor five = Tensor.arange(5).reshape(1, 1, 1, 5);
        assertThat(new AdaptiveAvgPool2d(1, 3).forward(five).toArray()).containsExactly(new float[] {0.5f, 2f, 3.5f}, within(1e-6f));
    }

    @Test
    void maxPoolGradientGoesToTheMaximum() {
        Tensor x = GRID.detach().requiresGrad();
        new MaxPool2d(2).forward(x).sum().backward();
        assertThat(x.grad().toArray()).containsExactly(0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1);
    }

    @Test
    void gradients() {
        Tensor x = distinct(2, 2, 5, 5).requiresGrad();
        GradCheck.assertGradients("MaxPool2d", in -> new MaxPool2d(2).forward(in[0]), x);
        GradCheck.assertGradients("MaxPool2d overlapping padded", in -> new MaxPool2d(3, 2, 1).forward(in[0]), x);
        GradCheck.assertGradients("AvgPool2d", in -> new AvgPool2d(2).forward(in[0]), x);
        GradCheck.assertGradients("AvgPool2d padded", in -> new AvgPool2d(3, 2, 1, false).forward(in[0]), x);
        GradCheck.assertGradients("AdaptiveAvgPool2d", in -> new AdaptiveAvgPool2d(3, 2).forward(in[0]), x);
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> new MaxPool2d(2).forward(Tensor.zeros(4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MaxPool2d(kernel=2, stride=2): expected input [N, C, H, W] or unbatched [C, H, W], got [4, 4]");
        assertThatThrownBy(() -> new AvgPool2d(2).forward(Tensor.zeros(4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AvgPool2d(kernel=2, stride=2): expected input [N, C, H, W] or unbatched [C, H, W], got [4, 4]");
        assertThatThrownBy(() -> new AdaptiveAvgPool2d(3, 2).forward(Tensor.zeros(4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AdaptiveAvgPool2d(3×2): expected input [N, C, H, W] or unbatched [C, H, W], got [4, 4]");
        assertThatThrownBy(() -> new AvgPool2d(3).forward(Tensor.zeros(1, 1, 2, 2)))
                .hasMessageContaining("avgPool2d: kernel 3 with padding 0 does not fit input 2");
        assertThatThrownBy(() -> new MaxPool2d(2, 2, 2).forward(GRID)).hasMessageContaining("maxPool2d: padding 2 must be at most half of kernel 2");
    }
}
