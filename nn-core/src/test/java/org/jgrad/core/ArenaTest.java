package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.jgrad.core.ops.Arena;
import org.jgrad.core.ops.FloatArray;
import org.junit.jupiter.api.Test;

class ArenaTest {

    @Test
    void arraysComeBackZeroedAndOnlyAfterTheirScopeCloses() {
        float[] outside = FloatArray.zeros(8).data();
        float[] a, b, inner;
        try (var scope = Arena.open()) {
            a = FloatArray.zeros(8).data();
            a[3] = 7f;
            try (var nested = Arena.open()) {
                inner = FloatArray.zeros(8).data();
                assertThat(inner).isNotSameAs(a);
            }
            b = FloatArray.zeros(8).data();                   // the nested scope's array, returned and zeroed
            assertThat(b).isSameAs(inner).containsOnly(0f);
            assertThat(a[3]).isEqualTo(7f);                 // still owned by the outer scope
        }
        try (var next = Arena.open()) {
            float[] again = FloatArray.full(2f, 8).data();
            assertThat(again == a || again == b).isTrue();  // the next step gets the same arrays back
            assertThat(again).containsOnly(2f);
        }
        assertThat(FloatArray.zeros(8).data()).isNotSameAs(a).isNotSameAs(b).isNotSameAs(outside);  // no scope: fresh
    }

    /**
     * A thread keeps at most 64 MiB of free arrays (2^24 elements): a scope whose arrays would go
     * beyond that empties the lists first, so a long-lived thread that ran another model earlier
     * does not keep that model's arrays for ever; a scope larger than the limit keeps nothing.
     */
    @Test
    void freeListsAreBoundedAndEmptiedWhenAStepWouldOverflowThem() {
        float[] small;
        try (var scope = Arena.open()) {
            small = FloatArray.zeros(1000).data();
        }
        try (var scope = Arena.open()) {
            assertThat(FloatArray.zeros(1000).data()).isSameAs(small);      // kept while under the limit
        }
        float[] huge;
        try (var scope = Arena.open()) {
            huge = FloatArray.empty((1 << 24) + 1).data();
        }
        try (var scope = Arena.open()) {
            assertThat(FloatArray.zeros(1000).data()).as("the lists were emptied").isNotSameAs(small);
            assertThat(FloatArray.empty((1 << 24) + 1).data()).as("too large to keep").isNotSameAs(huge);
        }
    }
}
