package org.jgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.jgrad.core.ops.Op;
import org.jgrad.core.ops.FloatArray;
import org.junit.jupiter.api.Test;

/** GradCheck itself: it must catch a wrong rule, report the worst element, and touch nothing. */
class GradCheckTest {

    /** x² with a backward that is off by a factor: 2.1·x instead of 2·x (5% wrong). */
    static final class SlightlyWrongSquare extends Op {
        private FloatArray x;
        private final float factor;

        SlightlyWrongSquare(float factor) {
            this.factor = factor;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            float[] d = x.data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= d[i];
            return new FloatArray(d, x.shape());
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            float[] d = g.data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= factor * x.data()[i];
            return new FloatArray[] {new FloatArray(d, g.shape())};
        }
    }

    @Test
    void passesACorrectRuleAndFailsAWrongOne() {
        Tensor x = Tensor.randn(new SplittableRandom(3), 4, 3).requiresGrad();
        assertThat(GradCheck.check("square", in -> Autograd.apply(new SlightlyWrongSquare(2f), in[0]), x).ok()).isTrue();
        GradCheck.Result wrong = GradCheck.check("square", in -> Autograd.apply(new SlightlyWrongSquare(2.1f), in[0]), x);
        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.toString()).contains("'square'", "FAILED", "input 0", "shape [4, 3]", "analytic", "numeric");
        assertThat(wrong.analytic() / wrong.numeric()).isCloseTo(1.05, org.assertj.core.data.Offset.offset(0.01));
    }

    /** A 0-d input and output keep their shape []: nothing in GradCheck views them as [1]. */
    @Test
    void checksZeroDimensionalTensors() {
        Tensor x = Tensor.scalar(1.3f).requiresGrad();
        assertThat(GradCheck.check("square 0-d", in -> Autograd.apply(new SlightlyWrongSquare(2f), in[0]), x).ok()).isTrue();
        GradCheck.Result wrong = GradCheck.check("square 0-d", in -> Autograd.apply(new SlightlyWrongSquare(2.1f), in[0]), x);
        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.inputShape()).isEmpty();
        assertThat(GradCheck.check("sum to 0-d", in -> in[0].mul(in[0]).sum(), Tensor.randn(new SplittableRandom(8), 3).requiresGrad()).ok())
                .isTrue();
    }

    @Test
    void assertGradientsThrowsWithTheReport() {
        Tensor x = Tensor.randn(new SplittableRandom(4), 5).requiresGrad();
        assertThatThrownBy(() -> GradCheck.assertGradients("square", in -> Autograd.apply(new SlightlyWrongSquare(1.8f), in[0]), x))
                .isInstanceOf(AssertionError.class).hasMessageContaining("GradCheck 'square' FAILED");
    }

    @Test
    void leavesInputsAndTheirGradsUntouched() {
        Tensor x = Tensor.randn(new SplittableRandom(5), 6).requiresGrad();
        float[] before = x.toArray();
        GradCheck.check("exp", in -> in[0].exp(), x);
        assertThat(x.toArray()).containsExactly(before);
        assertThat(x.grad()).isNull();
    }

    @Test
    void checksOnlyInputsThatRequireGrad() {
        Tensor x = Tensor.randn(new SplittableRandom(6), 3).requiresGrad();
        Tensor c = Tensor.randn(new SplittableRandom(7), 3);
        GradCheck.Result r = GradCheck.check("mul", in -> in[0].mul(in[1]), c, x);
        assertThat(r.ok()).isTrue();
        assertThat(r.input()).isEqualTo(1);
    }

    /** x² with its backward and its tangent rule each scaled by a factor (2 is right). */
    static final class SquareWithTangent extends Op {
        private final float backwardFactor, tangentFactor;
        private FloatArray x;

        SquareWithTangent(float backwardFactor, float tangentFactor) {
            this.backwardFactor = backwardFactor;
            this.tangentFactor = tangentFactor;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            return scaled(x, 1f, x);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {scaled(g, backwardFactor, x)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return scaled(t[0], tangentFactor, x);
        }

        private static FloatArray scaled(FloatArray a, float factor, FloatArray x) {
            float[] d = a.data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= factor * x.data()[i];
            return new FloatArray(d, a.shape());
        }
    }

    @Test
    void tangentCheckPassesARightRuleAndCatchesAWrongTangentOrAWrongBackward() {
        Tensor x = Tensor.randn(new SplittableRandom(4), 3, 5).requiresGrad();
        assertThat(GradCheck.checkTangents("square", in -> Autograd.apply(new SquareWithTangent(2f, 2f), in[0]), x).ok()).isTrue();

        GradCheck.TangentResult wrongTangent =
                GradCheck.checkTangents("square", in -> Autograd.apply(new SquareWithTangent(2f, 2.1f), in[0]), x);
        assertThat(wrongTangent.ok()).isFalse();
        assertThat(wrongTangent.analytic() / wrongTangent.numeric()).isCloseTo(1.05, org.assertj.core.data.Offset.offset(0.01));
        assertThat(wrongTangent.identityOk()).isFalse();

        // finite differences see only the forward mode; the identity with reverse mode catches the backward
        GradCheck.TangentResult wrongBackward =
                GradCheck.checkTangents("square", in -> Autograd.apply(new SquareWithTangent(2.1f, 2f), in[0]), x);
        assertThat(wrongBackward.ok()).isFalse();
        assertThat(wrongBackward.identityOk()).isFalse();
        assertThat(wrongBackward.toString()).contains("'square'", "FAILED", "MISMATCH");
    }

    @Test
    void anOpWithoutATangentRuleIsNamedByJvp() {
        Tensor x = Tensor.randn(new SplittableRandom(5), 4);
        assertThatThrownBy(() -> Autograd.jvp(in -> Autograd.apply(new SlightlyWrongSquare(2f), in[0]), new Tensor[] {x},
                new Tensor[] {Tensor.ones(4)}))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("slightlyWrongSquare: this op has no forward-mode (tangent) rule");
    }
}
