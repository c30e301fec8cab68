package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The passes over whole gradients: the fixed sum tree, the finiteness check and the copy, on gradients of several chunks. */
class GradientsTest {

    @Test
    void sumTreeAddsInTheFixedPairwiseOrder() {
        float[][][] g = {{{1e8f}}, {{1f}}, {{-1e8f}}, {{1f}}};
        Gradients.sumTree(g, 0, 4);
        // (1e8 + 1) + (−1e8 + 1): each pair rounds its 1 away; left to right would give 1
        assertThat(g[0][0][0]).isEqualTo((1e8f + 1f) + (-1e8f + 1f));
        double[] v = {1, 2, 3};
        Gradients.sumTree(v, 0, 3);
        assertThat(v[0]).isEqualTo(6);
    }

    /** A NaN or infinity anywhere in a gradient of several parallel chunks (and an odd tail) is found, on 1 and 3 threads. */
    @Test
    void allFiniteFindsANonFiniteElementInAnyChunk() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                float[] a = new float[300_007];
                assertThat(Gradients.allFinite(a)).isTrue();
                for (int at : new int[] {0, 65_535, 65_536, 150_000, 300_006}) {
                    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                        a[at] = bad;
                        assertThat(Gradients.allFinite(a)).as("%s at %d, %d threads", bad, at, threads).isFalse();
                        a[at] = 0f;
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void copyCopiesEveryChunk() {
        float[] src = new float[200_003], dst = new float[src.length];
        var rng = new SplittableRandom(1);
        for (int i = 0; i < src.length; i++) src[i] = (float) rng.nextGaussian();
        Gradients.copy(src, dst);
        assertThat(dst).isEqualTo(src);
    }
}
