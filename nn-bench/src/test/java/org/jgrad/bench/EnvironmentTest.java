package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentTest {

    /**
     * The round trip between two threads is a positive time of a cache line's scale (tens to
     * hundreds of ns; a descheduled thread moves one block of five, not the median), and the echo
     * thread ends with it; with one CPU it is NaN.
     */
    @Test
    void coreRoundTripIsMeasuredBetweenTwoThreads() {
        long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("jgrad-round-trip")).count();
        double ns = Environment.coreRoundTripNanos();
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertThat(ns).isNaN();
            return;
        }
        assertThat(ns).isPositive().isLessThan(100_000);
        long after = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("jgrad-round-trip") && t.isAlive()).count();
        assertThat(after).as("the echo thread has ended").isEqualTo(before);
    }
}
