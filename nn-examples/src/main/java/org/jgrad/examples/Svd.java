package org.jgrad.examples;

import java.util.Arrays;

/**
 * The singular value decomposition A = U·diag(S)·Vᵀ of a small dense matrix, in double precision,
 * by one-sided Jacobi rotations (Hestenes). For the course's examples, where the matrices are a
 * few rows and columns: Jacobi is short, needs no bidiagonalisation, and computes even the small
 * singular values to high relative accuracy, so a 2 × 2 layer weight decomposes exactly enough
 * for its rotations and scalings to be printed and drawn. Not meant for large matrices (each
 * sweep costs O(m·n²) and several sweeps are needed).
 *
 * <p>Shapes: for A of m × n and k = min(m, n), {@code u} is m × k, {@code s} has k entries,
 * descending and non-negative, and {@code v} is n × k; the columns of U and of V are orthonormal,
 * also where a singular value is zero (those columns are completed by Gram–Schmidt, so UᵀU = I
 * holds for rank-deficient and zero matrices too).
 *
 * @param u the left singular vectors as columns, {@code u[i][j]} = row i of column j
 * @param s the singular values, largest first
 * @param v the right singular vectors as columns
 */
public record Svd(double[][] u, double[] s, double[][] v) {

    /** Relative size below which two columns count as orthogonal: a few units of double rounding. */
    private static final double TOL = 1e-15;
    private static final int MAX_SWEEPS = 100;

    /** Decomposes {@code a} (rows of equal length, at least one row and one column); {@code a} is not changed. */
    public static Svd of(double[][] a) {
        int m = a.length;
        if (m == 0 || a[0].length == 0) throw new IllegalArgumentException("Svd: empty matrix");
        int n = a[0].length;
        for (double[] row : a) {
            if (row.length != n) throw new IllegalArgumentException("Svd: ragged matrix, rows of " + n + " and " + row.length);
            for (double x : row) if (!Double.isFinite(x)) throw new IllegalArgumentException("Svd: non-finite entry " + x);
        }
        if (m >= n) return tall(a);
        // A = (Aᵀ)ᵀ = (U'·S·V'ᵀ)ᵀ = V'·S·U'ᵀ: a wide matrix is its transpose's decomposition, sides swapped
        Svd t = tall(transpose(a));
        return new Svd(t.v, t.s, t.u);
    }

    /** The number of singular values, min(m, n). */
    public int rank() {
        return s.length;
    }

    /** U·diag(S)·Vᵀ, the matrix back. */
    public double[][] reconstruct() {
        int m = u.length, n = v.length, k = s.length;
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) sum += u[i][l] * s[l] * v[j][l];
                a[i][j] = sum;
            }
        }
        return a;
    }

    /**
     * m ≥ n. Rotates pairs of columns of W = A·V until every pair is orthogonal; then W = U·diag(S)
     * with S the column norms. Each rotation is the Jacobi rotation that diagonalises the 2 × 2
     * Gram matrix of the pair, so V stays a product of rotations (orthogonal to rounding).
     */
    private static Svd tall(double[][] a) {
        int m = a.length, n = a[0].length;
        double[][] w = new double[n][];   // w[j] = column j: the rotations act on whole columns
        for (int j = 0; j < n; j++) {
            w[j] = new double[m];
            for (int i = 0; i < m; i++) w[j][i] = a[i][j];
        }
        double[][] vc = new double[n][n];   // vc[j] = column j of V
        for (int j = 0; j < n; j++) vc[j][j] = 1;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = dot(w[p], w[p]), beta = dot(w[q], w[q]), gamma = dot(w[p], w[q]);
                    if (gamma == 0 || Math.abs(gamma) <= TOL * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.sqrt(1 + t * t), sn = c * t;
                    rotate(w[p], w[q], c, sn);
                    rotate(vc[p], vc[q], c, sn);
                }
            }
            if (!rotated) break;
        }
        double[] s = new double[n];
        for (int j = 0; j < n; j++) s[j] = Math.sqrt(dot(w[j], w[j]));
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double max = s[order[0]];
        double[] sorted = new double[n];
        double[][] uc = new double[n][], vs = new double[n][];
        for (int r = 0; r < n; r++) {
            int j = order[r];
            sorted[r] = s[j];
            vs[r] = vc[j];
            // a column whose norm is rounding noise has no reliable direction: complete it later instead
            if (s[j] > 0 && s[j] > max * TOL * 8 * Math.max(m, n)) {
                uc[r] = new double[m];
                for (int i = 0; i < m; i++) uc[r][i] = w[j][i] / s[j];
            }
        }
        complete(uc, m);
        return new Svd(columns(uc, m), sorted, columns(vs, n));
    }

    /**
     * Fills the null entries of {@code cols} (vectors of length m) with unit vectors orthogonal to
     * all others: the standard basis vector least represented so far, orthogonalised twice (the
     * second pass removes what rounding left of the first).
     */
    private static void complete(double[][] cols, int m) {
        for (int r = 0; r < cols.length; r++) {
            if (cols[r] != null) continue;
            double[] best = null;
            double bestNorm = -1;
            for (int e = 0; e < m; e++) {
                double[] x = new double[m];
                x[e] = 1;
                for (int pass = 0; pass < 2; pass++) {
                    for (double[] c : cols) {
                        if (c == null) continue;
                        double d = dot(c, x);
                        for (int i = 0; i < m; i++) x[i] -= d * c[i];
                    }
                }
                double norm = Math.sqrt(dot(x, x));
                if (norm > bestNorm) {
                    bestNorm = norm;
                    best = x;
                }
            }
            for (int i = 0; i < m; i++) best[i] /= bestNorm;
            cols[r] = best;
        }
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i], b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += x[i] * y[i];
        return sum;
    }

    /** Vectors given as columns, laid out as a row-major matrix of {@code rows} rows. */
    private static double[][] columns(double[][] cols, int rows) {
        double[][] a = new double[rows][cols.length];
        for (int j = 0; j < cols.length; j++) for (int i = 0; i < rows; i++) a[i][j] = cols[j][i];
        return a;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }
}
