package org.jgrad.data;

import java.util.SplittableRandom;
import org.jgrad.core.Tensor;

/** Small generated datasets of the course. */
public final class Synthetic {

    private Synthetic() {}

    /**
     * The classic spiral: {@code classes} arms of {@code perClass} points each in the plane, arm k
     * at angles 4·t + 2πk/classes (t from 0 to 1) and radius t, with Gaussian angle noise. Not
     * linearly separable: a linear classifier cuts each arm (about half of a 3-arm spiral right,
     * where chance is a third; see the spiral example), a small ReLU network separates it.
     *
     * @param perClass points per arm
     * @param classes number of arms
     * @param noise standard deviation of the angle noise
     * @param seed seed of the noise
     * @return points {@code [perClass·classes, 2]} and labels {@code [perClass·classes]}
     */
    public static TensorDataset spiral(int perClass, int classes, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = perClass * classes;
        float[] x = new float[n * 2], y = new float[n];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < perClass; i++) {
                int j = k * perClass + i;
                double r = (double) i / perClass;
                double t = k * 2 * Math.PI / classes + 4 * r + noise * rng.nextGaussian();
                x[2 * j] = (float) (r * Math.sin(t));
                x[2 * j + 1] = (float) (r * Math.cos(t));
                y[j] = k;
            }
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }
}
