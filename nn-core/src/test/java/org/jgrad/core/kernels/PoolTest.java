package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jgrad.core.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PoolTest {

    static Stream<int[]> shapes() {
        SplittableRandom rnd = new SplittableRandom(99);
        List<int[]> list = new ArrayList<>();
        list.add(new int[] {2, 3, 28, 28, 2, 2, 2, 2, 0, 0});
        list.add(new int[] {1, 2, 7, 7, 3, 3, 2, 2, 1, 1});
        list.add(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0});
        // 2×2 stride 2 wide enough for the vector kernel, with and without a tail and an odd last row/column
        for (int w : new int[] {32, 33, 35, 64, 70, 97}) list.add(new int[] {2, 1, 5, w, 2, 2, 2, 2, 0, 0});
        while (list.size() < 100) {
            int kH = 1 + rnd.nextInt(5), kW = 1 + rnd.nextInt(5);
            int padH = rnd.nextInt(kH / 2 + 1), padW = rnd.nextInt(kW / 2 + 1);
            int h = Math.max(1, kH - 2 * padH) + rnd.nextInt(9), w = Math.max(1, kW - 2 * padW) + rnd.nextInt(9);
            list.add(new int[] {1 + rnd.nextInt(3), 1 + rnd.nextInt(3), h, w, kH, kW,
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padH, padW});
        }
        return list.stream();
    }

    private static PoolGeometry max(int[] a) {
        return PoolGeometry.maxPool2d(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
    }

    private static PoolGeometry avg(int[] a) {
        return PoolGeometry.avgPool2d(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
    }

    /** Small integers, so windows often hold ties. */
    private static float[] ties(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextInt(4) - 2;
        return x;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void maxPoolMatchesDirectLoopsWithFirstIndexTies(int[] shape) {
        PoolGeometry g = max(shape);
        SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(shape));
        float[] x = ties(rnd, g.inputSize());
        float[] y = new float[g.outputSize() + 1];
        int[] arg = new int[g.outputSize() + 1];
        Pool.maxPool2d(g, x, 0, y, 1, arg, 1);
        float[] dy = ConvKernelsTestData.random(rnd, g.outputSize());
        float[] dx = new float[g.inputSize()];
        Arrays.fill(dx, Float.NaN);
        Pool.maxPool2dBackward(g, dy, 0, arg, 1, dx, 0);

        double[] dxRef = new double[g.inputSize()];
        int hw = g.h * g.w;
        for (int plane = 0; plane < g.planes(); plane++)
            for (int p = 0; p < g.p; p++)
                for (int q = 0; q < g.q; q++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < g.kH; i++)
                        for (int j = 0; j < g.kW; j++) {
                            int ih = p * g.strideH - g.padH + i, iw = q * g.strideW - g.padW + j;
                            if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
                            float v = x[plane * hw + ih * g.w + iw];
                            if (at < 0 || v > best) {
                                best = v;
                                at = ih * g.w + iw;
                            }
                        }
                    int o = (plane * g.p + p) * g.q + q;
                    assertThat(y[1 + o]).as("%s y[%d]", g, o).isEqualTo(best);
                    assertThat(arg[1 + o]).as("%s argmax[%d]", g, o).isEqualTo(at);
                    dxRef[plane * hw + at] += dy[o];
                }
        for (int i = 0; i < dx.length; i++) assertThat((double) dx[i]).as("%s dx[%d]", g, i).isCloseTo(dxRef[i], org.assertj.core.data.Offset.offset(1e-5));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void avgPoolMatchesDirectLoops(int[] shape) {
        PoolGeometry g = avg(shape);
        SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(shape) + 1);
        float[] x = ConvKernelsTestData.random(rnd, g.inputSize());
        float[] dy = ConvKernelsTestData.random(rnd, g.outputSize());
        for (boolean include : new boolean[] {true, false}) {
            float[] y = new float[g.outputSize()], dx = new float[g.inputSize()];
            Arrays.fill(dx, Float.NaN);
            Pool.avgPool2d(g, include, x, 0, y, 0);
            Pool.avgPool2dBackward(g, include, dy, 0, dx, 0);
            double[] dxRef = new double[g.inputSize()];
            int hw = g.h * g.w;
            for (int plane = 0; plane < g.planes(); plane++)
                for (int p = 0; p < g.p; p++)
                    for (int q = 0; q < g.q; q++) {
                        double sum = 0;
                        int count = 0;
                        for (int i = 0; i < g.kH; i++)
                            for (int j = 0; j < g.kW; j++) {
                                int ih = p * g.strideH - g.padH + i, iw = q * g.strideW - g.padW + j;
                                if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
                                sum += x[plane * hw + ih * g.w + iw];
                                count++;
                            }
                        int div = include ? g.kH * g.kW : count;
                        int o = (plane * g.p + p) * g.q + q;
                        assertThat((double) y[o]).as("%s include=%s y[%d]", g, include, o)
                                .isCloseTo(sum / div, org.assertj.core.data.Offset.offset(1e-5));
                        for (int i = 0; i < g.kH; i++)
                            for (int j = 0; j < g.kW; j++) {
                                int ih = p * g.strideH - g.padH + i, iw = q * g.strideW - g.padW + j;
                                if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
                                dxRef[plane * hw + ih * g.w + iw] += (double) dy[o] / div;
                            }
                    }
            for (int i = 0; i < dx.length; i++) {
                assertThat((double) dx[i]).as("%s include=%s dx[%d]", g, include, i)
                        .isCloseTo(dxRef[i], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void maxPoolPropagatesTheFirstNaNAndIgnoresPadding() {
        PoolGeometry g = PoolGeometry.maxPool2d(1, 1, 2, 3, 2, 3, 2, 3, 0, 0);
        float[] y = new float[1];
        int[] arg = new int[1];
        Pool.maxPool2d(g, new float[] {1, Float.NaN, 5, Float.NaN, 9, 2}, 0, y, 0, arg, 0);
        assertThat(y[0]).isNaN();
        assertThat(arg[0]).isEqualTo(1);

        PoolGeometry padded = PoolGeometry.maxPool2d(1, 1, 2, 2, 3, 3, 1, 1, 1, 1);
        float[] out = new float[4];
        Pool.maxPool2d(padded, new float[] {-4, -3, -2, -1}, 0, out, 0, null, 0);
        assertThat(out).containsExactly(-1, -1, -1, -1);   // padding is −∞, never the 0 of a zero pad
    }

    /** The 2×2 stride-2 kernel against its scalar twin, widths 1..70, ties, NaN, ±Inf, offsets. */
    @Test
    void maxPool2x2MatchesTheScalarKernelBitwise() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f};
        for (int w = 2; w <= 70; w++) {
            PoolGeometry g = PoolGeometry.maxPool2d(1, 2, 5, w, 2, 2, 2, 2, 0, 0);
            float[] x = new float[3 + g.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextInt(20) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextInt(4) - 2;
            }
            float[] y = new float[5 + g.outputSize()], yRef = y.clone();
            int[] arg = new int[5 + g.outputSize()], argRef = arg.clone();
            Pool.maxPool2d(g, x, 3, y, 5, arg, 5);
            for (int plane = 0; plane < g.planes(); plane++)
                for (int p = 0; p < g.p; p++) ScalarPool.maxRow(g, plane, p, 0, x, 3, yRef, 5, argRef, 5);
            for (int i = 0; i < y.length; i++) {
                assertThat(Float.floatToRawIntBits(y[i])).as("w=%d y[%d]", w, i).isEqualTo(Float.floatToRawIntBits(yRef[i]));
            }
            assertThat(arg).as("w=%d argmax", w).containsExactly(argRef);
            float[] noArg = new float[5 + g.outputSize()];
            Pool.maxPool2d(g, x, 3, noArg, 5, null, 0);
            for (int i = 0; i < y.length; i++) {
                assertThat(Float.floatToRawIntBits(noArg[i])).as("w=%d y[%d] without argmax", w, i).isEqualTo(Float.floatToRawIntBits(yRef[i]));
            }
        }
    }

    @Test
    void globalAveragePoolIsThePlaneMean() {
        float[] x = {1, 2, 3, 4, 10, 20, 30, 40};
        float[] y = new float[3];
        Pool.globalAvgPool(2, 4, x, 0, y, 1);
        assertThat(y).containsExactly(0, 2.5f, 25f);
        float[] dx = new float[8];
        Pool.globalAvgPoolBackward(2, 4, new float[] {4, 8}, 0, dx, 0);
        assertThat(dx).containsExactly(1, 1, 1, 1, 2, 2, 2, 2);
    }

    @Test
    void resultsAreBitwiseIdenticalForOneAndTwoThreads() {
        int[] shape = {8, 16, 28, 28, 2, 2, 2, 2, 0, 0};
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = ConvKernelsTestData.random(rnd, max(shape).inputSize());
        float[] dy = ConvKernelsTestData.random(rnd, max(shape).outputSize());
        float[][] one = runAll(1, shape, x, dy), two = runAll(2, shape, x, dy);
        for (int i = 0; i < one.length; i++) assertThat(Arrays.equals(one[i], two[i])).as("result %d", i).isTrue();
    }

    private static float[][] runAll(int threads, int[] shape, float[] x, float[] dy) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            PoolGeometry m = max(shape), a = avg(shape);
            float[] ym = new float[m.outputSize()], dxm = new float[m.inputSize()];
            int[] arg = new int[m.outputSize()];
            Pool.maxPool2d(m, x, 0, ym, 0, arg, 0);
            Pool.maxPool2dBackward(m, dy, 0, arg, 0, dxm, 0);
            float[] ya = new float[a.outputSize()], dxa = new float[a.inputSize()];
            Pool.avgPool2d(a, false, x, 0, ya, 0);
            Pool.avgPool2dBackward(a, false, dy, 0, dxa, 0);
            float[] yg = new float[m.planes()];
            Pool.globalAvgPool(m.planes(), m.h * m.w, x, 0, yg, 0);
            return new float[][] {ym, dxm, ya, dxa, yg};
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        assertThatThrownBy(() -> PoolGeometry.maxPool2d(1, 1, 4, 4, 3, 3, 1, 1, 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPool2d: padding 2 must be at most half of kernel 3 (height)");
        assertThatThrownBy(() -> PoolGeometry.avgPool2d(1, 1, 4, 4, 2, 2, 2, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avgPool2d: stride (width) must be positive, got 0");
        assertThatThrownBy(() -> PoolGeometry.maxPool2d(1, 1, 2, 8, 3, 3, 1, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPool2d: kernel 3 with padding 0 does not fit input 2 (height)");
        PoolGeometry g = PoolGeometry.maxPool2d(1, 1, 2, 2, 1, 1, 1, 1, 0, 0);
        assertThatThrownBy(() -> Pool.maxPool2dBackward(g, new float[4], 0, new int[] {0, 1, 2, 4}, 0, new float[4], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPool2d: argmax 4 outside the input plane of 4 elements (plane 0, output 3)");
        assertThatThrownBy(() -> Pool.globalAvgPool(2, 0, new float[1], 0, new float[2], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("globalAvgPool: plane size must be positive, got 0");
        assertThatThrownBy(() -> Pool.avgPool2d(g, true, new float[3], 0, new float[4], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avgPool2d: input needs 4 floats from offset 0 but its array has length 3");
    }
}
