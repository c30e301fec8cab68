package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class Im2colTest {

    /** c, h, w, r, s, strideH, strideW, padH, padW, dilH, dilW from a seed. */
    static IntStream seeds() {
        return IntStream.range(0, 72);
    }

    private static int[] geometry(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        if (seed >= 60) {   // stride 1 with "same" padding: the contiguous-block path
            int r = 1 + 2 * rnd.nextInt(3), s = 1 + 2 * rnd.nextInt(3), dilH = 1 + rnd.nextInt(2), dilW = 1 + rnd.nextInt(2);
            return new int[] {1 + rnd.nextInt(3), 1 + rnd.nextInt(9), 1 + rnd.nextInt(40), r, s, 1, 1,
                    dilH * (r - 1) / 2, dilW * (s - 1) / 2, dilH, dilW};
        }
        int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5), dilH = 1 + rnd.nextInt(2), dilW = 1 + rnd.nextInt(2);
        int padH = rnd.nextInt(3), padW = rnd.nextInt(3);
        int h = Math.max(1, dilH * (r - 1) + 1 - 2 * padH) + rnd.nextInt(7);
        int w = Math.max(1, dilW * (s - 1) + 1 - 2 * padW) + rnd.nextInt(40);   // long rows: vector body and tail
        return new int[] {1 + rnd.nextInt(3), h, w, r, s, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), padH, padW, dilH, dilW};
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void im2colFollowsTheDefinitionAndCol2imIsItsAdjoint(int seed) {
        int[] a = geometry(seed);
        int c = a[0], h = a[1], w = a[2], r = a[3], s = a[4], sh = a[5], sw = a[6], ph = a[7], pw = a[8], dh = a[9], dw = a[10];
        int p = (h + 2 * ph - dh * (r - 1) - 1) / sh + 1, q = (w + 2 * pw - dw * (s - 1) - 1) / sw + 1;
        SplittableRandom rnd = new SplittableRandom(seed + 1000);
        float[] x = ConvKernelsTestData.random(rnd, 2 + c * h * w);
        float[] col = new float[3 + c * r * s * p * q];
        Arrays.fill(col, Float.NaN);
        Im2col.im2col(x, 2, c, h, w, r, s, sh, sw, ph, pw, dh, dw, col, 3);
        int i = 3;
        for (int ci = 0; ci < c; ci++)
            for (int ri = 0; ri < r; ri++)
                for (int si = 0; si < s; si++)
                    for (int pi = 0; pi < p; pi++)
                        for (int qi = 0; qi < q; qi++, i++) {
                            int ih = pi * sh - ph + ri * dh, iw = qi * sw - pw + si * dw;
                            float want = ih < 0 || ih >= h || iw < 0 || iw >= w ? 0f : x[2 + (ci * h + ih) * w + iw];
                            assertThat(col[i]).as("seed %d element %d", seed, i).isEqualTo(want);
                        }

        // <im2col(x), g> == <x, col2im(g)>, and col2im adds to what dx held
        float[] g = ConvKernelsTestData.random(rnd, col.length);
        float[] dx = new float[x.length];
        Arrays.fill(dx, 1f);
        Im2col.col2im(g, 3, c, h, w, r, s, sh, sw, ph, pw, dh, dw, dx, 2);
        double left = 0, right = 0, mag = 0;
        for (int j = 3; j < col.length; j++) {
            left += (double) col[j] * g[j];
            mag += Math.abs((double) col[j] * g[j]);
        }
        for (int j = 2; j < x.length; j++) right += (double) x[j] * (dx[j] - 1.0);
        assertThat(Math.abs(left - right)).as("seed %d adjoint", seed).isLessThanOrEqualTo(1e-5 * (1 + mag));
        assertThat(dx[0]).isEqualTo(1f);
        assertThat(dx[1]).isEqualTo(1f);
    }

    @Test
    void badGeometryIsRefused() {
        assertThatThrownBy(() -> Im2col.im2col(new float[9], 0, 1, 3, 3, 5, 5, 1, 1, 0, 0, 1, 1, new float[1], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("im2col: kernel 5 with padding 0 does not fit input 3 (height)");
        assertThatThrownBy(() -> Im2col.col2im(new float[9], 0, 1, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, new float[9], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("col2im: column needs 81 floats from offset 0 but its array has length 9");
    }
}
