package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SvdTest {

    /** Checks the three defining properties and the shapes; returns the decomposition. */
    static Svd checked(double[][] a, String what) {
        int m = a.length, n = a[0].length, k = Math.min(m, n);
        Svd d = Svd.of(a);
        assertThat(d.u().length).as(what).isEqualTo(m);
        assertThat(d.u()[0].length).as(what).isEqualTo(k);
        assertThat(d.v().length).as(what).isEqualTo(n);
        assertThat(d.v()[0].length).as(what).isEqualTo(k);
        assertThat(d.s()).as(what).hasSize(k);
        for (int i = 0; i < k; i++) {
            assertThat(d.s()[i]).as(what).isGreaterThanOrEqualTo(0);
            if (i > 0) assertThat(d.s()[i]).as(what).isLessThanOrEqualTo(d.s()[i - 1]);
        }
        double norm = frobenius(a);
        assertThat(frobenius(minus(d.reconstruct(), a))).as("%s: reconstruction", what).isLessThanOrEqualTo(1e-12 * norm);
        assertOrthonormalColumns(d.u(), what + ": UᵀU");
        assertOrthonormalColumns(d.v(), what + ": VᵀV");
        return d;
    }

    static void assertOrthonormalColumns(double[][] q, String what) {
        int k = q[0].length;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0;
                for (double[] row : q) dot += row[a] * row[b];
                assertThat(dot).as("%s [%d][%d]", what, a, b).isCloseTo(a == b ? 1 : 0, offset(1e-12));
            }
        }
    }

    static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) for (double x : row) s += x * x;
        return Math.sqrt(s);
    }

    static double[][] minus(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = a[i][j] - b[i][j];
        return c;
    }

    static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) for (int l = 0; l < b.length; l++) c[i][j] += a[i][l] * b[l][j];
        }
        return c;
    }

    static double[][] random(SplittableRandom rng, int m, int n) {
        double[][] a = new double[m][n];
        for (double[] row : a) for (int j = 0; j < n; j++) row[j] = rng.nextDouble(-1, 1);
        return a;
    }

    static double[][] rotation(double angle) {
        return new double[][] {{Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}};
    }

    @Test
    void randomShapesDecompose() {
        int[][] shapes = {{1, 1}, {2, 2}, {3, 2}, {2, 3}, {5, 5}, {7, 3}, {3, 7}, {1, 4}, {4, 1}, {8, 8}};
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int[] sh : shapes) checked(random(rng, sh[0], sh[1]), sh[0] + "x" + sh[1] + " seed " + seed);
        }
    }

    @Test
    void rankDeficientAndZeroMatricesStillHaveOrthonormalFactors() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            // rank 1 of 5 x 4, rank 2 of 6 x 6, rank 2 of 3 x 7: products of thin random factors
            int[][] shapes = {{5, 4, 1}, {6, 6, 2}, {3, 7, 2}, {2, 2, 1}, {7, 3, 1}};
            for (int[] sh : shapes) {
                double[][] a = times(random(rng, sh[0], sh[2]), random(rng, sh[2], sh[1]));
                Svd d = checked(a, "rank " + sh[2] + " of " + sh[0] + "x" + sh[1] + " seed " + seed);
                for (int i = sh[2]; i < d.s().length; i++) assertThat(d.s()[i]).isLessThan(1e-14 * d.s()[0]);
            }
        }
        // a repeated column: rank 1 with two equal columns
        Svd twin = checked(new double[][] {{1, 1}, {2, 2}, {3, 3}}, "twin columns");
        assertThat(twin.s()[0]).isCloseTo(Math.sqrt(28), offset(1e-14));
        assertThat(twin.s()[1]).isLessThan(1e-15);
        for (int[] sh : new int[][] {{1, 1}, {3, 3}, {4, 2}, {2, 4}}) {
            Svd z = checked(new double[sh[0]][sh[1]], "zero " + sh[0] + "x" + sh[1]);
            for (double s : z.s()) assertThat(s).isZero();
        }
    }

    @Test
    void singularValuesOfMatricesBuiltFromKnownFactors() {
        // a diagonal matrix: |d_i| sorted, whatever the signs and order
        Svd diag = checked(new double[][] {{-2, 0, 0}, {0, 5, 0}, {0, 0, 0.5}}, "diag");
        assertThat(diag.s()).containsExactly(new double[] {5, 2, 0.5}, offset(1e-14));
        // R(a)·diag(3, 0.25)·R(b)ᵀ: singular values 3 and 0.25, and v1 = ±(cos b, sin b)
        for (double a : new double[] {0, 0.3, 1.9, -2.6}) {
            for (double b : new double[] {0, 0.7, -1.2, 3.0}) {
                double[][] m = times(times(rotation(a), new double[][] {{3, 0}, {0, 0.25}}), Svd.transpose(rotation(b)));
                Svd d = checked(m, "R(" + a + ") S R(" + b + ")ᵀ");
                assertThat(d.s()).containsExactly(new double[] {3, 0.25}, offset(1e-14));
                assertThat(Math.abs(d.v()[0][0] * Math.cos(b) + d.v()[1][0] * Math.sin(b))).isCloseTo(1, offset(1e-13));
                assertThat(Math.abs(d.u()[0][0] * Math.cos(a) + d.u()[1][0] * Math.sin(a))).isCloseTo(1, offset(1e-13));
            }
        }
        // an orthogonal matrix (a reflection here) has all singular values 1
        double[][] reflect = times(rotation(0.8), new double[][] {{1, 0}, {0, -1}});
        assertThat(checked(reflect, "reflection").s()).containsExactly(new double[] {1, 1}, offset(1e-14));
        // equal singular values of a 3 x 2 with orthogonal columns of length 2
        assertThat(checked(new double[][] {{2, 0}, {0, 0}, {0, 2}}, "equal").s()).containsExactly(new double[] {2, 2}, offset(1e-14));
    }

    @Test
    void twoByTwoSingularValuesAreSquareRootsOfTheEigenvaluesOfAtA() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            double[][] a = random(rng, 2, 2);
            // AᵀA = [[p, q], [q, r]]: eigenvalues (p + r)/2 ± sqrt(((p − r)/2)² + q²)
            double p = a[0][0] * a[0][0] + a[1][0] * a[1][0], r = a[0][1] * a[0][1] + a[1][1] * a[1][1];
            double q = a[0][0] * a[0][1] + a[1][0] * a[1][1];
            double mid = (p + r) / 2, rad = Math.hypot((p - r) / 2, q);
            double big = Math.sqrt(mid + rad), small = Math.sqrt(Math.max(0, mid - rad));
            Svd d = checked(a, "2x2 trial " + trial);
            assertThat(d.s()[0]).isCloseTo(big, offset(1e-12 * big));
            // the subtraction mid − rad loses digits when the matrix is nearly singular: bound by what it can hold
            double det = Math.abs(a[0][0] * a[1][1] - a[0][1] * a[1][0]);
            assertThat(d.s()[1]).isCloseTo(small, offset(1e-12 * big + 1e-15 * big * big / Math.max(small, 1e-300)));
            // and exactly enough: σ1·σ2 = |det A|, σ1² + σ2² = ‖A‖²
            assertThat(d.s()[0] * d.s()[1]).isCloseTo(det, offset(1e-13 * big * big));
            assertThat(d.s()[0] * d.s()[0] + d.s()[1] * d.s()[1]).isCloseTo(p + r, offset(1e-13 * (p + r)));
        }
    }

    @Test
    void emptyRaggedAndNonFiniteMatricesAreRefused() {
        assertThatThrownBy(() -> Svd.of(new double[0][])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Svd.of(new double[][] {{1, 2}, {3}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ragged");
        assertThatThrownBy(() -> Svd.of(new double[][] {{1, Double.NaN}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
    }
}
