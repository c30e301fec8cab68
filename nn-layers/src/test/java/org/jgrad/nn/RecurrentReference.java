package org.jgrad.nn;

import java.util.Map;
import org.jgrad.core.Tensor;

/**
 * The PyTorch recurrence equations in double, straight from the documentation, one batch row
 * at a time: the oracle the recurrent layers are compared with.
 */
final class RecurrentReference {

    private RecurrentReference() {}

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** W·x + b for W [rows, cols] stored row-major (b may be null). */
    static double[] affine(float[] w, float[] b, double[] x, int rows) {
        int cols = x.length;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = b == null ? 0 : b[r];
            for (int c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    static double[] rnnStep(Map<String, Tensor> p, String sfx, double[] x, double[] h, boolean relu) {
        double[] out = rnnPreActivation(p, sfx, x, h);
        for (int j = 0; j < out.length; j++) out[j] = relu ? Math.max(0, out[j]) : Math.tanh(out[j]);
        return out;
    }

    /** W_ih·x + b_ih + W_hh·h + b_hh, what the RNN's activation is applied to. */
    static double[] rnnPreActivation(Map<String, Tensor> p, String sfx, double[] x, double[] h) {
        int hid = h.length;
        double[] a = affine(p.get("weight_ih" + sfx).data(), p.get("bias_ih" + sfx).data(), x, hid);
        double[] b = affine(p.get("weight_hh" + sfx).data(), p.get("bias_hh" + sfx).data(), h, hid);
        for (int j = 0; j < hid; j++) a[j] += b[j];
        return a;
    }

    /** {h', c'}. */
    static double[][] lstmStep(Map<String, Tensor> p, String sfx, double[] x, double[] h, double[] c) {
        int hid = h.length;
        double[] a = affine(p.get("weight_ih" + sfx).data(), p.get("bias_ih" + sfx).data(), x, 4 * hid);
        double[] b = affine(p.get("weight_hh" + sfx).data(), p.get("bias_hh" + sfx).data(), h, 4 * hid);
        double[] h2 = new double[hid], c2 = new double[hid];
        for (int j = 0; j < hid; j++) {
            double i = sigmoid(a[j] + b[j]);
            double f = sigmoid(a[hid + j] + b[hid + j]);
            double g = Math.tanh(a[2 * hid + j] + b[2 * hid + j]);
            double o = sigmoid(a[3 * hid + j] + b[3 * hid + j]);
            c2[j] = f * c[j] + i * g;
            h2[j] = o * Math.tanh(c2[j]);
        }
        return new double[][] {h2, c2};
    }

    static double[] gruStep(Map<String, Tensor> p, String sfx, double[] x, double[] h) {
        int hid = h.length;
        double[] a = affine(p.get("weight_ih" + sfx).data(), p.get("bias_ih" + sfx).data(), x, 3 * hid);
        double[] b = affine(p.get("weight_hh" + sfx).data(), p.get("bias_hh" + sfx).data(), h, 3 * hid);
        double[] out = new double[hid];
        for (int j = 0; j < hid; j++) {
            double r = sigmoid(a[j] + b[j]);
            double z = sigmoid(a[hid + j] + b[hid + j]);
            double n = Math.tanh(a[2 * hid + j] + r * b[2 * hid + j]);
            out[j] = (1 - z) * n + z * h[j];
        }
        return out;
    }

    /** Row {@code r} of a [rows, n] tensor (or of the [.., rows, n] slab at {@code lead}) as doubles. */
    static double[] row(Tensor t, int index, int n) {
        double[] out = new double[n];
        float[] d = t.data();
        for (int j = 0; j < n; j++) out[j] = d[index * n + j];
        return out;
    }
}
