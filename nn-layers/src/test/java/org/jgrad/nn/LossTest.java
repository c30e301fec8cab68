package org.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.stream.Stream;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Losses as modules: no parameters, modes, descriptions, buffers, and the one-tensor forward refused. */
class LossTest {

    /** Every loss with its default options, and how it describes itself. */
    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of(new MSELoss(), "MSELoss(reduction=mean)"),
                Arguments.of(new L1Loss(), "L1Loss(reduction=mean)"),
                Arguments.of(new HuberLoss(), "HuberLoss(reduction=mean)"),
                Arguments.of(new SmoothL1Loss(), "SmoothL1Loss(reduction=mean)"),
                Arguments.of(new LogCoshLoss(), "LogCoshLoss(reduction=mean)"),
                Arguments.of(new BCELoss(), "BCELoss(reduction=mean)"),
                Arguments.of(new BCEWithLogitsLoss(), "BCEWithLogitsLoss(reduction=mean)"),
                Arguments.of(new CrossEntropyLoss(), "CrossEntropyLoss(reduction=mean)"),
                Arguments.of(new NLLLoss(), "NLLLoss(reduction=mean)"),
                Arguments.of(new SequenceCrossEntropyLoss(), "SequenceCrossEntropyLoss(reduction=mean)"),
                Arguments.of(new HingeLoss(), "HingeLoss(reduction=mean)"),
                Arguments.of(new MultiMarginLoss(), "MultiMarginLoss(reduction=mean)"),
                Arguments.of(new KLDivLoss(), "KLDivLoss(reduction=mean)"),
                Arguments.of(new TripletMarginLoss(), "TripletMarginLoss(reduction=mean)"),
                Arguments.of(new ContrastiveLoss(), "ContrastiveLoss(reduction=mean)"),
                Arguments.of(new CosineEmbeddingLoss(), "CosineEmbeddingLoss(reduction=mean)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("defaults")
    void aLossIsAModuleWithoutParameters(Module loss, String description) {
        assertThat(loss.parameters()).isEmpty();
        assertThat(loss.numParameters()).isZero();
        assertThat(loss.stateDict()).isEmpty();
        assertThat(loss.isTraining()).isTrue();
        assertThat(loss.eval().isTraining()).isFalse();
        assertThat(loss.train().isTraining()).isTrue();
        assertThat(loss.toString()).isEqualTo(description);
        assertThat(loss.describe()).isEqualTo(description);
    }

    @Test
    void descriptionsShowTheOptionsThatDifferFromTheDefaults() {
        assertThat(new CrossEntropyLoss(Reduction.MEAN, null, 0.1f)).hasToString("CrossEntropyLoss(reduction=mean, label_smoothing=0.1)");
        assertThat(new CrossEntropyLoss(Reduction.SUM, Tensor.of(new float[] {1, 2}), 0f))
                .hasToString("CrossEntropyLoss(reduction=sum, weight=tensor([1., 2.]))");
        assertThat(new KLDivLoss(Reduction.BATCH_MEAN, true)).hasToString("KLDivLoss(reduction=batchmean, log_target=true)");
        assertThat(new HuberLoss(Reduction.NONE, 2f)).hasToString("HuberLoss(reduction=none, delta=2.0)");
        assertThat(new SmoothL1Loss(Reduction.MEAN, 0.5f)).hasToString("SmoothL1Loss(reduction=mean, beta=0.5)");
        assertThat(new HingeLoss(Reduction.MEAN, 2f)).hasToString("HingeLoss(reduction=mean, margin=2.0)");
        assertThat(new MultiMarginLoss(Reduction.MEAN, 2, 0.5f, null)).hasToString("MultiMarginLoss(reduction=mean, p=2, margin=0.5)");
        assertThat(new BCEWithLogitsLoss(Reduction.MEAN, Tensor.of(new float[] {3})))
                .hasToString("BCEWithLogitsLoss(reduction=mean, pos_weight=tensor([3.]))");
        assertThat(new TripletMarginLoss(Reduction.MEAN, 0.5f, 1f, 1e-6f, true))
                .hasToString("TripletMarginLoss(reduction=mean, margin=0.5, p=1.0, swap=true)");
        assertThat(TripletMarginLoss.squared(0.5f)).hasToString("TripletMarginLoss(reduction=mean, margin=0.5, squared=true)");
        assertThat(new ContrastiveLoss(Reduction.SUM, 2f)).hasToString("ContrastiveLoss(reduction=sum, margin=2.0)");
        assertThat(new CosineEmbeddingLoss(Reduction.MEAN, 0.5f)).hasToString("CosineEmbeddingLoss(reduction=mean, margin=0.5)");
    }

    @Test
    void theOneTensorForwardSaysWhatALossTakes() {
        Module loss = new CrossEntropyLoss(Reduction.MEAN, null, 0.1f);
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(4, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CrossEntropyLoss(reduction=mean, label_smoothing=0.1): a loss takes (input, target), got one tensor of "
                        + "shape [4, 10] (call forward(input, target) on the model's output; a loss cannot be a layer of a Sequential)");
        assertThatThrownBy(() -> new TripletMarginLoss().forward(Tensor.zeros(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TripletMarginLoss(reduction=mean): a loss takes (anchor, positive, negative), got one tensor "
                        + "of shape [3]");
        assertThatThrownBy(() -> new ContrastiveLoss().forward(Tensor.zeros(3)))
                .hasMessageContaining("ContrastiveLoss(reduction=mean): a loss takes (x1, x2, similar)");
        assertThatThrownBy(() -> new CosineEmbeddingLoss().forward(Tensor.zeros(3)))
                .hasMessageContaining("CosineEmbeddingLoss(reduction=mean): a loss takes (x1, x2, y)");
    }

    @Test
    void aLossInASequentialFailsClearly() {
        var net = new Sequential(new Linear(3, 2), new MSELoss());
        assertThatThrownBy(() -> net.forward(Tensor.zeros(5, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MSELoss(reduction=mean): a loss takes (input, target), got one tensor of shape [5, 2]")
                .hasMessageContaining("a loss cannot be a layer of a Sequential");
    }

    @Test
    void aNullReductionIsRefusedByEveryLoss() {
        assertThatThrownBy(() -> new MSELoss(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MSELoss: reduction must not be null");
        assertThatThrownBy(() -> new TripletMarginLoss(null, 1f, 2f, 1e-6f, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TripletMarginLoss: reduction must not be null");
    }

    @Test
    void classWeightsAreBuffersNamedAsPyTorchNamesThem() {
        Tensor w = Tensor.of(new float[] {1, 3});
        var ce = new CrossEntropyLoss(Reduction.MEAN, w, 0f);
        assertThat(ce.parameters()).isEmpty();
        assertThat(ce.stateDict().keySet()).containsExactly("weight");
        assertThat(new NLLLoss(Reduction.MEAN, w).stateDict().keySet()).containsExactly("weight");
        assertThat(new MultiMarginLoss(Reduction.MEAN, 1, 1f, w).stateDict().keySet()).containsExactly("weight");
        assertThat(new BCEWithLogitsLoss(Reduction.MEAN, Tensor.of(new float[] {2})).stateDict().keySet()).containsExactly("pos_weight");

        // a copy: changing the caller's tensor later does not change the loss
        Tensor logits = Tensor.of(new float[] {0, 0, 0, 2}, 2, 2), labels = Tensor.of(new float[] {0, 1});
        double l0 = Math.log(2), l1 = Math.log1p(Math.exp(-2));
        assertThat((double) ce.forward(logits, labels).item()).isCloseTo((l0 + 3 * l1) / 4, within(1e-6));
        w.data()[1] = 100f;
        assertThat((double) ce.forward(logits, labels).item()).isCloseTo((l0 + 3 * l1) / 4, within(1e-6));

        // loading a state dict changes the weights the loss uses: with (0, 1) only the second sample counts
        ce.loadStateDict(Map.of("weight", Tensor.of(new float[] {0, 1})));
        assertThat((double) ce.forward(logits, labels).item()).isCloseTo(l1, within(1e-6));
        assertThatThrownBy(() -> ce.loadStateDict(Map.of("weight", Tensor.ones(3))))
                .hasMessageContaining("CrossEntropyLoss(reduction=mean, weight=tensor([0., 1.])).loadStateDict: state dict does not match")
                .hasMessageContaining("weight (expected [2], got [3])");
    }

    @Test
    void classWeightsMustBeOneDimensional() {
        assertThatThrownBy(() -> new NLLLoss(Reduction.MEAN, Tensor.ones(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NLLLoss: class weights must be 1-D [C], got shape [2, 2]");
        assertThatThrownBy(() -> new MultiMarginLoss(Reduction.MEAN, 1, 1f, Tensor.ones(1, 4)))
                .hasMessage("MultiMarginLoss: class weights must be 1-D [C], got shape [1, 4]");
    }
}
