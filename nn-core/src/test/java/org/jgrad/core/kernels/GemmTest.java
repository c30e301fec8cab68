package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GemmTest {

    /** One product: operands laid out with offsets and padded leading dimensions, and C with guards. */
    private static final class Case {
        final boolean transA, transB;
        final int m, n, k, offA, lda, offB, ldb, offC, ldc;
        final float alpha, beta;
        final float[] a, b, c0;

        Case(long seed, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int pad) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            SplittableRandom rnd = new SplittableRandom(seed);
            int rowsA = transA ? k : m, colsA = transA ? m : k;
            int rowsB = transB ? n : k, colsB = transB ? k : n;
            offA = pad * 3;
            lda = colsA + pad;
            offB = pad * 5;
            ldb = colsB + 2 * pad;
            offC = pad * 7;
            ldc = n + pad;
            a = random(rnd, offA + rowsA * lda + pad);
            b = random(rnd, offB + rowsB * ldb + pad);
            // beta == 0: C holds NaN, which must not reach the result.
            c0 = beta == 0f ? filled(offC + m * ldc + pad, Float.NaN) : random(rnd, offC + m * ldc + pad);
        }

        float a(int i, int p) {
            return transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
        }

        float b(int p, int j) {
            return transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
        }

        float[] run() {
            float[] c = c0.clone();
            Gemm.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return c;
        }

        float[] runScalar() {
            float[] c = c0.clone();
            ScalarGemm.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return c;
        }

        /** Checks c against a double-precision reference with the bound (k+2)·ε·(|βc| + Σ|αab|). */
        void check(float[] c) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double cij = beta == 0f ? 0 : (double) beta * c0[offC + i * ldc + j];
                    double exact = cij, mag = Math.abs(cij);
                    for (int p = 0; p < k; p++) {
                        double t = (double) alpha * a(i, p) * b(p, j);
                        exact += t;
                        mag += Math.abs(t);
                    }
                    double bound = (k + 2) * 0x1p-23 * mag + 1e-30;
                    float got = c[offC + i * ldc + j];
                    if (!(Math.abs(got - exact) <= bound)) {
                        throw new AssertionError(String.format(
                                "%s: C[%d,%d] = %s, expected %s within %s", this, i, j, got, exact, bound));
                    }
                }
            }
            // Everything outside the m×n window of C is untouched (padding, offsets).
            for (int x = 0; x < c.length; x++) {
                int rel = x - offC, i = Math.floorDiv(rel, ldc), j = rel - i * ldc;
                boolean inside = rel >= 0 && i < m && j < n;
                if (!inside && Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(c0[x])) {
                    throw new AssertionError(this + ": element " + x + " outside C was written");
                }
            }
        }

        @Override
        public String toString() {
            return String.format("sgemm(%s, %s, m=%d, n=%d, k=%d, alpha=%s, beta=%s, lda=%d, ldb=%d, ldc=%d)",
                    transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, beta, lda, ldb, ldc);
        }
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static float[] filled(int len, float v) {
        float[] x = new float[len];
        Arrays.fill(x, v);
        return x;
    }

    /**
     * Every m, n and k in 1..67 occurs (so every tail residue of the MR × NR tile on any vector
     * width), each in a different combination, for all four transpose forms.
     */
    @ParameterizedTest
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void smallSizesMatchReferenceAndScalarTwin(boolean transA, boolean transB) {
        for (int s = 1; s <= 67; s++) {
            int m = s, n = (s * 7 + 3) % 67 + 1, k = (s * 13 + 5) % 67 + 1;
            float alpha = s % 3 == 0 ? 1f : -1.25f;
            float beta = s % 4 == 0 ? 0f : (s % 4 == 1 ? 1f : 0.5f);
            Case tc = new Case(s, transA, transB, m, n, k, alpha, beta, s % 2 == 0 ? 3 : 0);
            float[] c = tc.run();
            tc.check(c);
            tc.check(tc.runScalar());
            // Vector and scalar kernels evaluate the same fma chain per element.
            assertThat(c).as(tc.toString()).isEqualTo(tc.runScalar());
        }
    }

    /**
     * Sizes beyond one block in every direction (MB, NB, KC), odd everywhere; and m a multiple of 8
     * but not of 12 (the short tile), over several row chunks.
     */
    @ParameterizedTest
    @CsvSource({
        "false,false,509,1021,257", "false,true,509,1021,257", "true,false,509,1021,257", "true,true,509,1021,257",
        "false,false,300,70,600", "true,true,37,290,530", "false,false,520,70,600", "true,false,136,291,530"})
    void largeOddSizesMatchReference(boolean transA, boolean transB, int m, int n, int k) {
        Case tc = new Case(m * 31L + n, transA, transB, m, n, k, 0.75f, -0.5f, 4);
        float[] c = tc.run();
        tc.check(c);
        assertThat(c).isEqualTo(tc.runScalar());
    }

    /**
     * Transposed operands with alpha 1 are packed in 16 × 16 blocks transposed in registers on
     * 512-bit vectors: row and step counts around multiples of 16 (whole blocks, tails of 1 and
     * 15), several K blocks and row chunks; the same bits as the scalar twin.
     */
    @ParameterizedTest
    @CsvSource({"true,false,16,16,16", "true,false,17,33,31", "true,false,271,70,300", "true,false,512,784,128",
            "false,true,16,16,16", "false,true,15,47,33", "false,true,128,512,784", "false,true,70,129,527",
            "false,true,37,300,290", "false,true,250,1000,300",
            "true,true,95,97,63", "true,true,256,48,300"})
    void transposedOperandsWithUnitAlphaMatchReference(boolean transA, boolean transB, int m, int n, int k) {
        Case tc = new Case(m * 17L + k, transA, transB, m, n, k, 1f, 0.5f, 3);
        float[] c = tc.run();
        tc.check(c);
        assertThat(c).isEqualTo(tc.runScalar());
    }

    /**
     * C rows a multiple of 1024 floats apart go through a contiguous buffer (their L1 sets
     * alias): tails, several K blocks and row chunks, every beta case, and the same bits as the
     * scalar twin.
     */
    @ParameterizedTest
    @CsvSource({"false,false,37,61,300,0.5", "false,true,260,1024,300,1", "true,false,13,1000,70,0",
            "true,true,250,2000,257,-0.5", "false,false,1,1,1,0", "false,true,64,1000,300,0.5"})
    void rowsFourKibApartMatchReference(boolean transA, boolean transB, int m, int n, int k, float beta) {
        int pad = (1024 - n % 1024) % 1024;   // ldc = n + pad is a multiple of 1024
        Case tc = new Case(n * 7L + m, transA, transB, m, n, k, 1.25f, beta, pad);
        assertThat(tc.ldc % 1024).isZero();
        float[] c = tc.run();
        tc.check(c);
        assertThat(c).isEqualTo(tc.runScalar());
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Case tc = new Case(7, false, false, 45, 65, 33, 1f, 0f, 2);
        float[] c = tc.run();
        tc.check(c);
        for (int i = 0; i < tc.m; i++) {
            for (int j = 0; j < tc.n; j++) assertThat(c[tc.offC + i * tc.ldc + j]).isFinite();
        }
    }

    @Test
    void alphaZeroOrEmptyKOnlyScalesC() {
        float[] a = {Float.NaN, Float.POSITIVE_INFINITY};
        float[] b = {Float.NaN, 1f};
        float[] c = {2f, 4f, 6f, 8f};
        Gemm.sgemm(false, false, 2, 2, 1, 0f, a, 0, 1, b, 0, 2, 0.5f, c, 0, 2);
        assertThat(c).containsExactly(1f, 2f, 3f, 4f);
        Gemm.sgemm(false, false, 2, 2, 0, 1f, a, 0, 1, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(0f, 0f, 0f, 0f);
    }

    @Test
    void resultIsBitwiseIdenticalForAnyThreadCount() {
        int before = Parallel.threads();
        try {
            Case big = new Case(11, false, true, 509, 1021, 257, 1f, 1f, 1);
            Case tall = new Case(12, true, false, 700, 300, 520, 2f, 0f, 0);
            // one row chunk, whose columns are cut by the thread count (an MLP weight gradient)
            Case wide = new Case(13, true, false, 128, 784, 128, 1f, 0f, 0);
            // a dense layer's x·Wᵀ, computed as (W·xᵀ)ᵀ: rows of W in chunks, C stored transposed
            Case layer = new Case(14, false, true, 128, 512, 784, 1f, 1f, 0);
            Parallel.setThreads(1);
            float[] big1 = big.run(), tall1 = tall.run(), wide1 = wide.run(), layer1 = layer.run();
            wide.check(wide1);
            layer.check(layer1);
            assertThat(layer1).isEqualTo(layer.runScalar());
            for (int threads : new int[] {2, 3, 7}) {
                Parallel.setThreads(threads);
                assertThat(big.run()).as("%d threads", threads).isEqualTo(big1);
                assertThat(tall.run()).as("%d threads", threads).isEqualTo(tall1);
                assertThat(wide.run()).as("%d threads", threads).isEqualTo(wide1);
                assertThat(layer.run()).as("%d threads", threads).isEqualTo(layer1);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void rejectsNegativeSizesAndShortLeadingDimensions() {
        float[] x = new float[16];
        assertThatThrownBy(() -> Gemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sgemm: sizes must be >= 0, got m=-1, n=2, k=2");
        assertThatThrownBy(() -> Gemm.sgemm(false, true, 2, 3, 4, 1f, x, 0, 4, x, 0, 3, 0f, x, 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sgemm: leading dimensions lda=4, ldb=3, ldc=3 are smaller than the row widths 4, 4, 3");
    }
}
