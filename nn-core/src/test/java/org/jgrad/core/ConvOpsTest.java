package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.jgrad.core.GradCheckOpsTest.distinct;
import static org.jgrad.core.GradCheckOpsTest.u;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convolution and pooling ops through {@link Functional}: gradients by GradCheck, classic
 * image filters with exact values, every op-layer error message, and thread-count independence.
 * (The kernels underneath are checked against direct loops in {@code kernels/Conv2dKernelTest}.)
 */
class ConvOpsTest {

    private static final int[] ONE = {1, 1};

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    static Arguments row(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return Arguments.of(name, f, inputs);
    }

    static Stream<Arguments> gradients() {
        return Stream.of(
                row("conv2d 3x3 pad 1 with bias", x -> Functional.conv2d(x[0], x[1], x[2], 1, 1),
                        u(1, -1, 1, 1, 2, 5, 5), u(2, -1, 1, 3, 2, 3, 3), u(3, -1, 1, 3)),
                row("conv2d stride 2 batch 2", x -> Functional.conv2d(x[0], x[1], x[2], 2, 0),
                        u(4, -1, 1, 2, 2, 7, 6), u(5, -1, 1, 2, 2, 3, 3), u(6, -1, 1, 2)),
                row("conv2d dilation 2 pad 2", x -> Functional.conv2d(x[0], x[1], null, ONE, p(2, 2), p(2, 2)),
                        u(7, -1, 1, 1, 1, 6, 6), u(8, -1, 1, 2, 1, 3, 3)),
                row("conv2d non-square 2x3, stride (2,1), pad (1,0)", x -> Functional.conv2d(x[0], x[1], x[2], p(2, 1), p(1, 0), ONE),
                        u(9, -1, 1, 2, 3, 5, 6), u(10, -1, 1, 2, 3, 2, 3), u(11, -1, 1, 2)),
                row("conv2d 1x1 pointwise", x -> Functional.conv2d(x[0], x[1], x[2]),
                        u(12, -1, 1, 2, 3, 3, 4), u(13, -1, 1, 4, 3, 1, 1), u(14, -1, 1, 4)),
                row("conv2d weight only", x -> Functional.conv2d(x[0], x[1], null, 1, 1),
                        Tensor.randn(new java.util.SplittableRandom(15), 2, 2, 4, 4), u(16, -1, 1, 3, 2, 3, 3)),
                row("conv1d pad 1 with bias", x -> Functional.conv1d(x[0], x[1], x[2], 1, 1),
                        u(17, -1, 1, 2, 3, 9), u(18, -1, 1, 4, 3, 3), u(19, -1, 1, 4)),
                row("conv1d stride 2 dilation 2", x -> Functional.conv1d(x[0], x[1], null, 2, 1, 2),
                        u(20, -1, 1, 1, 2, 11), u(21, -1, 1, 3, 2, 3)),
                row("maxPool2d 2", x -> Functional.maxPool2d(x[0], 2), distinct(22, 2, 2, 4, 6)),
                row("maxPool2d 3 stride 2 pad 1", x -> Functional.maxPool2d(x[0], p(3, 3), p(2, 2), ONE),
                        distinct(23, 1, 3, 5, 5)),
                row("maxPool2d non-square overlapping", x -> Functional.maxPool2d(x[0], p(2, 3), ONE, p(1, 0)),
                        distinct(24, 1, 2, 4, 5)),
                row("avgPool2d 2", x -> Functional.avgPool2d(x[0], 2), u(25, -1, 1, 2, 2, 4, 6)),
                row("avgPool2d 3 stride 2 pad 1 countIncludePad",
                        x -> Functional.avgPool2d(x[0], p(3, 3), p(2, 2), ONE, true), u(26, -1, 1, 1, 2, 5, 6)),
                row("avgPool2d 3 stride 2 pad 1 real elements only",
                        x -> Functional.avgPool2d(x[0], p(3, 3), p(2, 2), ONE, false), u(27, -1, 1, 1, 2, 5, 6)),
                row("adaptiveAvgPool2d", x -> Functional.adaptiveAvgPool2d(x[0]), u(28, -1, 1, 2, 3, 4, 5)),
                row("adaptiveAvgPool2d 5x7 to 3x4 (overlapping bins)", x -> Functional.adaptiveAvgPool2d(x[0], 3, 4),
                        u(32, -1, 1, 2, 2, 5, 7)),
                row("conv2d 2 groups, stride 2, dilation (1,2)", x -> Functional.conv2d(x[0], x[1], x[2], p(2, 2), ONE, p(1, 2), 2),
                        u(33, -1, 1, 2, 4, 7, 8), u(34, -1, 1, 6, 2, 3, 3), u(35, -1, 1, 6)),
                row("conv2d depthwise", x -> Functional.conv2d(x[0], x[1], null, p(1, 1), ONE, p(1, 1), 3),
                        u(36, -1, 1, 2, 3, 5, 5), u(37, -1, 1, 3, 1, 3, 3)),
                // small weights and biases ±3: every pre-activation stays 1.2 or more away from ReLU's kink,
                // which finite differences cannot cross; channels 0 and 2 pass, channel 1 is cut
                row("conv2d+relu fused, stride 2", x -> Functional.conv2dRelu(x[0], x[1], x[2], p(2, 2), ONE, ONE, 1),
                        u(46, -1, 1, 2, 2, 6, 6), u(47, -0.1f, 0.1f, 3, 2, 3, 3), Tensor.of(new float[] {3, -3, 3})),
                row("conv2d+relu fused, 2 groups, no bias", x -> Functional.conv2dRelu(x[0], x[1], null, ONE, ONE, ONE, 2),
                        u(44, -1, 1, 1, 4, 5, 5), u(45, -1, 1, 4, 2, 3, 3)),
                row("conv1d 2 groups", x -> Functional.conv1d(x[0], x[1], x[2], 1, 1, 1, 2),
                        u(38, -1, 1, 2, 4, 9), u(39, -1, 1, 4, 2, 3), u(40, -1, 1, 4)),
                // (max pooling stays out of the chain: perturbing a weight moves every conv output, so near-ties could flip)
                row("conv, tanh, avgpool, global pool chained",
                        x -> Functional.adaptiveAvgPool2d(Functional.avgPool2d(Functional.conv2d(x[0], x[1], x[2], 1, 1).tanh(), 2)),
                        u(29, -1, 1, 2, 1, 6, 6), u(30, -1, 1, 3, 1, 3, 3), u(31, -1, 1, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradients")
    void gradCheck(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        GradCheck.Result r = GradCheck.check(name, f, inputs);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradients")
    void tangentsMatchFiniteDifferencesAndReverseMode(String name, Function<Tensor[], Tensor> f, Tensor[] inputs) {
        GradCheck.TangentResult r = GradCheck.checkTangents(name, f, inputs);
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    @Test
    void shapesFollowTheOutputSizeFormula() {
        Tensor x = Tensor.zeros(2, 3, 28, 28);
        assertThat(Functional.conv2d(x, Tensor.zeros(8, 3, 5, 5), null, 1, 2).shape()).containsExactly(2, 8, 28, 28);
        assertThat(Functional.conv2d(x, Tensor.zeros(8, 3, 3, 5), null, p(2, 3), p(0, 1), p(2, 1)).shape())
                .containsExactly(2, 8, 12, 9);
        assertThat(Functional.conv1d(Tensor.zeros(2, 3, 10), Tensor.zeros(4, 3, 3), null, 2, 0).shape()).containsExactly(2, 4, 4);
        assertThat(Functional.maxPool2d(x, 2).shape()).containsExactly(2, 3, 14, 14);
        assertThat(Functional.maxPool2d(x, p(3, 3), p(2, 2), ONE).shape()).containsExactly(2, 3, 14, 14);
        assertThat(Functional.avgPool2d(Tensor.zeros(1, 1, 7, 7), 2).shape()).containsExactly(1, 1, 3, 3);
        assertThat(Functional.adaptiveAvgPool2d(x).shape()).containsExactly(2, 3, 1, 1);
        assertThat(Functional.adaptiveAvgPool2d(x, 5, 3).shape()).containsExactly(2, 3, 5, 3);
        assertThat(Functional.conv2d(x, Tensor.zeros(6, 1, 3, 3), null, ONE, ONE, ONE, 3).shape()).containsExactly(2, 6, 28, 28);
        assertThat(Functional.conv2d(Tensor.zeros(0, 3, 5, 5), Tensor.zeros(2, 3, 3, 3), null).shape()).containsExactly(0, 2, 3, 3);
    }

    @Test
    void javadocExamples() {
        Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4);
        assertThat(Functional.conv2d(x, Tensor.ones(2, 1, 3, 3), null, 1, 1).shape()).containsExactly(1, 2, 4, 4);
        assertThat(Functional.maxPool2d(x, 2).toArray()).containsExactly(5, 7, 13, 15);
        Tensor seq = Tensor.of(new float[] {1, 2, 3, 4, 5}, 1, 1, 5);
        assertThat(Functional.conv1d(seq, Tensor.of(new float[] {1, 1, 1}, 1, 1, 3), null, 1, 0, 1).toArray())
                .containsExactly(6, 9, 12);
        Tensor small = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertThat(Functional.avgPool2d(small, p(2, 2), ONE, ONE, false).get(0, 0, 0, 0)).isEqualTo(1f);
        assertThat(Functional.avgPool2d(small, p(2, 2), ONE, ONE, true).get(0, 0, 0, 0)).isEqualTo(0.25f);
    }

    // ---------------------------------------------------------------- classic filters

    /** The first digits of π as a 5×5 image. */
    private static final float[] IMAGE = {
            3, 1, 4, 1, 5,
            9, 2, 6, 5, 3,
            5, 8, 9, 7, 9,
            3, 2, 3, 8, 4,
            6, 2, 6, 4, 3};

    /** name, 3×3 kernel, expected 5×5 output with padding 1 (PyTorch 1.13 gives the same, in float64 too). */
    static Stream<Arguments> classicFilters() {
        return Stream.of(
                Arguments.of("identity", new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0}, IMAGE),
                Arguments.of("edge 1 (diagonal)", new float[] {1, 0, -1, 0, 0, 0, -1, 0, 1}, new float[] {
                        2, -3, 3, -3, -5, 7, 3, -1, -1, -6, 0, 3, 3, 4, -3, -6, -4, 3, -3, 3, -2, 0, -6, -1, 8}),
                Arguments.of("edge 2 (Laplacian)", new float[] {0, 1, 0, 1, -4, 1, 0, 1, 0}, new float[] {
                        -2, 5, -8, 10, -16, -26, 16, -4, -3, 7, 0, -14, -12, 3, -22, 1, 8, 13, -14, 4, -19, 6, -15, 1, -4}),
                Arguments.of("edge 3 (all directions)", new float[] {-1, -1, -1, -1, 8, -1, -1, -1, -1}, new float[] {
                        12, -16, 17, -15, 31, 53, -29, 11, -4, -3, 16, 25, 31, 9, 45, 1, -26, -22, 19, 1, 41, -4, 29, 8, 8}),
                Arguments.of("sharpen", new float[] {0, -1, 0, -1, 5, -1, 0, -1, 0}, new float[] {
                        5, -4, 12, -9, 21, 35, -14, 10, 8, -4, 5, 22, 21, 4, 31, 2, -6, -10, 22, 0, 25, -4, 21, 3, 7}),
                Arguments.of("Gaussian blur 3x3", scaled(1f / 16, 1, 2, 1, 2, 4, 2, 1, 2, 1), new float[] {
                        2.125f, 2.3125f, 2.4375f, 2.5625f, 2.0625f, 4.0625f, 4.8125f, 5.0625f, 5.0625f, 3.625f,
                        4f, 5.5625f, 6.3125f, 6.625f, 4.8125f, 3f, 4.125f, 5.1875f, 5.9375f, 4.1875f,
                        2.25f, 2.625f, 3.25f, 3.5625f, 2.25f}),
                Arguments.of("emboss", new float[] {-2, -1, 0, -1, 1, 1, 0, 1, 2}, new float[] {
                        17, 16, 20, 13, 7, 29, 18, 26, 18, 0, 11, 0, 17, 6, -7, 10, -2, -2, -6, -24, 5, -6, 1, -13, -21}));
    }

    private static float[] scaled(float f, float... k) {
        for (int i = 0; i < k.length; i++) k[i] *= f;
        return k;
    }

    /** Integer (and power-of-two) weights on an integer image: every product and sum is exact in float32. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("classicFilters")
    void classicFilterExactValues(String name, float[] kernel, float[] want) {
        Tensor y = Functional.conv2d(Tensor.of(IMAGE, 1, 1, 5, 5), Tensor.of(kernel, 1, 1, 3, 3), null, 1, 1);
        assertThat(y.shape()).containsExactly(1, 1, 5, 5);
        assertThat(y.toArray()).as(name).containsExactly(want);
    }

    /** 1/9 is not a float, so box blur is checked to a few ulps of the exact window sums / 9. */
    @Test
    void boxBlur() {
        int[] sums = {15, 25, 19, 24, 14, 28, 47, 43, 49, 30, 29, 47, 50, 54, 36, 26, 44, 49, 53, 35, 13, 22, 25, 28, 19};
        float[] y = Functional.conv2d(Tensor.of(IMAGE, 1, 1, 5, 5), Tensor.full(1f / 9, 1, 1, 3, 3), null, 1, 1).toArray();
        for (int i = 0; i < 25; i++) assertThat((double) y[i]).as("pixel " + i).isCloseTo(sums[i] / 9.0, offset(4e-6));
    }

    /** All filters at once as the 8 output channels of one convolution, with a bias per channel. */
    @Test
    void classicFiltersAsOneFilterBank() {
        var filters = classicFilters().map(Arguments::get).toList();
        int k = filters.size();
        float[] w = new float[k * 9], b = new float[k];
        for (int i = 0; i < k; i++) {
            System.arraycopy((float[]) filters.get(i)[1], 0, w, i * 9, 9);
            b[i] = i;
        }
        float[] y = Functional.conv2d(Tensor.of(IMAGE, 1, 1, 5, 5), Tensor.of(w, k, 1, 3, 3), Tensor.of(b), 1, 1).toArray();
        for (int i = 0; i < k; i++) {
            float[] want = ((float[]) filters.get(i)[2]).clone();
            for (int j = 0; j < 25; j++) want[j] += i;
            float[] got = java.util.Arrays.copyOfRange(y, i * 25, (i + 1) * 25);
            assertThat(got).as((String) filters.get(i)[0]).containsExactly(want);
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    void convErrors() {
        Tensor w = Tensor.zeros(16, 1, 5, 5);
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(3, 28, 28), w, null, 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: expected input of rank 4 [N, C, H, W], got [3, 28, 28]");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 28, 28), Tensor.zeros(16, 5, 5), null, 1, 2))
                .hasMessage("conv2d: expected weight of rank 4 [K, C, R, S], got [16, 5, 5]");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 3, 28, 28), w, null, 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: input has 3 channels but weight [16, 1, 5, 5] expects 1");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 28, 28), w, Tensor.zeros(8), 1, 2))
                .hasMessage("conv2d: expected bias of shape [16] (one value per output channel of weight [16, 1, 5, 5]), got [8]");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 28, 28), w, Tensor.zeros(16, 1), 1, 2))
                .hasMessage("conv2d: expected bias of shape [16] (one value per output channel of weight [16, 1, 5, 5]), got [16, 1]");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 28, 28), w, null, new int[] {1}, ONE, ONE))
                .hasMessage("conv2d: stride must have 2 values (height, width), got [1]");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 28, 28), w, null, ONE, null, ONE))
                .hasMessage("conv2d: padding must have 2 values (height, width), got null");
        // geometry messages of the kernel layer pass through
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 3, 3), w, null, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: kernel 5 with padding 0 does not fit input 3 (height)");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 8, 8), w, null, 0, 2))
                .hasMessage("conv2d: stride (height) must be positive, got 0");
        assertThatThrownBy(() -> Functional.conv2d(Tensor.zeros(1, 1, 8, 8), w, null, 1, -1))
                .hasMessage("conv2d: padding must be >= 0, got -1 (height)");
    }

    @Test
    void conv1dErrors() {
        Tensor w = Tensor.zeros(4, 2, 3);
        assertThatThrownBy(() -> Functional.conv1d(Tensor.zeros(2, 10), w, null, 1, 0))
                .hasMessage("conv1d: expected input of rank 3 [N, C, L], got [2, 10]");
        assertThatThrownBy(() -> Functional.conv1d(Tensor.zeros(1, 2, 10), Tensor.zeros(4, 2, 1, 3), null, 1, 0))
                .hasMessage("conv1d: expected weight of rank 3 [K, C, R], got [4, 2, 1, 3]");
        assertThatThrownBy(() -> Functional.conv1d(Tensor.zeros(1, 3, 10), w, null, 1, 0))
                .hasMessage("conv1d: input has 3 channels but weight [4, 2, 3] expects 2");
        assertThatThrownBy(() -> Functional.conv1d(Tensor.zeros(1, 2, 10), w, Tensor.zeros(2), 1, 0))
                .hasMessage("conv1d: expected bias of shape [4] (one value per output channel of weight [4, 2, 3]), got [2]");
        assertThatThrownBy(() -> Functional.conv1d(Tensor.zeros(1, 2, 2), w, null, 1, 0))
                .hasMessage("conv1d: kernel 3 with padding 0 does not fit input 2");
    }

    @Test
    void poolErrors() {
        assertThatThrownBy(() -> Functional.maxPool2d(Tensor.zeros(3, 28, 28), 2))
                .hasMessage("maxPool2d: expected input of rank 4 [N, C, H, W], got [3, 28, 28]");
        assertThatThrownBy(() -> Functional.avgPool2d(Tensor.zeros(28, 28), 2))
                .hasMessage("avgPool2d: expected input of rank 4 [N, C, H, W], got [28, 28]");
        assertThatThrownBy(() -> Functional.adaptiveAvgPool2d(Tensor.zeros(2, 3, 4)))
                .hasMessage("adaptiveAvgPool2d: expected input of rank 4 [N, C, H, W], got [2, 3, 4]");
        assertThatThrownBy(() -> Functional.adaptiveAvgPool2d(Tensor.zeros(2, 3, 0, 4)))
                .hasMessage("adaptiveAvgPool2d: input [2, 3, 0, 4] has an empty plane; height and width must be positive");
        assertThatThrownBy(() -> Functional.maxPool2d(Tensor.zeros(1, 1, 4, 4), new int[] {2, 2, 2}, null, null))
                .hasMessage("maxPool2d: kernel must have 2 values (height, width), got [2, 2, 2]");
        assertThatThrownBy(() -> Functional.avgPool2d(Tensor.zeros(1, 1, 4, 4), p(2, 2), new int[] {1}, null, true))
                .hasMessage("avgPool2d: stride must have 2 values (height, width), got [1]");
        assertThatThrownBy(() -> Functional.maxPool2d(Tensor.zeros(1, 1, 1, 4), 2))
                .hasMessage("maxPool2d: kernel 2 with padding 0 does not fit input 1 (height)");
        assertThatThrownBy(() -> Functional.maxPool2d(Tensor.zeros(1, 1, 4, 4), p(2, 2), ONE, p(2, 0)))
                .hasMessage("maxPool2d: padding 2 must be at most half of kernel 2 (height)");
        assertThatThrownBy(() -> Functional.avgPool2d(Tensor.zeros(1, 1, 4, 4), p(2, 2), p(1, 0), null, true))
                .hasMessage("avgPool2d: stride (width) must be positive, got 0");
    }

    // ---------------------------------------------------------------- pooling values

    @Test
    void poolValues() {
        Tensor x = Tensor.of(new float[] {
                1, 5, 2, 0,
                3, 3, 8, 8,
                -1, -2, 4, 7,
                -4, -3, 6, 9}, 1, 1, 4, 4).requiresGrad();
        Tensor y = Functional.maxPool2d(x, 2);
        assertThat(y.toArray()).containsExactly(5, 8, -1, 9);
        y.sum().backward();
        // the tie 8, 8 sends the gradient to the first
        assertThat(x.grad().toArray()).containsExactly(0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1);
        assertThat(Functional.avgPool2d(x, 2).toArray()).containsExactly(3, 4.5f, -2.5f, 6.5f);
        assertThat(Functional.adaptiveAvgPool2d(x).toArray()).containsExactly(2.875f);
    }

    // ---------------------------------------------------------------- threads

    /** Forward and all gradients, bitwise, for 1 and 2 threads; large enough that the kernels split. */
    @Test
    void bitwiseIdenticalForOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = everything();
            Parallel.setThreads(2);
            float[][] two = everything();
            for (int i = 0; i < one.length; i++) {
                assertThat(floatBits(two[i])).as("result " + i).containsExactly(floatBits(one[i]));
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[][] everything() {
        Tensor x = u(40, -1, 1, 20, 3, 12, 12), w = u(41, -1, 1, 8, 3, 3, 3), b = u(42, -1, 1, 8);
        Tensor h = Functional.conv2d(x, w, b, 1, 1);
        Tensor pooled = Functional.maxPool2d(h, 2);
        Tensor avg = Functional.avgPool2d(pooled, p(3, 3), p(2, 2), ONE, false);
        Tensor seq = u(43, -1, 1, 20, 4, 30), w1 = u(44, -1, 1, 5, 4, 5);
        Tensor s = Functional.conv1d(seq, w1, null, 2, 2);
        Tensor loss = Functional.adaptiveAvgPool2d(avg).sum().add(s.mul(s).sum());
        Tensor[] g = Autograd.grad(loss, x, w, b, seq, w1);
        return new float[][] {h.toArray(), pooled.toArray(), avg.toArray(), s.toArray(),
                g[0].toArray(), g[1].toArray(), g[2].toArray(), g[3].toArray(), g[4].toArray()};
    }

    private static int[] floatBits(float[] a) {
        int[] bits = new int[a.length];
        for (int i = 0; i < a.length; i++) bits[i] = Float.floatToRawIntBits(a[i]);
        return bits;
    }
}
