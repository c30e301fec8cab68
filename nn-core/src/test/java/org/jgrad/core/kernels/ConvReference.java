package org.jgrad.core.kernels;

/**
 * Direct (nested loops, double precision) convolution and its exact adjoints, the oracle for
 * the conv kernels. Each result comes with the sum of |terms| per element, for error bounds.
 */
final class ConvReference {

    final double[] value;
    final double[] magnitude;
    final int length;   // reduction length per element (for the bound)

    private ConvReference(int size, int length) {
        this.value = new double[size];
        this.magnitude = new double[size];
        this.length = length;
    }

    private static int ih(ConvGeometry g, int p, int r) { return p * g.strideH - g.padH + r * g.dilH; }

    private static int iw(ConvGeometry g, int q, int s) { return q * g.strideW - g.padW + s * g.dilW; }

    /** Input channels per group. */
    private static int cg(ConvGeometry g) { return g.c / g.groups; }

    /** The first input channel output channel k sees. */
    private static int first(ConvGeometry g, int k) { return k / (g.k / g.groups) * cg(g); }

    /** Index of w[k][c − first(k)][r][s] in a [K, C/groups, R, S] weight. */
    private static int weight(ConvGeometry g, int k, int c, int r, int s) {
        return ((k * cg(g) + c - first(g, k)) * g.r + r) * g.s + s;
    }

    static ConvReference forward(ConvGeometry g, float[] x, float[] w, float[] b) {
        ConvReference ref = new ConvReference(g.n * g.outputSize(), g.colRows() + 1);
        for (int n = 0; n < g.n; n++)
            for (int k = 0; k < g.k; k++)
                for (int p = 0; p < g.p; p++)
                    for (int q = 0; q < g.q; q++) {
                        double sum = b == null ? 0 : b[k], mag = b == null ? 0 : Math.abs(b[k]);
                        for (int c = first(g, k); c < first(g, k) + cg(g); c++)
                            for (int r = 0; r < g.r; r++)
                                for (int s = 0; s < g.s; s++) {
                                    int h = ih(g, p, r), ww = iw(g, q, s);
                                    if (h < 0 || h >= g.h || ww < 0 || ww >= g.w) continue;
                                    double t = (double) w[weight(g, k, c, r, s)]
                                            * x[((n * g.c + c) * g.h + h) * g.w + ww];
                                    sum += t;
                                    mag += Math.abs(t);
                                }
                        int o = ((n * g.k + k) * g.p + p) * g.q + q;
                        ref.value[o] = sum;
                        ref.magnitude[o] = mag;
                    }
        return ref;
    }

    static ConvReference input(ConvGeometry g, float[] dy, float[] w) {
        ConvReference ref = new ConvReference(g.n * g.inputSize(), g.k / g.groups * g.r * g.s);
        for (int n = 0; n < g.n; n++)
            for (int k = 0; k < g.k; k++)
                for (int p = 0; p < g.p; p++)
                    for (int q = 0; q < g.q; q++)
                        for (int c = first(g, k); c < first(g, k) + cg(g); c++)
                            for (int r = 0; r < g.r; r++)
                                for (int s = 0; s < g.s; s++) {
                                    int h = ih(g, p, r), ww = iw(g, q, s);
                                    if (h < 0 || h >= g.h || ww < 0 || ww >= g.w) continue;
                                    double t = (double) w[weight(g, k, c, r, s)]
                                            * dy[((n * g.k + k) * g.p + p) * g.q + q];
                                    int o = ((n * g.c + c) * g.h + h) * g.w + ww;
                                    ref.value[o] += t;
                                    ref.magnitude[o] += Math.abs(t);
                                }
        return ref;
    }

    static ConvReference weight(ConvGeometry g, float[] x, float[] dy) {
        ConvReference ref = new ConvReference(g.weightSize(), g.n * g.p * g.q);
        for (int n = 0; n < g.n; n++)
            for (int k = 0; k < g.k; k++)
                for (int p = 0; p < g.p; p++)
                    for (int q = 0; q < g.q; q++)
                        for (int c = first(g, k); c < first(g, k) + cg(g); c++)
                            for (int r = 0; r < g.r; r++)
                                for (int s = 0; s < g.s; s++) {
                                    int h = ih(g, p, r), ww = iw(g, q, s);
                                    if (h < 0 || h >= g.h || ww < 0 || ww >= g.w) continue;
                                    double t = (double) x[((n * g.c + c) * g.h + h) * g.w + ww]
                                            * dy[((n * g.k + k) * g.p + p) * g.q + q];
                                    int o = weight(g, k, c, r, s);
                                    ref.value[o] += t;
                                    ref.magnitude[o] += Math.abs(t);
                                }
        return ref;
    }

    static ConvReference bias(ConvGeometry g, float[] dy) {
        ConvReference ref = new ConvReference(g.k, g.n * g.p * g.q);
        for (int n = 0; n < g.n; n++)
            for (int k = 0; k < g.k; k++)
                for (int j = 0; j < g.p * g.q; j++) {
                    double t = dy[(n * g.k + k) * g.p * g.q + j];
                    ref.value[k] += t;
                    ref.magnitude[k] += Math.abs(t);
                }
        return ref;
    }

    /** Fails with the worst element when {@code got} is off by more than (length + 2)·2ε·Σ|terms|. */
    void assertClose(String what, float[] got, int off) {
        double eps = Math.ulp(1f);
        for (int i = 0; i < value.length; i++) {
            double tol = (length + 2) * 2 * eps * magnitude[i] + 1e-30;
            double err = Math.abs(got[off + i] - value[i]);
            if (!(err <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + got[off + i] + ", expected "
                        + value[i] + " (error " + err + " > bound " + tol + ")");
            }
        }
    }
}
