package org.jgrad.core.kernels;

import java.util.SplittableRandom;

/** Seeded test data shared by the conv and pooling kernel tests. */
final class ConvKernelsTestData {

    private ConvKernelsTestData() {}

    /** Uniform in [−1, 1). */
    static float[] random(SplittableRandom rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }
}
