package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class SequentialSliceTest {

    @Test
    void aSliceSharesTheModulesAndTheirNames() {
        var rng = new SplittableRandom(1);
        var net = new Sequential(new Linear(4, 6, rng), new Tanh(), new Linear(6, 3, rng), new Sigmoid());
        Sequential head = net.slice(0, 2), tail = net.slice(2, 4);
        assertThat(head.namedParameters().keySet()).containsExactly("0.weight", "0.bias");
        assertThat(tail.namedParameters().keySet()).containsExactly("2.weight", "2.bias");
        assertThat(head.parameters().get(0)).isSameAs(net.parameters().get(0));
        Tensor x = Tensor.randn(new SplittableRandom(2), 5, 4);
        try (var off = GradMode.off()) {
            assertThat(tail.forward(head.forward(x)).toArray()).isEqualTo(net.forward(x).toArray());
            assertThat(head.forward(x).toArray()).isEqualTo(net.get(1).forward(net.get(0).forward(x)).toArray());
        }
        assertThat(net.slice(1, 1).size()).isZero();
    }

    @Test
    void rangesOutsideTheModulesAreRefused() {
        var net = new Sequential(new Tanh(), new Tanh());
        assertThatThrownBy(() -> net.slice(1, 3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Sequential.slice: expected 0 ≤ from ≤ to ≤ 2, got from 1, to 3");
        assertThatThrownBy(() -> net.slice(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> net.slice(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
