package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Autograd.jvp, vjp and jacobian on the lecture's worked examples, and what the engine promises around them. */
class ForwardModeTest {

    /** f(x1, x2, x3) = (x1·x2·sin x3 + e^(x1·x2)) / x3, the lecture's first example. */
    static Tensor lectureF(Tensor[] x) {
        Tensor x1x2 = x[0].mul(x[1]);
        return x1x2.mul(x[2].sin()).add(x1x2.exp()).div(x[2]);
    }

    @Test
    void jvpGivesTheDirectionalDerivativesOfTheLectureExample() {
        Tensor[] at = {Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar((float) (Math.PI / 2))};
        double e2 = Math.exp(2);
        double[] expected = {(2 + 2 * e2) / (Math.PI / 2), (1 + e2) / (Math.PI / 2), -(2 + e2) / Math.pow(Math.PI / 2, 2)};
        for (int i = 0; i < 3; i++) {
            Tensor[] direction = {Tensor.scalar(0f), Tensor.scalar(0f), Tensor.scalar(0f)};
            direction[i] = Tensor.scalar(1f);
            Tensor[] r = Autograd.jvp(ForwardModeTest::lectureF, at, direction);
            assertThat(r[0].item()).isCloseTo((float) ((2 + e2) / (Math.PI / 2)), offset(1e-5f));
            assertThat(r[1].item()).as("∂f/∂x%d", i + 1).isCloseTo((float) expected[i], offset(2e-5f));
        }
        // reverse mode gives all three in one pass, the same numbers
        Tensor[] v = Autograd.vjp(ForwardModeTest::lectureF, at, null);
        for (int i = 0; i < 3; i++) assertThat(v[i + 1].item()).isCloseTo((float) expected[i], offset(2e-5f));
    }

    /** v1 = x1·x2, v2 = log x2, y = (sin v1, v1 + v2): the lecture's two-output example at (2, 3). */
    static Tensor twoOutputs(Tensor x) {
        Tensor v1 = x.narrow(0, 0, 1).mul(x.narrow(0, 1, 1));
        Tensor v2 = x.narrow(0, 1, 1).log();
        return Tensor.cat(0, v1.sin(), v1.add(v2));
    }

    @Test
    void jacobianIsTheSameBothWaysAndMatchesTheHandDerivedOne() {
        Tensor x = Tensor.of(new float[] {2, 3});
        double c = Math.cos(6);
        float[] expected = {(float) (3 * c), (float) (2 * c), 3f, 2f + 1f / 3};
        for (Autograd.Sweep sweep : Autograd.Sweep.values()) {
            Tensor j = Autograd.jacobian(ForwardModeTest::twoOutputs, x, sweep);
            assertThat(j.shape()).containsExactly(2, 2);
            assertThat(j.toArray()).as(sweep.name()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void jacobianShapeIsOutputShapeThenInputShape() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 2, 3);
        Function<Tensor, Tensor> f = t -> t.tanh().sum(1);
        Tensor forward = Autograd.jacobian(f, x, Autograd.Sweep.FORWARD), reverse = Autograd.jacobian(f, x, Autograd.Sweep.REVERSE);
        assertThat(forward.shape()).containsExactly(2, 2, 3);
        assertThat(forward.toArray()).containsExactly(reverse.toArray(), org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void aNullTangentMeansTheInputDoesNotMoveAndAnOutputThatDoesNotDependGetsZeros() {
        Tensor a = Tensor.of(new float[] {1, 2}), b = Tensor.of(new float[] {3, 4});
        Tensor[] r = Autograd.jvp(x -> x[0].mul(x[1]), new Tensor[] {a, b}, new Tensor[] {Tensor.ones(2), null});
        assertThat(r[1].toArray()).containsExactly(3f, 4f);
        Tensor[] constant = Autograd.jvp(x -> Tensor.ones(3), new Tensor[] {a}, new Tensor[] {Tensor.ones(2)});
        assertThat(constant[1].toArray()).containsExactly(0f, 0f, 0f);
    }

    @Test
    void noTensorKeepsATangentAfterJvpAndNoGraphIsRecorded() {
        Tensor w = Tensor.of(new float[] {2, 3}).requiresGrad();
        Tensor[] kept = new Tensor[1];
        Tensor[] r = Autograd.jvp(x -> {
            kept[0] = x[0].mul(w);
            return kept[0].sum();
        }, new Tensor[] {Tensor.of(new float[] {1, 1})}, new Tensor[] {Tensor.ones(2)});
        assertThat(r[1].item()).isEqualTo(5f);
        assertThat(r[0].isRequiresGrad()).isFalse();
        // the escaped intermediate carries nothing into a later jvp
        Tensor[] later = Autograd.jvp(x -> kept[0].add(x[0]), new Tensor[] {Tensor.zeros(2)}, new Tensor[] {Tensor.ones(2)});
        assertThat(later[1].toArray()).containsExactly(1f, 1f);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor[] one = {Tensor.zeros(2)};
        assertThatThrownBy(() -> Autograd.jvp(x -> x[0], one, new Tensor[] {Tensor.zeros(3)}))
                .hasMessage("Autograd.jvp: tangent 0 has shape [3] but primal 0 has shape [2]");
        assertThatThrownBy(() -> Autograd.jvp(x -> x[0], one, new Tensor[0]))
                .hasMessage("Autograd.jvp: 1 primals but 0 tangents");
        assertThatThrownBy(() -> Autograd.jvp(x -> Autograd.jvp(y -> y[0], x, x)[0], one, one))
                .hasMessageContaining("nested jvp");
    }

    @Test
    void tangentsAreBitwiseTheSameOnAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = Tensor.randn(rng, 64, 300), w = Tensor.randn(rng, 200, 300), t = Tensor.randn(rng, 64, 300);
        Function<Tensor[], Tensor> f = in -> Functional.linear(in[0], w, null).tanh().logSoftmax(1);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = Autograd.jvp(f, new Tensor[] {x}, new Tensor[] {t})[1].toArray();
            for (int threads : new int[] {2, 3, 7}) {
                Parallel.setThreads(threads);
                assertThat(Autograd.jvp(f, new Tensor[] {x}, new Tensor[] {t})[1].toArray()).as("%d threads", threads)
                        .containsExactly(one);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
