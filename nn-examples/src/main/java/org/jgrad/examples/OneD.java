package org.jgrad.examples;

import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Module;

/** Helpers of the 1-D examples: x values as a column tensor, a network's curve, float/double copies. */
final class OneD {

    private OneD() {}

    /** The values as a [n, 1] tensor: n samples of one feature. */
    static Tensor column(double[] v) {
        return Tensor.of(floats(v), v.length, 1);
    }

    /** The network's output at each x, without recording a graph (the caller sets train/eval). */
    static double[] curve(Module net, double[] x) {
        try (var off = GradMode.off()) {
            return doubles(net.forward(column(x)).toArray());
        }
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** Plot data (XChart takes doubles) from a tensor's values. */
    static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
