package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sizes no tensor can have are argument errors naming the op and the element count, checked
 * before anything is allocated (arange(0, 3e9, 1) was an OutOfMemoryError: a cast to int had
 * saturated the count at 2^31 − 1).
 */
class SizeLimitsTest {

    private static final String LIMIT = "more than the 2147483639 elements a tensor can hold";

    @Test
    void arangeCountsItsElementsBeforeAllocating() {
        assertThatThrownBy(() -> Tensor.arange(0f, 3e9f, 1f))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("arange: start 0.0, end 3.0E9, step 1.0 give 3000000000 elements, " + LIMIT);
        // the step as a float: 1e-12f is 9.99999996e-13
        assertThatThrownBy(() -> Tensor.arange(0f, 1f, 1e-12f))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("arange: start 0.0, end 1.0, step 1.0E-12 give 1000000003996 elements, " + LIMIT);
        assertThatThrownBy(() -> Tensor.arange(0f, Float.POSITIVE_INFINITY, 1f))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("arange: start and end must be finite, got start 0.0, end Infinity");
        assertThatThrownBy(() -> Tensor.arange(Float.NaN, 1f, 1f))
                .hasMessage("arange: start and end must be finite, got start NaN, end 1.0");
        assertThatThrownBy(() -> Tensor.arange(0f, 1f, Float.POSITIVE_INFINITY))
                .hasMessage("arange: step must be non-zero and finite, got Infinity");
        // what still works
        assertThat(Tensor.arange(0f, 1f, Float.MAX_VALUE).toArray()).containsExactly(0f);
        assertThat(Tensor.arange(5f, 1f, 1f).numel()).isZero();
    }

    @Test
    void creationNamesTheOpAndTheCount() {
        assertThatThrownBy(() -> Tensor.zeros(100000, 100000))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("zeros: shape [100000, 100000] has 10000000000 elements, " + LIMIT);
        assertThatThrownBy(() -> Tensor.ones(65536, 65536, 65536, 65536, 65536))
                .hasMessage("ones: shape [65536, 65536, 65536, 65536, 65536] has 1208925819614629174706176 elements, " + LIMIT);
        assertThatThrownBy(() -> Tensor.full(2f, 3, Integer.MAX_VALUE))
                .hasMessage("full: shape [3, 2147483647] has 6442450941 elements, " + LIMIT);
        assertThatThrownBy(() -> Tensor.rand(new SplittableRandom(1), 50000, 50000))
                .hasMessage("rand: shape [50000, 50000] has 2500000000 elements, " + LIMIT);
        assertThatThrownBy(() -> Tensor.randn(new SplittableRandom(1), 50000, 50000))
                .hasMessage("randn: shape [50000, 50000] has 2500000000 elements, " + LIMIT);
        // just past the largest Java array (was OutOfMemoryError: Requested array size exceeds VM limit)
        assertThatThrownBy(() -> Tensor.zeros(Integer.MAX_VALUE))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("zeros: shape [2147483647] has 2147483647 elements, " + LIMIT);
        // a broadcast to a shape too large (an outer sum by mistake)
        assertThatThrownBy(() -> Tensor.zeros(100000, 1).add(Tensor.zeros(1, 100000)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("add: shapes [100000, 1] and [1, 100000] broadcast to [100000, 100000], which has 10000000000 elements, " + LIMIT);
        assertThat(Tensor.zeros(100000, 100000, 0).numel()).isZero();
        assertThat(Tensor.zeros(100000, 1, 0).add(Tensor.zeros(1, 100000, 1)).shape()).containsExactly(100000, 100000, 0);
    }

    /** A tensor the JVM's maximum heap cannot hold however empty it is: said up front, with the flag to raise. */
    @Test
    void aTensorLargerThanTheWholeHeapSaysSo() {
        long max = Runtime.getRuntime().maxMemory();
        assumeThat(max).isLessThan(8L * 2_000_000_000);
        assertThatThrownBy(() -> Tensor.zeros(2_000_000_000))
                .isExactlyInstanceOf(OutOfMemoryError.class)
                .hasMessageStartingWith("zeros: shape [2000000000] needs 7.5 GiB (2000000000 floats), more than this JVM's"
                        + " maximum heap of ")
                .hasMessageEndingWith(" GiB; raise it with -Xmx");
    }
}
