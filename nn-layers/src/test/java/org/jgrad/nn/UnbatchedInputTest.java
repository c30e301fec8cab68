package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's unbatched input for Conv2d, Conv1d and the pooling layers: {@code [C, H, W]} (or
 * {@code [C, L]}) gives the output of the batch of one without its batch dimension, and the
 * gradients of the input and of the weights are bitwise those of the batch of one.
 */
class UnbatchedInputTest {

    /** The output, the input's gradient and every parameter's gradient, as raw bits. */
    private record Run(int[] shape, int[] out, int[] inputGrad, List<int[]> paramGrads) {
    }

    private static int[] bits(Tensor t) {
        float[] v = t.toArray();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    /** Forward on {@code x}, backward of {@code sum(y · g)} with a fixed pseudo-random {@code g}. */
    private static Run run(Module m, float[] values, int... shape) {
        m.zeroGrad();
        Tensor x = Tensor.of(values.clone(), shape).requiresGrad();
        Tensor y = m.forward(x);
        Tensor g = Tensor.randn(new SplittableRandom(7), y.shape());
        y.mul(g).sum().backward();
        return new Run(y.shape(), bits(y), bits(x.grad()), m.parameters().stream().map(p -> bits(p.grad())).toList());
    }

    /** The unbatched run equals the batched run of a batch of one, bitwise, and has its shape without the 1. */
    private static void assertUnbatchedLikeBatchOfOne(Module m, int... unbatched) {
        int n = Arrays.stream(unbatched).reduce(1, (a, b) -> a * b);
        float[] values = Tensor.randn(new SplittableRandom(3), n).toArray();
        int[] batched = new int[unbatched.length + 1];
        batched[0] = 1;
        System.arraycopy(unbatched, 0, batched, 1, unbatched.length);
        Run u = run(m, values, unbatched), b = run(m, values, batched);
        assertThat(b.shape()[0]).isEqualTo(1);
        assertThat(u.shape()).as("%s shape", m).containsExactly(Arrays.copyOfRange(b.shape(), 1, b.shape().length));
        assertThat(u.out()).as("%s output", m).containsExactly(b.out());
        assertThat(u.inputGrad()).as("%s input gradient", m).containsExactly(b.inputGrad());
        assertThat(u.paramGrads()).as("%s parameter gradients", m).hasSameSizeAs(b.paramGrads());
        for (int i = 0; i < u.paramGrads().size(); i++) {
            assertThat(u.paramGrads().get(i)).as("%s parameter gradient %d", m, i).containsExactly(b.paramGrads().get(i));
        }
    }

    @Test
    void conv2dWithBiasStridePadding() {
        var conv = new Conv2d(3, 4, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true,
                new SplittableRandom(1));
        assertUnbatchedLikeBatchOfOne(conv, 3, 7, 6);
        assertThat(conv.forward(Tensor.zeros(3, 7, 6)).shape()).containsExactly(4, 4, 7);
        assertThat(conv.parameters()).hasSize(2);
    }

    @Test
    void conv2dGroupsDilationWithoutBias() {
        var conv = new Conv2d(4, 6, new int[] {3, 3}, new int[] {1, 2}, new int[] {2, 0}, new int[] {2, 1}, 2, false,
                new SplittableRandom(2));
        assertUnbatchedLikeBatchOfOne(conv, 4, 6, 7);
    }

    @Test
    void conv1d() {
        var conv = new Conv1d(3, 5, 3, 2, 1, 1, 1, true, new SplittableRandom(4));
        assertUnbatchedLikeBatchOfOne(conv, 3, 9);
        assertThat(conv.forward(Tensor.zeros(3, 9)).shape()).containsExactly(5, 5);
    }

    @Test
    void pools() {
        assertUnbatchedLikeBatchOfOne(new MaxPool2d(2), 3, 6, 6);
        assertUnbatchedLikeBatchOfOne(new MaxPool2d(3, 2, 1), 2, 7, 5);
        assertUnbatchedLikeBatchOfOne(new AvgPool2d(2), 3, 6, 6);
        assertUnbatchedLikeBatchOfOne(new AvgPool2d(3, 2, 1, false), 2, 7, 5);
        assertUnbatchedLikeBatchOfOne(new AdaptiveAvgPool2d(2, 3), 2, 5, 7);
        assertThat(new MaxPool2d(2).forward(Tensor.arange(16).reshape(1, 4, 4)).toArray()).containsExactly(5f, 7f, 13f, 15f);
        assertThat(new AvgPool2d(2).forward(Tensor.zeros(3, 6, 4)).shape()).containsExactly(3, 3, 2);
    }

    /** Sequential's fused paths (convolution with ReLU; convolution, ReLU, max pooling) take it too. */
    @Test
    void sequentialFusedPaths() {
        var rng = new SplittableRandom(5);
        assertUnbatchedLikeBatchOfOne(new Sequential(new Conv2d(2, 3, 3, 1, 1, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(3, 4, 3, 1, 0, rng), new ReLU()), 2, 8, 8);
    }

    @Test
    void otherRanksNameTheLayerTheShapeAndBothForms() {
        assertThatThrownBy(() -> new Conv2d(3, 4, 3).forward(Tensor.zeros(3, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2d(3→4, kernel=3×3): expected input [N, 3, H, W] or unbatched [3, H, W], got [3, 8]");
        assertThatThrownBy(() -> new Conv2d(3, 4, 3).forward(Tensor.zeros(1, 1, 3, 8, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2d(3→4, kernel=3×3): expected input [N, 3, H, W] or unbatched [3, H, W], got [1, 1, 3, 8, 8]");
        assertThatThrownBy(() -> new Conv2d(3, 4, 3).forward(Tensor.zeros(2, 8, 8)))
                .hasMessage("Conv2d(3→4, kernel=3×3): expected input [N, 3, H, W] or unbatched [3, H, W], got [2, 8, 8]");
        assertThatThrownBy(() -> new Conv1d(3, 4, 3).forward(Tensor.zeros(1, 1, 3, 8)))
                .hasMessage("Conv1d(3→4, kernel=3): expected input [N, 3, L] or unbatched [3, L], got [1, 1, 3, 8]");
        assertThatThrownBy(() -> new MaxPool2d(2).forward(Tensor.zeros(4, 4)))
                .hasMessage("MaxPool2d(kernel=2, stride=2): expected input [N, C, H, W] or unbatched [C, H, W], got [4, 4]");
        assertThatThrownBy(() -> new MaxPool2d(2).forward(Tensor.zeros(1, 1, 1, 4, 4)))
                .hasMessage("MaxPool2d(kernel=2, stride=2): expected input [N, C, H, W] or unbatched [C, H, W], got [1, 1, 1, 4, 4]");
        assertThatThrownBy(() -> new AvgPool2d(2).forward(Tensor.zeros(4, 4)))
                .hasMessage("AvgPool2d(kernel=2, stride=2): expected input [N, C, H, W] or unbatched [C, H, W], got [4, 4]");
        assertThatThrownBy(() -> new AvgPool2d(2).forward(Tensor.zeros(1, 1, 1, 4, 4)))
                .hasMessage("AvgPool2d(kernel=2, stride=2): expected input [N, C, H, W] or unbatched [C, H, W], got [1, 1, 1, 4, 4]");
    }
}
