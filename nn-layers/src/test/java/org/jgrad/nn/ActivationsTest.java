package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jgrad.core.GradCheck;
import org.jgrad.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** One row per activation module: known values from their definitions, gradients, stability at ±100. */
class ActivationsTest {

    /** name, module factory, {x, expected f(x)} pairs computed by hand or from the definition. */
    static Stream<Arguments> table() {
        double ln2 = Math.log(2);
        return Stream.of(
                row("ReLU", ReLU::new, -2, 0, 3, 3),
                row("LeakyReLU", () -> new LeakyReLU(0.1f), -2, -0.2, 3, 3),
                row("PReLU", PReLU::new, -4, -1, 4, 4),
                row("ELU", ELU::new, -1, Math.expm1(-1), 2, 2),
                row("SELU", SELU::new, 1, 1.0507009873554805, -1, 1.0507009873554805 * 1.6732632423543772 * Math.expm1(-1)),
                row("Sigmoid", Sigmoid::new, 0, 0.5, 2, 1 / (1 + Math.exp(-2))),
                row("Tanh", Tanh::new, 0.5, Math.tanh(0.5), -1, Math.tanh(-1)),
                row("Softplus", Softplus::new, 0, ln2, 2, Math.log(1 + Math.exp(2))),
                row("LogSigmoid", LogSigmoid::new, 0, -ln2, 2, -Math.log(1 + Math.exp(-2))),
                row("SiLU", SiLU::new, 1, 0.7310585786300049, -2, -2 / (1 + Math.exp(2))),
                row("Swish", () -> new Swish(2f), 1, 1 / (1 + Math.exp(-2)), -1, -1 / (1 + Math.exp(2))),
                row("SwishLearnable", () -> new Swish(1.5f, true), 1, 1 / (1 + Math.exp(-1.5)), -2, -2 / (1 + Math.exp(3))),
                row("Mish", Mish::new, 1, 0.8650983882673103, -1, -1 * Math.tanh(Math.log(1 + Math.exp(-1)))),
                row("GELU", GELU::new, 1, 0.8413447460685429, -1, -0.15865525393145707),
                row("GELUTanh", () -> new GELU(true), 1, 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)), 0, 0),
                row("Hardtanh", Hardtanh::new, -3, -1, 0.5, 0.5),
                row("Identity", Identity::new, -3, -3, 0.5, 0.5));
    }

    private static Arguments row(String name, Supplier<Module> m, double... pairs) {
        return Arguments.of(name, m, pairs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void valuesFromDefinition(String name, Supplier<Module> factory, double[] pairs) {
        Module m = factory.get();
        for (int i = 0; i < pairs.length; i += 2) {
            float y = m.forward(Tensor.of(new float[] {(float) pairs[i]})).item();
            assertThat((double) y).as(name + "(" + pairs[i] + ")").isCloseTo(pairs[i + 1], within(2e-6));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void gradients(String name, Supplier<Module> factory, double[] ignored) {
        Module m = factory.get();
        // values kept ≥ 0.1 away from the kinks at 0 and ±1
        Tensor x = Tensor.of(new float[] {-2.5f, -1.4f, -0.6f, -0.3f, 0.2f, 0.7f, 1.3f, 2.8f}, 2, 4).requiresGrad();
        Tensor[] inputs = Stream.concat(Stream.of(x), m.parameters().stream()).toArray(Tensor[]::new);
        GradCheck.assertGradients(name, in -> m.forward(in[0]), inputs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void stableAtLargeMagnitude(String name, Supplier<Module> factory, double[] ignored) {
        Module m = factory.get();
        Tensor x = Tensor.of(new float[] {-100f, -30f, 30f, 100f}).requiresGrad();
        Tensor y = m.forward(x);
        assertThat(y.toArray()).as(name).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        y.sum().backward();
        assertThat(x.grad().toArray()).as(name + " gradient").doesNotContain(Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY);
    }

    @Test
    void softplusAndLogSigmoidAsymptotes() {
        // softplus(−100) = e^−100 ≈ 3.8e-44 is a float subnormal, kept rather than flushed
        assertThat(new Softplus().forward(Tensor.of(new float[] {-100, 100})).toArray()).containsExactly(
                new float[] {0f, 100f}, within(1e-30f));
        assertThat(new LogSigmoid().forward(Tensor.of(new float[] {-100, 100})).toArray()).containsExactly(
                new float[] {-100f, 0f}, within(1e-30f));
        assertThat(new Mish().forward(Tensor.of(new float[] {100})).item()).isEqualTo(100f);
    }

    @Test
    void softmaxAndLogSoftmax() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1000, 1000, 1000}, 2, 3);
        Tensor p = new Softmax(1).forward(x);
        assertThat(p.get(1, 0)).isCloseTo(1 / 3f, within(1e-6f));
        // at logits of 1000 one float ulp is 6e-5, which bounds how exactly x − logsumexp(x) can come out
        assertThat(new LogSoftmax(1).forward(x).get(1, 2)).isCloseTo((float) -Math.log(3), within(1e-4f));
        Tensor xs = Tensor.randn(new SplittableRandom(1), 2, 3).requiresGrad();
        GradCheck.assertGradients("Softmax", in -> new Softmax(1).forward(in[0]), xs);
        GradCheck.assertGradients("LogSoftmax", in -> new LogSoftmax(0).forward(in[0]), xs);
    }

    @Test
    void preluPerChannelAlphaAndSwishBetaGetGradients() {
        var prelu = new PReLU(3, 0.25f);
        prelu.alpha().data()[1] = 0.5f;
        Tensor x = Tensor.randn(new SplittableRandom(2), 2, 3, 2).requiresGrad();
        GradCheck.assertGradients("PReLU per channel", in -> prelu.forward(in[0]), x, prelu.alpha());
        assertThatThrownBy(() -> prelu.forward(Tensor.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prelu: 3 parameters need input with 3 channels in dim 1, got shape [2, 4]");
        var swish = new Swish(0.8f, true);
        GradCheck.assertGradients("Swish β", in -> swish.forward(in[0]), x, swish.beta());
        assertThat(swish.namedParameters()).containsOnlyKeys("beta");
    }

    @Test
    void stepHasNoUsefulGradient() {
        var step = new Step();
        Tensor x = Tensor.of(new float[] {-1, 0, 2}).requiresGrad();
        Tensor y = step.forward(x);
        assertThat(y.toArray()).containsExactly(0f, 0f, 1f);
        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step: the threshold function has no useful gradient");
        step.eval();
        assertThat(step.forward(x).isRequiresGrad()).isFalse();
    }
}
