package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The patch matrix read in place: its elements, its slivers, and the runs the GEMM cuts K along. */
class PatchesTest {

    static IntStream seeds() {
        return IntStream.range(0, 60);
    }

    /** A padded channels-last batch and a window over it, drawn from the seed. */
    private record Case(int n, int h, int w, int c, int p, int q, int r, int s, int sh, int sw, int dh, int dw) {

        static Case of(int seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5), sh = 1 + rnd.nextInt(3), sw = 1 + rnd.nextInt(3);
            int dh = 1 + rnd.nextInt(2), dw = 1 + rnd.nextInt(2);
            int h = dh * (r - 1) + 1 + rnd.nextInt(6), w = dw * (s - 1) + 1 + rnd.nextInt(6);
            return new Case(1 + rnd.nextInt(3), h, w, 1 + rnd.nextInt(40), (h - dh * (r - 1) - 1) / sh + 1,
                    (w - dw * (s - 1) - 1) / sw + 1, r, s, sh, sw, dh, dw);
        }

        int rows() {
            return n * p * q;
        }

        int cols() {
            return r * s * c;
        }

        /** Where element (i, j) of the patch matrix lives in the batch, from the definition. */
        int at(int i, int j) {
            int ow = i % q, oh = i / q % p, img = i / q / p;
            int ch = j % c, ks = j / c % s, kr = j / c / s;
            return ((img * h + oh * sh + kr * dh) * w + ow * sw + ks * dw) * c + ch;
        }

        Patches patches(float[] x) {
            return new Patches(x, 0, h, w, c, p, q, r, s, sh, sw, dh, dw);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sliversHoldTheWindowsElements(int seed) {
        Case k = Case.of(seed);
        float[] x = new float[k.n() * k.h() * k.w() * k.c()];
        for (int i = 0; i < x.length; i++) x[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int trial = 0; trial < 20; trial++) {
            int i = rnd.nextInt(k.rows()), j = rnd.nextInt(k.cols());
            int rows = 1 + rnd.nextInt(k.rows() - i), cols = 1 + rnd.nextInt(k.cols() - j), ld = cols + 3;
            float[] dst = new float[rows * ld];
            k.patches(x).copy(i, rows, j, cols, dst, 0, ld);
            for (int t = 0; t < rows; t++)
                for (int u = 0; u < cols; u++) assertThat(dst[t * ld + u]).isEqualTo((float) k.at(i + t, j + u));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void runsCoverTheColumnsInContiguousPiecesNoLongerThanAsked(int seed) {
        Case k = Case.of(seed);
        Patches patches = k.patches(new float[k.n() * k.h() * k.w() * k.c()]);
        for (int maxLen : new int[] {1, 7, 64, 256}) {
            int p0 = 0;
            while (p0 < k.cols()) {
                int run = patches.runFrom(p0, Math.min(maxLen, k.cols() - p0));
                assertThat(run).as("run from %d, at most %d", p0, maxLen).isBetween(1, Math.min(maxLen, k.cols() - p0));
                for (int i = 0; i < k.rows(); i += Math.max(1, k.rows() / 7))
                    for (int u = 0; u < run; u++) assertThat(k.at(i, p0 + u)).isEqualTo(k.at(i, p0) + u);
                p0 += run;
            }
            assertThat(p0).isEqualTo(k.cols());
        }
    }
}
