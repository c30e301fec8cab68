package org.jgrad.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API twins of {@link Runs}; only touched when {@link Simd#ENABLED}. */
final class VectorRuns {

    private static final VectorSpecies<Float> F = VectorSupport.F;

    private VectorRuns() {}

    static void add(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        int i = 0;
        int bound = F.loopBound(len);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, dst, dstOff + i)
                    .add(FloatVector.fromArray(F, src, srcOff + i))
                    .intoArray(dst, dstOff + i);
        }
        Runs.addScalar(src, srcOff, dst, dstOff, len, i);
    }
}
