package org.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The base's state dict, for every optimizer: saved after a few steps and loaded into a fresh one, it continues bitwise alike. */
class OptimizerTest {

    /** Builds an optimizer with every state tensor in use (momentum, centering, step-dependent rates). */
    interface Make {
        Optimizer<?> of(List<Tensor> params, float lr);
    }

    static Arguments row(String name, Make make) {
        return Arguments.of(name, make);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                row("SGD", (p, lr) -> new SGD(p, lr).momentum(0.9f).weightDecay(0.01f)),
                row("Adam", (p, lr) -> new Adam(p, lr).betas(0.8f, 0.99f).weightDecay(0.01f)),
                row("AdamW", (p, lr) -> new AdamW(p, lr).weightDecay(0.1f)),
                row("RMSprop", (p, lr) -> new RMSprop(p, lr).momentum(0.9f).centered(true).weightDecay(0.01f)),
                row("Adagrad", (p, lr) -> new Adagrad(p, lr).lrDecay(0.1f).weightDecay(0.01f)));
    }

    /** A parameter of several update chunks (100,003 floats, an odd tail) gives the same bits on 1 and 3 threads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void largeParameterSameBitsOnAnyThreadCount(String name, Make make) {
        assertThat(threeSteps(make, 3)).isEqualTo(threeSteps(make, 1));
    }

    private static float[] threeSteps(Make make, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            var rng = new SplittableRandom(5);
            Tensor w = Tensor.randn(rng, 100_003).requiresGrad(), target = Tensor.randn(rng, 100_003);
            Optimizer<?> opt = make.of(List.of(w), 0.01f);
            for (int s = 0; s < 3; s++) {
                opt.zeroGrad();
                w.sub(target).mul(w.sub(target)).sum().backward();
                opt.step();
            }
            return w.toArray();
        } finally {
            Parallel.setThreads(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateDictRoundTripContinuesBitwise(String name, Make make) {
        Tensor w = Quadratic.start();
        Optimizer<?> opt = make.of(List.of(w), 0.05f);
        for (int i = 0; i < 3; i++) Quadratic.step(opt, w);
        Map<String, Tensor> dict = opt.stateDict();

        Tensor restored = Tensor.of(w.toArray()).requiresGrad(), fresh = Tensor.of(w.toArray()).requiresGrad();
        Optimizer<?> loaded = make.of(List.of(restored), 0.5f);
        loaded.loadStateDict(dict);
        assertThat(loaded.lr()).as("the learning rate comes from the dict").isEqualTo(0.05f);
        Optimizer<?> unloaded = make.of(List.of(fresh), 0.05f);
        for (int i = 0; i < 2; i++) {
            Quadratic.step(opt, w);
            Quadratic.step(loaded, restored);
            Quadratic.step(unloaded, fresh);
        }
        assertThat(restored.toArray()).containsExactly(w.toArray());
        assertThat(fresh.toArray()).as("without the saved state the steps differ").isNotEqualTo(w.toArray());
        assertThat(dict.get("state.0.step").item()).as("the dict holds copies").isEqualTo(3f);
    }

    /**
     * A dict missing one of a stepped parameter's buffers, with a NaN, a negative step or a bad
     * rate is refused and changes nothing. A dropped buffer used to resume from zeros, a NaN to be
     * copied in, and a bad weight decay to fail after the rate had been changed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void aDictThatIsIncompleteOrNotFiniteIsRefusedAndChangesNothing(String name, Make make) {
        Tensor w = Quadratic.start();
        Optimizer<?> opt = make.of(List.of(w), 0.05f);
        for (int i = 0; i < 3; i++) Quadratic.step(opt, w);
        Map<String, Tensor> good = opt.stateDict();
        Tensor w2 = Quadratic.start();
        Optimizer<?> other = make.of(List.of(w2), 0.5f);
        Quadratic.step(other, w2);
        Map<String, float[]> before = new java.util.LinkedHashMap<>();
        other.stateDict().forEach((k, t) -> before.put(k, t.toArray()));

        List<String> buffers = good.keySet().stream().filter(k -> k.startsWith("state.0.") && !k.equals("state.0.step")).toList();
        assertThat(buffers).isNotEmpty();
        for (String dropped : buffers) {
            Map<String, Tensor> d = new java.util.LinkedHashMap<>(good);
            d.remove(dropped);
            assertThatThrownBy(() -> other.loadStateDict(d)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + ".loadStateDict: the state of parameter 0 lacks [" + dropped.substring("state.0.".length()) + "]");
        }
        Map<String, Tensor> nan = new java.util.LinkedHashMap<>(good);
        nan.put(buffers.get(0), Tensor.of(new float[] {0.5f, Float.NaN}));
        assertThatThrownBy(() -> other.loadStateDict(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + ".loadStateDict: '" + buffers.get(0) + "' holds NaN at index 1; expected finite values");
        Map<String, Tensor> step = new java.util.LinkedHashMap<>(good);
        step.put("state.0.step", Tensor.of(new float[] {2.5f}));
        assertThatThrownBy(() -> other.loadStateDict(step)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + ".loadStateDict: 'state.0.step' is [2.5]; expected one whole number ≥ 0");
        Map<String, Tensor> lr = new java.util.LinkedHashMap<>(good);
        lr.put("param_groups.0.weight_decay", Tensor.scalar(Float.NaN));
        assertThatThrownBy(() -> other.loadStateDict(lr)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + ".loadStateDict: 'param_groups.0.weight_decay' is [NaN]; expected one finite value ≥ 0");

        assertThat(other.lr()).isEqualTo(0.5f);
        other.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(before.get(k)));
    }

    /** The state's names are PyTorch's and part of the checkpoint format: step first, then the buffers in this order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateCountsStepsAndKeepsItsNames(String name, Make make) {
        Map<String, List<String>> names = Map.of(
                "SGD", List.of("step", "momentum_buffer"),
                "Adam", List.of("step", "exp_avg", "exp_avg_sq"),
                "AdamW", List.of("step", "exp_avg", "exp_avg_sq"),
                "RMSprop", List.of("step", "square_avg", "grad_avg", "momentum_buffer"),
                "Adagrad", List.of("step", "sum"));
        Tensor w = Quadratic.start();
        Optimizer<?> opt = make.of(List.of(w), 0.05f);
        assertThat(opt.state(w)).as("no state before the first step").isNull();
        for (int i = 0; i < 3; i++) Quadratic.step(opt, w);
        var state = (Optimizer.Buffers) opt.state(w);
        assertThat(state.steps()).isEqualTo(3);
        assertThat(state.tensors().keySet()).containsExactlyElementsOf(names.get(name));
        assertThat(opt.stateDict().keySet()).containsExactlyElementsOf(Stream.concat(
                Stream.of("param_groups.0.lr", "param_groups.0.weight_decay"), names.get(name).stream().map(k -> "state.0." + k)).toList());
        assertThatThrownBy(() -> state.tensors().put("step", Tensor.zeros(1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void negativeOptionsAreRefusedNamingTheOptimizerAndTheOption() {
        List<Tensor> p = List.of(Quadratic.start());
        assertThatThrownBy(() -> new SGD(p, 0.1f).momentum(-0.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SGD: momentum must be ≥ 0, got -0.5");
        assertThatThrownBy(() -> new RMSprop(p, 0.1f).momentum(Float.NaN)).hasMessage("RMSprop: momentum must be ≥ 0, got NaN");
        assertThatThrownBy(() -> new RMSprop(p, 0.1f).eps(-1e-8f)).hasMessage("RMSprop: eps must be ≥ 0, got -1.0E-8");
        assertThatThrownBy(() -> new AdamW(p).eps(-1f)).hasMessage("AdamW: eps must be ≥ 0, got -1.0");
        assertThatThrownBy(() -> new Adagrad(p, 0.1f).eps(-1f)).hasMessage("Adagrad: eps must be ≥ 0, got -1.0");
        assertThatThrownBy(() -> new Adagrad(p, 0.1f).lrDecay(-0.1f)).hasMessage("Adagrad: lr decay must be ≥ 0, got -0.1");
        assertThatThrownBy(() -> new Adagrad(p, 0.1f).initialAccumulator(-2f))
                .hasMessage("Adagrad: initial accumulator must be ≥ 0, got -2.0");
    }
}
