package org.jgrad.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every Vector API kernel uses, chosen once. The system property
 * {@code jgrad.vectorBits} (128, 256 or 512) forces a smaller species, so tests can check the
 * kernels on every vector width a user's CPU may have.
 */
final class VectorSupport {

    static final VectorSpecies<Float> F = choose();

    private VectorSupport() {}

    private static VectorSpecies<Float> choose() {
        String bits = System.getProperty("jgrad.vectorBits");
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        int b;
        try {
            b = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jgrad.vectorBits: expected 128, 256 or 512, got '" + bits + "'");
        }
        if (b != 128 && b != 256 && b != 512) {
            throw new IllegalArgumentException("jgrad.vectorBits: expected 128, 256 or 512, got " + b);
        }
        if (b > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new IllegalArgumentException("jgrad.vectorBits: " + b + " bits is wider than this CPU's "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors");
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(b));
    }

    static int lanes() {
        return F.length();
    }

    /** {@code dst[d .. d + 2L) = src[s .. s + 2L)}, L the lane count: a packed sliver row of the GEMM's B. */
    static void copyTwoVectors(float[] src, int s, float[] dst, int d) {
        FloatVector.fromArray(F, src, s).intoArray(dst, d);
        FloatVector.fromArray(F, src, s + F.length()).intoArray(dst, d + F.length());
    }
}
