package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jgrad.core.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Conv2dKernelTest {

    /** ~100 seeded random geometries: odd sizes, stride 1–3, padding 0–2, dilation 1–2, kernels 1×1–5×5, 1–17 channels, groups 1, 2 and depthwise. */
    static Stream<ConvGeometry> shapes() {
        SplittableRandom rnd = new SplittableRandom(20240604);
        List<ConvGeometry> list = new ArrayList<>();
        list.add(ConvGeometry.conv2d(2, 3, 5, 7, 4, 1, 1, 1, 1, 0, 0, 1, 1));      // pointwise, skips im2col
        list.add(ConvGeometry.conv2d(1, 1, 28, 28, 3, 5, 5, 1, 1, 2, 2, 1, 1));    // first layer, shrunk
        list.add(ConvGeometry.conv2d(3, 2, 1, 1, 2, 3, 3, 1, 1, 1, 1, 1, 1));      // 1×1 input, all padding around
        list.add(ConvGeometry.conv2d(2, 3, 3, 2, 5, 7, 7, 1, 1, 3, 3, 1, 1));      // taps whose every column is padding, up to the array's end
        list.add(ConvGeometry.conv1d(2, 3, 17, 4, 3, 1, 1, 1));
        list.add(ConvGeometry.conv1d(3, 2, 20, 3, 5, 2, 2, 2));
        list.add(ConvGeometry.conv2d(0, 2, 4, 4, 3, 3, 3, 1, 1, 0, 0, 1, 1));      // empty batch
        list.add(ConvGeometry.conv2d(2, 4, 6, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2));   // 2 groups
        list.add(ConvGeometry.conv2d(3, 6, 7, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6));   // depthwise
        list.add(ConvGeometry.conv2d(2, 16, 9, 8, 32, 5, 3, 2, 1, 2, 1, 1, 2, 2)); // 2 groups of 8 channels: implicit GEMM per group
        list.add(ConvGeometry.conv1d(2, 6, 15, 9, 3, 1, 1, 2, 3));               // grouped 1-D
        list.add(ConvGeometry.conv2d(0, 4, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 4));   // grouped, empty batch
        while (list.size() < 100) {
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5);
            int dilH = 1 + rnd.nextInt(2), dilW = 1 + rnd.nextInt(2);
            int padH = rnd.nextInt(3), padW = rnd.nextInt(3);
            int strideH = 1 + rnd.nextInt(3), strideW = 1 + rnd.nextInt(3);
            int effR = dilH * (r - 1) + 1, effS = dilW * (s - 1) + 1;
            int h = Math.max(1, effR - 2 * padH) + rnd.nextInt(8);
            int w = Math.max(1, effS - 2 * padW) + rnd.nextInt(8);
            int n = rnd.nextInt(4) == 0 ? 1 : 2 + rnd.nextInt(3);
            // channels on both sides of the few-channels switch (8), outputs past a vector tile
            int c = rnd.nextBoolean() ? 1 + rnd.nextInt(4) : 8 + rnd.nextInt(10);
            int k = rnd.nextInt(4) == 0 ? 30 + rnd.nextInt(10) : 1 + rnd.nextInt(5);
            // one in five grouped: 2 groups, or depthwise (one group per channel)
            int groups = rnd.nextInt(5) > 0 ? 1 : rnd.nextBoolean() ? 2 : c;
            c = (c + groups - 1) / groups * groups;         // both multiples of the groups
            k = (k + groups - 1) / groups * groups;
            list.add(ConvGeometry.conv2d(n, c, h, w, k, r, s,
                    strideH, strideW, padH, padW, dilH, dilW, groups));
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardAndBackwardMatchDirectLoops(ConvGeometry g) {
        SplittableRandom rnd = new SplittableRandom(g.toString().hashCode());
        int offX = 3, offW = 5, offB = 2, offY = 7;
        float[] x = ConvKernelsTestData.random(rnd, offX + g.n * g.inputSize());
        float[] w = ConvKernelsTestData.random(rnd, offW + g.weightSize());
        float[] b = ConvKernelsTestData.random(rnd, offB + g.k);
        float[] dy = ConvKernelsTestData.random(rnd, offY + g.n * g.outputSize());
        float[] xs = Arrays.copyOfRange(x, offX, x.length), ws = Arrays.copyOfRange(w, offW, w.length);
        float[] bs = Arrays.copyOfRange(b, offB, b.length), dys = Arrays.copyOfRange(dy, offY, dy.length);

        float[] y = new float[offY + g.n * g.outputSize()];
        Arrays.fill(y, Float.NaN);                         // every output element must be written
        Conv2dKernel.forward(g, x, offX, w, offW, b, offB, y, offY);
        ConvReference.forward(g, xs, ws, bs).assertClose(g + " forward", y, offY);

        Conv2dKernel.forward(g, x, offX, w, offW, null, 0, y, offY);
        ConvReference.forward(g, xs, ws, null).assertClose(g + " forward without bias", y, offY);

        float[] dx = new float[offX + g.n * g.inputSize()];
        Arrays.fill(dx, Float.NaN);
        Conv2dKernel.backwardInput(g, dy, offY, w, offW, dx, offX);
        ConvReference.input(g, dys, ws).assertClose(g + " dInput", dx, offX);

        float[] dw = new float[offW + g.weightSize()];
        Arrays.fill(dw, Float.NaN);
        Conv2dKernel.backwardWeight(g, x, offX, dy, offY, dw, offW);
        ConvReference.weight(g, xs, dys).assertClose(g + " dWeight", dw, offW);

        float[] db = new float[offB + g.k];
        Arrays.fill(db, Float.NaN);
        Conv2dKernel.backwardBias(g, dy, offY, db, offB);
        ConvReference.bias(g, dys).assertClose(g + " dBias", db, offB);

        assertThat(y[offY - 1]).isNaN();                   // nothing before the offsets is touched
        assertThat(dx[offX - 1]).isNaN();
        assertThat(dw[offW - 1]).isNaN();
        assertThat(db[offB - 1]).isNaN();
    }

    /**
     * Geometries the blocked direct forward takes ({@link VectorBlockedConv#handles}: stride 1, C a
     * multiple of 16, K of 32, Q of 14) — padding 0–2, dilation 1–2, kernels 1×1 to 5×5 and
     * non-square, 1–3 images, rows of one and two tiles.
     */
    static Stream<ConvGeometry> blockedShapes() {
        SplittableRandom rnd = new SplittableRandom(20261204);
        List<ConvGeometry> list = new ArrayList<>();
        list.add(ConvGeometry.conv2d(3, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1));   // the reference CNN's 32→64 layer, 3 images
        while (list.size() < 12) {
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5), dilH = 1 + rnd.nextInt(2), dilW = 1 + rnd.nextInt(2);
            int padH = rnd.nextInt(3), padW = rnd.nextInt(3), q = 14 * (1 + rnd.nextInt(2));
            int w = q - 2 * padW + dilW * (s - 1);
            int h = Math.max(1, dilH * (r - 1) + 1 - 2 * padH) + rnd.nextInt(6);
            if (w < 1) continue;
            list.add(ConvGeometry.conv2d(1 + rnd.nextInt(3), 16 * (1 + rnd.nextInt(3)), h, w, 32 * (1 + rnd.nextInt(2)), r, s,
                    1, 1, padH, padW, dilH, dilW));
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("blockedShapes")
    void blockedForwardMatchesTheReferenceAndTheGemmPathBitForBit(ConvGeometry g) {
        assertThat(g.q % VectorBlockedConv.TILE).as("a geometry of whole tiles").isZero();
        SplittableRandom rnd = new SplittableRandom(g.toString().hashCode());
        int offX = 3, offW = 5, offB = 2, offY = 7;
        float[] x = ConvKernelsTestData.random(rnd, offX + g.n * g.inputSize());
        float[] w = ConvKernelsTestData.random(rnd, offW + g.weightSize());
        float[] b = ConvKernelsTestData.random(rnd, offB + g.k);
        float[] xs = Arrays.copyOfRange(x, offX, x.length), ws = Arrays.copyOfRange(w, offW, w.length);
        float[] bs = Arrays.copyOfRange(b, offB, b.length);
        for (float[] bias : new float[][] {b, null}) {
            float[] y = new float[offY + g.n * g.outputSize()], gemm = new float[y.length];
            Arrays.fill(y, Float.NaN);
            Conv2dKernel.forward(g, x, offX, w, offW, bias, offB, y, offY);
            ConvReference.forward(g, xs, ws, bias == null ? null : bs).assertClose(g + " forward", y, offY);
            assertThat(y[offY - 1]).isNaN();
            Conv2dKernel.forwardAsGemm(g, x, offX, w, offW, bias, offB, gemm, offY);
            assertThat(Arrays.equals(y, offY, y.length, gemm, offY, gemm.length)).as(g + " same bits as the GEMM path").isTrue();
            for (int threads : new int[] {2, 3}) {
                float[] other = forwardOn(threads, g, x, offX, w, offW, bias, offB, offY);
                assertThat(Arrays.equals(y, offY, y.length, other, offY, other.length)).as(g + " on " + threads + " threads").isTrue();
            }
        }
    }

    /**
     * Geometries the tap-by-tap weight gradient takes ({@link VectorTapWeightGradient#handles}:
     * stride 1, C a multiple of 32, K of 16) — padding 0–3, dilation 1–2, kernels 1×1 to 5×5 and
     * non-square, taps that read only padding for some output rows or columns, 1–3 images.
     */
    static Stream<ConvGeometry> tapWeightGradientShapes() {
        SplittableRandom rnd = new SplittableRandom(20261204L);
        List<ConvGeometry> list = new ArrayList<>();
        list.add(ConvGeometry.conv2d(3, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1));   // the reference CNN's 32→64 layer, 3 images
        list.add(ConvGeometry.conv2d(2, 32, 2, 3, 16, 5, 5, 1, 1, 3, 3, 1, 1));     // windows mostly in the padding
        while (list.size() < 12) {
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5), dilH = 1 + rnd.nextInt(2), dilW = 1 + rnd.nextInt(2);
            int padH = rnd.nextInt(4), padW = rnd.nextInt(4), h = 1 + rnd.nextInt(12), w = 1 + rnd.nextInt(12);
            if (h + 2 * padH < dilH * (r - 1) + 1 || w + 2 * padW < dilW * (s - 1) + 1) continue;
            list.add(ConvGeometry.conv2d(1 + rnd.nextInt(3), 32 * (1 + rnd.nextInt(2)), h, w, 16 * (1 + rnd.nextInt(3)), r, s,
                    1, 1, padH, padW, dilH, dilW));
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("tapWeightGradientShapes")
    void tapWeightGradientMatchesTheReferenceAndTheGemmPathBitForBit(ConvGeometry g) {
        float[][] run = weightGradientChecked(g);
        float[] x = run[0], dy = run[1], dw = run[2], gemm = new float[dw.length];
        Conv2dKernel.backwardWeightAsGemm(g, x, OFF_X, dy, OFF_DY, gemm, OFF_DW);
        assertThat(Arrays.equals(dw, OFF_DW, dw.length, gemm, OFF_DW, gemm.length)).as(g + " same bits as the GEMM path").isTrue();
    }

    private static final int OFF_X = 3, OFF_DY = 5, OFF_DW = 7;

    /**
     * The weight gradient of a seeded random input and output gradient (at offsets, a NaN before
     * the result's), checked against the reference and bit for bit on 2 and 3 threads: {x, dy, dw}.
     */
    private static float[][] weightGradientChecked(ConvGeometry g) {
        SplittableRandom rnd = new SplittableRandom(g.toString().hashCode());
        float[] x = ConvKernelsTestData.random(rnd, OFF_X + g.n * g.inputSize());
        float[] dy = ConvKernelsTestData.random(rnd, OFF_DY + g.n * g.outputSize());
        float[] dw = new float[OFF_DW + g.weightSize()];
        Arrays.fill(dw, Float.NaN);
        Conv2dKernel.backwardWeight(g, x, OFF_X, dy, OFF_DY, dw, OFF_DW);
        ConvReference.weight(g, Arrays.copyOfRange(x, OFF_X, x.length), Arrays.copyOfRange(dy, OFF_DY, dy.length))
                .assertClose(g + " dWeight", dw, OFF_DW);
        assertThat(dw[OFF_DW - 1]).isNaN();
        for (int threads : new int[] {2, 3}) {
            float[] other = onThreads(threads, () -> {
                float[] out = new float[dw.length];
                Conv2dKernel.backwardWeight(g, x, OFF_X, dy, OFF_DY, out, OFF_DW);
                return out;
            });
            assertThat(Arrays.equals(dw, OFF_DW, dw.length, other, OFF_DW, other.length)).as(g + " on " + threads + " threads").isTrue();
        }
        return new float[][] {x, dy, dw};
    }

    /**
     * Few-channel geometries at stride 1, which the direct weight gradient takes
     * ({@link VectorDirectConv#backwardWeight}): output channels and taps past whole tiles of 4 × 5,
     * pixel counts past whole vectors, padding 0–3, dilation 1–2, more images than chunks.
     */
    static Stream<ConvGeometry> fewChannelShapes() {
        SplittableRandom rnd = new SplittableRandom(20261205L);
        List<ConvGeometry> list = new ArrayList<>();
        list.add(ConvGeometry.conv2d(20, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1));   // the reference CNN's first layer, 20 images
        list.add(ConvGeometry.conv2d(2, 3, 3, 2, 5, 7, 7, 1, 1, 3, 3, 1, 1));       // windows mostly in the padding
        while (list.size() < 14) {
            int r = 1 + rnd.nextInt(7), s = 1 + rnd.nextInt(7), dilH = 1 + rnd.nextInt(2), dilW = 1 + rnd.nextInt(2);
            int padH = rnd.nextInt(4), padW = rnd.nextInt(4), h = 1 + rnd.nextInt(30), w = 1 + rnd.nextInt(30);
            if (h + 2 * padH < dilH * (r - 1) + 1 || w + 2 * padW < dilW * (s - 1) + 1) continue;
            list.add(ConvGeometry.conv2d(1 + rnd.nextInt(20), 1 + rnd.nextInt(7), h, w, 1 + rnd.nextInt(9), r, s,
                    1, 1, padH, padW, dilH, dilW));
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("fewChannelShapes")
    void fewChannelWeightGradientMatchesTheReferenceOnAnyThreadCount(ConvGeometry g) {
        weightGradientChecked(g);
    }

    @Test
    void resultsAreBitwiseIdenticalForOneTwoAndSevenThreads() {
        for (ConvGeometry g : List.of(
                ConvGeometry.conv2d(9, 3, 11, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1),
                ConvGeometry.conv2d(37, 4, 7, 8, 6, 5, 3, 2, 1, 2, 1, 1, 2),
                ConvGeometry.conv2d(20, 5, 6, 6, 3, 1, 1, 1, 1, 0, 0, 1, 1),
                ConvGeometry.conv2d(6, 16, 9, 9, 35, 3, 3, 1, 1, 1, 1, 1, 1),
                ConvGeometry.conv2d(5, 9, 8, 7, 33, 3, 2, 1, 1, 2, 0, 2, 1),
                ConvGeometry.conv2d(7, 18, 7, 7, 36, 3, 3, 1, 1, 1, 1, 1, 1, 2),
                ConvGeometry.conv2d(5, 12, 6, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1, 12))) {
            SplittableRandom rnd = new SplittableRandom(7);
            float[] x = ConvKernelsTestData.random(rnd, g.n * g.inputSize()), w = ConvKernelsTestData.random(rnd, g.weightSize());
            float[] b = ConvKernelsTestData.random(rnd, g.k), dy = ConvKernelsTestData.random(rnd, g.n * g.outputSize());
            float[][] one = runAll(1, g, x, w, b, dy);
            for (int threads : new int[] {2, 7}) {
                float[][] other = runAll(threads, g, x, w, b, dy);
                for (int i = 0; i < one.length; i++) {
                    assertThat(Arrays.equals(one[i], other[i])).as(g + " result " + i + " on " + threads + " threads").isTrue();
                }
            }
        }
    }

    /** {@code work} run with the thread count set to {@code threads}, the count restored after. */
    private static <T> T onThreads(int threads, Supplier<T> work) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return work.get();
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[] forwardOn(int threads, ConvGeometry g, float[] x, int offX, float[] w, int offW, float[] b, int offB, int offY) {
        return onThreads(threads, () -> {
            float[] y = new float[offY + g.n * g.outputSize()];
            Conv2dKernel.forward(g, x, offX, w, offW, b, offB, y, offY);
            return y;
        });
    }

    private static float[][] runAll(int threads, ConvGeometry g, float[] x, float[] w, float[] b, float[] dy) {
        return onThreads(threads, () -> {
            float[] y = new float[g.n * g.outputSize()], dx = new float[g.n * g.inputSize()];
            float[] dw = new float[g.weightSize()], db = new float[g.k];
            Conv2dKernel.forward(g, x, 0, w, 0, b, 0, y, 0);
            Conv2dKernel.backwardInput(g, dy, 0, w, 0, dx, 0);
            Conv2dKernel.backwardWeight(g, x, 0, dy, 0, dw, 0);
            Conv2dKernel.backwardBias(g, dy, 0, db, 0);
            return new float[][] {y, dx, dw, db};
        });
    }

    @Test
    void identityKernelCopiesTheImage() {
        ConvGeometry g = ConvGeometry.conv2d(1, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1);
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] y = new float[9];
        Conv2dKernel.forward(g, img, 0, new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0}, 0, null, 0, y, 0);
        assertThat(y).containsExactly(img);
    }

    /** The classic image filters as fixed 3×3 weights (cross-correlation, as in every DL library). */
    static Stream<Arguments> classicFilters() {
        return Stream.of(
                Arguments.of("identity", new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0}),
                Arguments.of("edge 1", new float[] {1, 0, -1, 0, 0, 0, -1, 0, 1}),
                Arguments.of("edge 2 (Laplacian)", new float[] {0, 1, 0, 1, -4, 1, 0, 1, 0}),
                Arguments.of("edge 3", new float[] {-1, -1, -1, -1, 8, -1, -1, -1, -1}),
                Arguments.of("sharpen", new float[] {0, -1, 0, -1, 5, -1, 0, -1, 0}),
                Arguments.of("box blur", scaled(1f / 9, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
                Arguments.of("Gaussian blur 3x3", scaled(1f / 16, 1, 2, 1, 2, 4, 2, 1, 2, 1)),
                Arguments.of("emboss", new float[] {-2, -1, 0, -1, 1, 1, 0, 1, 2}));
    }

    private static float[] scaled(float f, float... k) {
        for (int i = 0; i < k.length; i++) k[i] *= f;
        return k;
    }

    /** An impulse of height 16 at (1, 1) of a 4×4 image comes out as the kernel rotated 180° around it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("classicFilters")
    void classicFilterOnAnImpulse(String name, float[] kernel) {
        ConvGeometry g = ConvGeometry.conv2d(1, 1, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1);
        float[] img = new float[16];
        img[5] = 16f;
        float[] y = new float[16];
        Conv2dKernel.forward(g, img, 0, kernel, 0, null, 0, y, 0);
        float[] want = new float[16];
        for (int p = 0; p < 3; p++)
            for (int q = 0; q < 3; q++) want[p * 4 + q] = 16f * kernel[(2 - p) * 3 + (2 - q)];
        assertThat(y).as(name).containsExactly(want);
    }

    @Test
    void edgeFiltersOnAStep() {
        ConvGeometry g = ConvGeometry.conv2d(1, 1, 4, 4, 3, 3, 3, 1, 1, 0, 0, 1, 1);
        float[] step = {0, 0, 5, 5, 0, 0, 5, 5, 0, 0, 5, 5, 0, 0, 5, 5};
        float[] w = {1, 0, -1, 2, 0, -2, 1, 0, -1,       // Sobel x
                0, 1, 0, 1, -4, 1, 0, 1, 0,              // Laplacian
                -1, -1, -1, -1, 8, -1, -1, -1, -1};      // all-around edge
        float[] y = new float[12];
        Conv2dKernel.forward(g, step, 0, w, 0, new float[] {0, 0, 1}, 0, y, 0);
        assertThat(y).containsExactly(-20, -20, -20, -20, 5, -5, 5, -5, -14, 16, -14, 16);
    }

    @Test
    void shortArraysAreRefusedWithTheirName() {
        ConvGeometry g = ConvGeometry.conv2d(2, 3, 4, 4, 5, 3, 3, 1, 1, 1, 1, 1, 1);
        float[] x = new float[2 * 3 * 16], w = new float[5 * 3 * 9], y = new float[2 * 5 * 16];
        assertThatThrownBy(() -> Conv2dKernel.forward(g, x, 1, w, 0, null, 0, y, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: input needs 96 floats from offset 1 but its array has length 96");
        assertThatThrownBy(() -> Conv2dKernel.forward(g, x, 0, w, 0, new float[4], 0, y, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: bias needs 5 floats from offset 0 but its array has length 4");
        assertThatThrownBy(() -> Conv2dKernel.backwardWeight(g, x, 0, y, 0, new float[10], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: weight gradient needs 135 floats from offset 0 but its array has length 10");
        assertThatThrownBy(() -> Conv2dKernel.backwardInput(g, y, 0, null, 0, x, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: weight array is null");
    }
}
