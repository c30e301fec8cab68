package org.jgrad.examples;

import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.nn.Module;

/** Helpers of the 1-D regression examples: x values as a column tensor, and a network's curve. */
final class OneD {

    private OneD() {}

    /** The values as a [n, 1] tensor: n samples of one feature. */
    static Tensor column(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.of(f, v.length, 1);
    }

    /** The network's output at each x, without recording a graph (the caller sets train/eval). */
    static double[] curve(Module net, double[] x) {
        try (var off = GradMode.off()) {
            float[] v = net.forward(column(x)).toArray();
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) out[i] = v[i];
            return out;
        }
    }
}
