package org.jgrad.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunsTest {

    @Test
    void addMatchesItsScalarTwinForAllLengthsAndOffsets() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int len = 0; len <= 70; len++) {
            for (int off = 0; off < 3; off++) {
                float[] src = ConvKernelsTestData.random(rnd, len + 5);
                float[] dst = ConvKernelsTestData.random(rnd, len + 5);
                float[] want = dst.clone();
                Runs.addScalar(src, off + 1, want, off, len, 0);
                Runs.add(src, off + 1, dst, off, len);
                assertThat(dst).as("len %d off %d", len, off).containsExactly(want);
            }
        }
    }
}
