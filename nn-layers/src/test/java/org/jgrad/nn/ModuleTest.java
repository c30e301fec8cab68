package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    @Test
    void courseCountingExamples() {
        assertThat(new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2)).numParameters()).isEqualTo(26);
        assertThat(new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 4), new Tanh(), new Linear(4, 1)).numParameters())
                .isEqualTo(41);
    }

    @Test
    void namedParametersUseStateDictNames() {
        var net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        assertThat(net.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        Map<String, Module> named = new LinkedHashMap<>();
        named.put("fc1", new Linear(2, 3));
        named.put("act", new ReLU());
        named.put("fc2", new Linear(3, 1, false));
        assertThat(new Sequential(named).namedParameters().keySet()).containsExactly("fc1.weight", "fc1.bias", "fc2.weight");
    }

    @Test
    void sharedParameterCountsOnce() {
        var fc = new Linear(2, 2);
        var net = new Sequential(fc, fc);
        assertThat(net.parameters()).hasSize(2);
        assertThat(net.numParameters()).isEqualTo(6);
    }

    @Test
    void customModuleInAFewLines() {
        class Scale extends Module {
            final Tensor s = registerParameter("s", Tensor.of(new float[] {2f}));

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(s);
            }
        }
        var m = new Scale();
        assertThat(m.forward(Tensor.of(new float[] {1, 3})).toArray()).containsExactly(2f, 6f);
        assertThat(m.namedParameters()).containsOnlyKeys("s");
        assertThat(new Lambda("Double", x -> x.mul(2f)).forward(Tensor.scalar(4f)).item()).isEqualTo(8f);
    }

    @Test
    void trainEvalPropagatesAndZeroGradClears() {
        var net = new Sequential(new Linear(2, 2), new Dropout(0.5f));
        net.eval();
        assertThat(net.get(1).isTraining()).isFalse();
        net.train();
        assertThat(net.get(1).isTraining()).isTrue();
        net.forward(Tensor.ones(1, 2)).sum().backward();
        assertThat(net.parameters().get(0).grad()).isNotNull();
        net.zeroGrad();
        assertThat(net.parameters()).allSatisfy(p -> assertThat(p.grad()).isNull());
    }

    @Test
    void stateDictRoundTrip() {
        var a = new Sequential(new Linear(3, 2, new SplittableRandom(1)), new BatchNorm1d(2));
        var b = new Sequential(new Linear(3, 2, new SplittableRandom(2)), new BatchNorm1d(2));
        assertThat(a.stateDict().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias",
                "1.running_mean", "1.running_var", "1.num_batches_tracked");
        b.loadStateDict(a.stateDict());
        assertThat(b.parameters().get(0).toArray()).containsExactly(a.parameters().get(0).toArray());
    }

    @Test
    void loadStateDictListsMissingUnexpectedAndMisShapedNames() {
        var net = new Sequential(new Linear(3, 2));
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("0.weight", Tensor.zeros(2, 4));
        bad.put("0.extra", Tensor.zeros(1));
        assertThatThrownBy(() -> net.loadStateDict(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing: [0.bias]")
                .hasMessageContaining("unexpected: [0.extra]")
                .hasMessageContaining("0.weight (expected [2, 3], got [2, 4])");
    }

    @Test
    void summaryListsLayersShapesAndTotal() {
        var net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        String s = net.summary(5, 3);
        assertThat(s).contains("0: Linear(3→4)", "[5, 4]", "16", "1: ReLU()", "2: Linear(4→2)", "[5, 2]", "10",
                "Total parameters: 26");
        assertThat(net.isTraining()).isTrue();
        // without a shape nothing runs: the layers and their parameters only
        assertThat(net.summary()).isEqualTo(String.format("Layer           Params%n0: Linear(3→4)  16%n1: ReLU()       0%n"
                + "2: Linear(4→2)  10%nTotal parameters: 26%n"));
        assertThat(new Residual(new Linear(2, 2)).summary()).contains("Residual(Linear(2→2))  6");
    }

    @Test
    void duplicateRegistrationIsAnError() {
        assertThatThrownBy(() -> new Module() {
            {
                registerParameter("w", Tensor.zeros(1));
                registerParameter("w", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w' is already registered");
    }

    /** predict: evaluation mode (Dropout off, BatchNorm's running statistics), no graph, modes put back. */
    @Test
    void predictRunsInEvaluationModeWithoutAGraphAndRestoresModes() {
        var rng = new SplittableRandom(3);
        var drop = new Dropout(0.5f);
        var net = new Sequential(new Linear(4, 3, rng), drop, new BatchNorm1d(3));
        drop.eval();                                   // a mixed mode the user chose is kept
        Tensor x = Tensor.randn(rng, 5, 4);
        Tensor want;
        net.eval();
        want = net.forward(x);
        net.train();
        drop.eval();
        Tensor got = net.predict(x);
        assertThat(got.toArray()).containsExactly(want.toArray());
        assertThat(got.isRequiresGrad()).isFalse();
        assertThat(net.isTraining()).isTrue();
        assertThat(drop.isTraining()).isFalse();
        assertThat(net.get(2).isTraining()).isTrue();
        int[] classes = net.predictClasses(x);
        float[] v = want.toArray();
        for (int i = 0; i < 5; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) if (v[i * 3 + c] > v[i * 3 + best]) best = c;
            assertThat(classes[i]).isEqualTo(best);
        }
        assertThatThrownBy(() -> new ReLU().predictClasses(Tensor.zeros(2, 3, 4)))
                .hasMessageContaining("predictClasses: expected outputs [N, C] of class scores, got shape [2, 3, 4]");
    }
}
