package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;
import org.junit.jupiter.api.Test;

/** Conv2d, Conv1d and Functional.conv2d/conv1d with groups. */
class ConvTest {

    /** Zero-pads explicitly, then a valid cross-correlation in double: a structure unlike the op's. */
    static float[] reference(Tensor x, Tensor w, Tensor b, int stride, int pad, int dil, int groups) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3);
        double[][][][] p = new double[n][c][h + 2 * pad][wd + 2 * pad];
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) for (int y = 0; y < h; y++) for (int z = 0; z < wd; z++) p[i][j][y + pad][z + pad] = x.get(i, j, y, z);
        int ho = (h + 2 * pad - dil * (kh - 1) - 1) / stride + 1, wo = (wd + 2 * pad - dil * (kw - 1) - 1) / stride + 1;
        float[] out = new float[n * o * ho * wo];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / (o / groups);
                for (int y = 0; y < ho; y++) {
                    for (int z = 0; z < wo; z++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ic = 0; ic < cg; ic++) {
                            for (int a = 0; a < kh; a++) {
                                for (int e = 0; e < kw; e++) s += p[i][g * cg + ic][y * stride + a * dil][z * stride + e * dil] * w.get(oc, ic, a, e);
                            }
                        }
                        out[k++] = (float) s;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void handComputed() {
        Tensor x = Tensor.arange(9).reshape(1, 1, 3, 3);
        Tensor w = Tensor.of(new float[] {1, 0, 0, -1}, 1, 1, 2, 2);   // x[i][j] − x[i+1][j+1] = −4 everywhere
        assertThat(Functional.conv2d(x, w, Tensor.of(new float[] {0.5f}), 1, 0).toArray()).containsExactly(-3.5f, -3.5f, -3.5f, -3.5f);
        assertThat(Functional.conv2d(Tensor.ones(1, 1, 3, 3), Tensor.ones(1, 1, 2, 2), null, 1, 0).toArray()).containsExactly(4f, 4f, 4f, 4f);
        // padding 1 around ones: the corners see 1 cell of a 2×2 kernel, ...
        assertThat(Functional.conv2d(Tensor.ones(1, 1, 2, 2), Tensor.ones(1, 1, 2, 2), null, 1, 1).toArray())
                .containsExactly(1f, 2f, 1f, 2f, 4f, 2f, 1f, 2f, 1f);
    }

    @Test
    void matchesReferenceForStridePaddingDilationGroups() {
        var rng = new SplittableRandom(1);
        Tensor x = Tensor.randn(rng, 2, 4, 7, 6);
        for (int[] cfg : new int[][] {{1, 0, 1, 1}, {2, 1, 1, 1}, {1, 2, 2, 1}, {2, 1, 1, 2}, {3, 2, 2, 4}}) {
            int stride = cfg[0], pad = cfg[1], dil = cfg[2], groups = cfg[3];
            Tensor w = Tensor.randn(rng, 4, 4 / groups, 3, 2);
            Tensor b = Tensor.randn(rng, 4);
            Tensor y = Functional.conv2d(x, w, b, new int[] {stride, stride}, new int[] {pad, pad}, new int[] {dil, dil}, groups);
            assertThat(y.toArray()).as("config %s", java.util.Arrays.toString(cfg))
                    .containsExactly(reference(x, w, b, stride, pad, dil, groups), within(1e-4f));
        }
    }

    @Test
    void gradients() {
        var rng = new SplittableRandom(2);
        Tensor x = Tensor.randn(rng, 2, 4, 5, 5).requiresGrad();
        Tensor w = Tensor.randn(rng, 6, 2, 3, 3).requiresGrad();
        Tensor b = Tensor.randn(rng, 6).requiresGrad();
        GradCheck.assertGradients("conv2d", in -> Functional.conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {1, 0},
                new int[] {1, 2}, 2), x, w, b);
        var conv = new Conv2d(4, 3, 3, 1, 1);
        GradCheck.assertGradients("Conv2d layer", in -> conv.forward(in[0]), x, conv.weight(), conv.bias());
        var conv1 = new Conv1d(3, 2, 3, 2, 1);
        Tensor x1 = Tensor.randn(rng, 2, 3, 7).requiresGrad();
        GradCheck.assertGradients("Conv1d layer", in -> conv1.forward(in[0]), x1, conv1.weight(), conv1.bias());
    }

    @Test
    void conv1dMatchesReference() {
        var rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(rng, 2, 3, 9);
        Tensor w = Tensor.randn(rng, 4, 3, 3);
        float[] y = Functional.conv1d(x, w, null, 2, 1, 2, 1).toArray();
        assertThat(y).containsExactly(refConv1d(x, w, 2, 1, 2), within(1e-4f));
    }

    private static float[] refConv1d(Tensor x, Tensor w, int stride, int pad, int dil) {
        int n = x.size(0), c = x.size(1), l = x.size(2), o = w.size(0), k = w.size(2);
        int lo = (l + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        float[] out = new float[n * o * lo];
        int idx = 0;
        for (int i = 0; i < n; i++) for (int oc = 0; oc < o; oc++) for (int t = 0; t < lo; t++) {
            double s = 0;
            for (int ic = 0; ic < c; ic++) for (int e = 0; e < k; e++) {
                int at = t * stride - pad + e * dil;
                if (at >= 0 && at < l) s += x.get(i, ic, at) * w.get(oc, ic, e);
            }
            out[idx++] = (float) s;
        }
        return out;
    }

    @Test
    void defaultInitAndShapes() {
        var conv = new Conv2d(1, 32, 5, 1, 2);
        assertThat(conv.numParameters()).isEqualTo(32 * 25 + 32);
        assertThat(conv.weight().abs().max().item()).isLessThanOrEqualTo(0.2f);   // 1/√(1·5·5)
        assertThat(conv.forward(Tensor.zeros(2, 1, 28, 28)).shape()).containsExactly(2, 32, 28, 28);
        assertThat(new Conv1d(4, 8, 3, 1, 1).forward(Tensor.zeros(2, 4, 10)).shape()).containsExactly(2, 8, 10);
    }

    @Test
    void designExampleSummary() {
        var model = new Sequential(new Conv2d(1, 4, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 14 * 14, 10));
        String s = model.summary(1, 1, 28, 28);
        assertThat(s).contains("[1, 4, 28, 28]", "[1, 4, 14, 14]", "[1, 784]", "[1, 10]", "Total parameters: " + (4 * 25 + 4 + 784 * 10 + 10));
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> new Conv2d(1, 32, 5).forward(Tensor.zeros(2, 3, 28, 28)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2d(1→32, kernel=5×5): expected input [N, 1, H, W] or unbatched [1, H, W], got [2, 3, 28, 28]");
        assertThatThrownBy(() -> new Conv2d(1, 2, 5).forward(Tensor.zeros(1, 1, 3, 3)))
                .hasMessageContaining("conv2d: kernel 5 with padding 0 does not fit input 3");
        assertThatThrownBy(() -> new Conv1d(2, 2, 3).forward(Tensor.zeros(3, 2)))
                .hasMessageContaining("Conv1d(2→2, kernel=3): expected input [N, 2, L] or unbatched [2, L], got [3, 2]");
        assertThatThrownBy(() -> new Conv2d(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true,
                new SplittableRandom(0))).hasMessageContaining("divisible by groups 2");
    }
}
