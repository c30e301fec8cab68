package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AutogradTest {

    /** f(x) = (x1·x2·sin x3 + e^(x1·x2)) / x3 at (1, 2, π/2), the lecture's reverse-mode example. */
    @Test
    void lectureExampleOne() {
        Tensor x1 = Tensor.scalar(1f).requiresGrad(), x2 = Tensor.scalar(2f).requiresGrad();
        Tensor x3 = Tensor.scalar((float) (Math.PI / 2)).requiresGrad();
        Tensor x4 = x1.mul(x2);
        Tensor f = x4.mul(x3.sin()).add(x4.exp()).div(x3);
        f.backward();
        double e2 = Math.exp(2), pi = Math.PI;
        assertThat((double) f.item()).isCloseTo((2 + e2) / (pi / 2), offset(1e-5));
        assertThat((double) x1.grad().item()).isCloseTo((4 + 4 * e2) / pi, offset(1e-5));
        assertThat((double) x2.grad().item()).isCloseTo((2 + 2 * e2) / pi, offset(1e-5));
        assertThat((double) x3.grad().item()).isCloseTo((-8 - 4 * e2) / (pi * pi), offset(1e-5));
    }

    /** y1 = sin(x1·x2), y2 = x1·x2 + log x2 at (2, 3): reverse pass from y1. */
    @Test
    void lectureExampleTwo() {
        Tensor x1 = Tensor.scalar(2f).requiresGrad(), x2 = Tensor.scalar(3f).requiresGrad();
        Tensor p = x1.mul(x2);
        Tensor y1 = p.sin();
        Tensor y2 = p.add(x2.log());
        y1.backward(null, true);
        assertThat((double) x1.grad().item()).isCloseTo(3 * Math.cos(6), offset(1e-6));
        assertThat((double) x2.grad().item()).isCloseTo(2 * Math.cos(6), offset(1e-6));
        Tensor[] g2 = Autograd.grad(y2, x1, x2);
        assertThat((double) g2[0].item()).isCloseTo(3, offset(1e-6));
        assertThat((double) g2[1].item()).isCloseTo(2 + 1.0 / 3, offset(1e-6));
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}).requiresGrad();
        w.mul(2f).sum().backward();
        w.mul(3f).sum().backward();
        assertThat(w.grad().toArray()).containsExactly(5, 5, 5);
        w.zeroGrad();
        assertThat(w.grad()).isNull();
    }

    /** The gradient lives in one array across steps: in-place accumulation, reuse after zeroGrad, never under a user's feet. */
    @Test
    void gradientArraysAreReusedOnlyWhenNobodyElseHoldsThem() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}).requiresGrad();
        w.mul(2f).sum().backward();
        float[] first = w.gradData();
        w.mul(3f).sum().backward();
        assertThat(w.gradData()).as("accumulated in place").isSameAs(first).containsExactly(5, 5, 5);
        w.zeroGrad();
        assertThat(w.grad()).isNull();
        assertThat(w.gradData()).isNull();
        w.mul(4f).sum().backward();
        assertThat(w.gradData()).as("written into the cleared array, not added to it").isSameAs(first).containsExactly(4, 4, 4);

        Tensor held = w.grad();                  // a user keeps the gradient of this step
        w.zeroGrad();
        w.mul(7f).sum().backward();
        assertThat(held.toArray()).as("a held gradient keeps its values").containsExactly(4, 4, 4);
        assertThat(w.gradData()).isNotSameAs(first).containsExactly(7, 7, 7);

        Tensor given = Tensor.of(new float[] {1, 1, 1});
        w.setGrad(given);
        w.zeroGrad();
        w.mul(2f).sum().backward();
        assertThat(given.toArray()).as("a tensor passed to setGrad is not reused after zeroGrad").containsExactly(1, 1, 1);
        assertThat(w.grad().toArray()).containsExactly(2, 2, 2);
    }

    /**
     * Layers write their weight's gradient straight into the array of the step before (after
     * zeroGrad) instead of a fresh array that is then copied: the same array, and exactly the values
     * a functional grad computes from scratch — through the fused linear+ReLU too, for a weight
     * shared by two or three layers (the later uses' contributions added to the first in the order a
     * fresh pass adds them: (g1 + g2) + g3), for a weight that is
     * both operands of one op (not offered: one array cannot take two slots), and for a convolution's
     * weight and bias.
     */
    @Test
    void layersWriteWeightGradientsIntoTheReusedArray() {
        SplittableRandom rnd = new SplittableRandom(5);
        Tensor w = Tensor.randn(rnd, 3, 3).requiresGrad(), b = Tensor.randn(rnd, 3).requiresGrad();
        Tensor k = Tensor.randn(rnd, 2, 1, 3, 3).requiresGrad(), kb = Tensor.randn(rnd, 2).requiresGrad();
        int[] one = {1, 1};
        record Case(Tensor param, java.util.function.Function<Tensor, Tensor> loss) {}
        java.util.List<Case> cases = java.util.List.of(
                new Case(w, x -> Functional.linear(x, w, b).pow(2f).sum()),
                new Case(w, x -> Functional.linearRelu(x, w, b).sum()),
                new Case(w, x -> Functional.linear(Functional.linear(x, w, null).tanh(), w, b).pow(2f).sum()),
                new Case(w, x -> Functional.linear(Functional.linear(Functional.linear(x, w, null).tanh(), w, null).tanh(), w, b)
                        .pow(2f).sum()),
                new Case(w, x -> Functional.linear(w, w, b).mul(x.sum()).sum()),
                new Case(k, x -> Functional.conv2d(x.reshape(1, 1, 5, 3), k, kb, one, one, one, 1).pow(2f).sum()),
                new Case(kb, x -> Functional.conv2d(x.reshape(1, 1, 5, 3), k, kb, one, one, one, 1).pow(2f).sum()));
        for (Case c : cases) {
            c.param().zeroGrad();
            c.loss().apply(Tensor.randn(rnd, 5, 3)).backward();
            float[] array = c.param().gradData();
            for (int step = 0; step < 3; step++) {
                Tensor x = Tensor.randn(rnd, 5, 3);
                float[] expected = Autograd.grad(c.loss().apply(x), c.param())[0].toArray();
                c.param().zeroGrad();
                c.loss().apply(x).backward();
                assertThat(c.param().gradData()).isSameAs(array).containsExactly(expected);
            }
        }
    }

    /**
     * A backward pass takes its arrays from the thread's arena and gives them back: a leaf's first
     * gradient (no array to reuse yet) is a copy, so later passes over other graphs of the same
     * sizes, which get those arrays again, leave it alone.
     */
    @Test
    void aGradientOutlivesTheArraysOfItsPass() {
        SplittableRandom rnd = new SplittableRandom(9);
        Tensor w = Tensor.randn(rnd, 4, 3).requiresGrad(), v = Tensor.randn(rnd, 4, 3).requiresGrad();
        Tensor x = Tensor.randn(rnd, 6, 3);
        Functional.linear(x, w, null).tanh().mul(x.sum(1).reshape(6, 1)).sum().backward();
        float[] before = w.grad().toArray();
        for (int step = 0; step < 3; step++) {
            v.zeroGrad();
            Functional.linear(Tensor.randn(rnd, 6, 3), v, null).tanh().mul(x.sum(1).reshape(6, 1)).sum().backward();
        }
        assertThat(w.grad().toArray()).containsExactly(before);
    }

    /** A parameter used by two layers (shared weights) gets both contributions, step after step. */
    @Test
    void sharedParameterAccumulatesBothUsesEveryStep() {
        Tensor w = Tensor.of(new float[] {2f}).requiresGrad();
        for (int step = 0; step < 3; step++) {
            w.zeroGrad();
            Tensor x = Tensor.of(new float[] {3f});
            x.mul(w).mul(w).sum().backward();   // d(3w²)/dw = 6w
            assertThat(w.grad().item()).isEqualTo(12f);
        }
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.scalar(3f).requiresGrad();
        x.mul(x).add(x).backward();
        assertThat(x.grad().item()).isEqualTo(7f);
    }

    @Test
    void secondBackwardThroughAFreedGraphIsAClearError() {
        Tensor x = Tensor.scalar(2f).requiresGrad();
        Tensor y = x.exp().mul(x);
        y.backward();
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already freed").hasMessageContaining("retainGraph");
        Tensor z = x.exp().mul(x);
        z.backward(null, true);
        z.backward();
        assertThat((double) x.grad().item()).isCloseTo(3 * 3 * Math.exp(2), offset(1e-3));
    }

    @Test
    void backwardOnNonScalarNeedsAGradient() {
        Tensor x = Tensor.ones(2, 3).requiresGrad();
        Tensor y = x.mul(2f);
        assertThatThrownBy(y::backward).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backward: output of shape [2, 3] is not a scalar; pass a gradient of that shape");
        assertThatThrownBy(() -> y.backward(Tensor.ones(3))).hasMessageContaining("gradient of shape [3] does not match output of shape [2, 3]");
        y.backward(Tensor.full(0.5f, 2, 3));
        assertThat(x.grad().toArray()).containsOnly(1f);
    }

    @Test
    void backwardOnATensorWithoutGraphIsAClearError() {
        assertThatThrownBy(() -> Tensor.scalar(1f).backward()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not require grad");
    }

    @Test
    void longChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1f).requiresGrad();
        Tensor y = x;
        for (int i = 0; i < 10_000; i++) y = y.mul(1.0001f);
        y.backward();
        assertThat((double) x.grad().item()).isCloseTo(Math.pow(1.0001, 10_000), offset(1e-2));
    }

    @Test
    void gradModeOffRecordsNothing() {
        Tensor w = Tensor.ones(3).requiresGrad();
        Tensor y;
        try (var off = GradMode.off()) {
            y = w.mul(2f);
            assertThat(GradMode.isEnabled()).isFalse();
            try (var on = GradMode.on()) {
                assertThat(w.mul(2f).isRequiresGrad()).isTrue();
            }
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(y.isRequiresGrad()).isFalse();
        assertThat(y.gradFn()).isNull();
        assertThat(Tensor.ones(3).mul(2f).gradFn()).as("no input needs grad").isNull();
    }

    @Test
    void broadcastingIsUndoneInBackward() {
        Tensor a = Tensor.ones(2, 3).requiresGrad();
        Tensor b = Tensor.of(new float[] {1, 2, 3}).requiresGrad();
        Tensor c = Tensor.scalar(2f).requiresGrad();
        a.mul(b).add(c).sum().backward();
        assertThat(b.grad().shape()).containsExactly(3);
        assertThat(b.grad().toArray()).containsExactly(2, 2, 2);
        assertThat(c.grad().shape()).isEmpty();
        assertThat(c.grad().item()).isEqualTo(6f);
        assertThat(a.grad().toArray()).containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void functionalGradLeavesGradFieldsAlone() {
        Tensor w = Tensor.randn(new SplittableRandom(1), 3, 2).requiresGrad();
        Tensor x = Tensor.randn(new SplittableRandom(2), 4, 3);
        Tensor loss = x.matmul(w).tanh().sum();
        Tensor[] g = Autograd.grad(loss, w);
        assertThat(w.grad()).isNull();
        loss = x.matmul(w).tanh().sum();
        loss.backward();
        assertThat(w.grad().toArray()).containsExactly(g[0].toArray());
    }

    @Test
    void gradOfAnUnusedInputIsZero() {
        Tensor a = Tensor.ones(2).requiresGrad(), b = Tensor.ones(3).requiresGrad();
        Tensor[] g = Autograd.grad(a.sum(), a, b);
        assertThat(g[1].toArray()).containsExactly(0, 0, 0);
    }

    @Test
    void gradIntoWritesTheSameGradientsIntoTheCallersArrays() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}).requiresGrad(), b = Tensor.of(new float[] {4, 5}).requiresGrad();
        float[][] into = {{9, 9, 9}, {9, 9}};
        Autograd.gradInto(a.mul(a).sum(), new Tensor[] {a, b}, into);
        assertThat(into[0]).containsExactly(2, 4, 6);
        assertThat(into[1]).containsExactly(0, 0);                      // unused: zeros, not the old contents
        assertThat(into[0]).containsExactly(Autograd.grad(a.mul(a).sum(), a)[0].toArray());
        assertThatThrownBy(() -> Autograd.gradInto(a.sum(), new Tensor[] {a}, new float[][] {new float[2]}))
                .hasMessage("Autograd.gradInto: array 0 has 2 floats, input 0 has shape [3]");
    }

    /**
     * gradInto offers the caller's arrays to the layers, which write a weight's gradient straight
     * into them (no copy): the same bits as a functional grad, for a weight used once and three
     * times, a convolution's weight and bias, an input listed twice (the second array gets a copy)
     * and an input that is not a leaf (never offered: its own backward must still run).
     */
    @Test
    void gradIntoLetsLayersWriteIntoTheCallersArraysWithTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(11);
        Tensor w = Tensor.randn(rnd, 3, 3).requiresGrad(), b = Tensor.randn(rnd, 3).requiresGrad();
        Tensor k = Tensor.randn(rnd, 2, 1, 3, 3).requiresGrad(), kb = Tensor.randn(rnd, 2).requiresGrad();
        int[] one = {1, 1};
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.randn(rnd, 5, 3);
            Tensor h = Functional.linear(x, w, null);
            Tensor hidden = Functional.linear(Functional.linear(h.tanh(), w, null).tanh(), w, b);
            Tensor conv = Functional.conv2d(x.reshape(1, 1, 5, 3), k, kb, one, one, one, 1);
            java.util.function.Supplier<Tensor> loss = () -> hidden.pow(2f).sum().add(conv.pow(2f).sum());
            Tensor[] inputs = {w, b, k, kb, w, h};
            Tensor[] expected = Autograd.grad(loss.get(), null, true, inputs);
            float[][] into = new float[inputs.length][];
            for (int i = 0; i < inputs.length; i++) into[i] = new float[inputs[i].numel()];
            Autograd.gradInto(loss.get(), inputs, into);
            for (int i = 0; i < inputs.length; i++) assertThat(into[i]).as("input %d, step %d", i, step).containsExactly(expected[i].toArray());
        }
    }

    /** Returned zeros before: a silent wrong answer for a tensor whose gradient was never recorded. */
    @Test
    void gradWithRespectToATensorThatDoesNotRequireGradIsRefused() {
        Tensor x = Tensor.of(new float[] {1, 2}), w = Tensor.of(new float[] {3, 4}).requiresGrad();
        assertThatThrownBy(() -> Autograd.grad(x.mul(w).sum(), w, x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Autograd.grad: input 1 (shape [2]) does not require grad, so no gradient was recorded for it;"
                        + " call requiresGrad() on it before computing the output");
        assertThat(Autograd.grad(x.mul(w).sum(), w)[0].toArray()).containsExactly(1, 2);
    }

    @Test
    void detachCutsTheGraphButSharesStorage() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad();
        Tensor d = x.mul(2f).detach();
        assertThat(d.isRequiresGrad()).isFalse();
        assertThat(d.isLeaf()).isTrue();
        Tensor v = x.detach();
        v.data()[0] = 9f;
        assertThat(x.get(0)).isEqualTo(9f);
    }

    @Test
    void onlyLeavesCanChangeRequiresGrad() {
        Tensor y = Tensor.ones(2).requiresGrad().mul(2f);
        assertThatThrownBy(y::requiresGrad).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only leaf tensors").hasMessageContaining("'mul'");
    }

    @Test
    void nonLeafGradientsAreNotKept() {
        Tensor x = Tensor.ones(2).requiresGrad();
        Tensor h = x.mul(3f);
        h.sum().backward();
        assertThat(h.grad()).isNull();
        assertThat(x.grad().toArray()).containsExactly(3, 3);
    }
}
