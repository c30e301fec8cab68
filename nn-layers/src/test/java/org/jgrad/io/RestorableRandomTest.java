package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestorableRandomTest {

    @Test
    void matchesSplitMix64ReferenceValues() {
        // SplitMix64 with seed 0 (Vigna's splitmix64.c): the first outputs
        var r = new RestorableRandom(0);
        assertThat(r.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(r.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(r.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void aSavedStateReplaysEverythingDrawnAfterIt() {
        var r = new RestorableRandom(42);
        for (int i = 0; i < 5; i++) r.nextGaussian();
        long s = r.state();
        double[] a = {r.nextGaussian(), r.nextFloat(), r.nextInt(17), r.nextDouble(), r.nextLong()};
        var copy = RestorableRandom.fromState(s);
        assertThat(new double[] {copy.nextGaussian(), copy.nextFloat(), copy.nextInt(17), copy.nextDouble(), copy.nextLong()}).isEqualTo(a);
        r.setState(s);
        assertThat(r.nextGaussian()).isEqualTo(a[0]);
    }

    @Test
    void looksUniform() {
        var r = new RestorableRandom(new SplittableRandom(3).nextLong());
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[r.nextInt(10)]++;
        for (int c : counts) assertThat(c).isBetween(9_500, 10_500);
    }
}
