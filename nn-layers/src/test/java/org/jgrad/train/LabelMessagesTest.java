package org.jgrad.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.core.Tensor;
import org.jgrad.data.Csv;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Embedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels read as class indices: a label beyond the int range is named with its value and the
 * valid range (a cast to int reported 1e10 as 2147483647), and one that is not a whole number
 * (NaN, 2.5) is refused rather than truncated to a class.
 */
class LabelMessagesTest {

    @TempDir
    Path dir;

    private static final Tensor LOGITS = Tensor.zeros(2, 3);

    @Test
    void aHugeLabelFromACsvIsReportedWithItsValueAndTheValidRange() throws IOException {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "x,label\n0.5,1\n0.25,1e10\n");
        TensorDataset ds = Csv.read(csv, true, -1);
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(LOGITS, ds.labels()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CrossEntropyLoss: label 10000000000 at position 1 is out of range for 3 classes (expected a whole"
                        + " number in 0..2)");
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(LOGITS, Tensor.of(new float[] {-1e10f, 0})))
                .hasMessage("CrossEntropyLoss: label -10000000000 at position 0 is out of range for 3 classes (expected a whole"
                        + " number in 0..2)");
    }

    @Test
    void accuracyRefusesLabelsThatAreNoClass() {
        assertThatThrownBy(() -> Metrics.accuracy(LOGITS, Tensor.of(new float[] {0, 1e10f})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accuracy: label 10000000000 at row 1 is out of range for 3 classes (expected a whole number in 0..2)");
        // NaN and 2.5 were cast to classes 0 and 2 and counted
        assertThatThrownBy(() -> Metrics.accuracy(LOGITS, Tensor.of(new float[] {Float.NaN, 0})))
                .hasMessage("accuracy: label NaN at row 0 is out of range for 3 classes (expected a whole number in 0..2)");
        assertThatThrownBy(() -> Metrics.topKAccuracy(LOGITS, Tensor.of(new float[] {0, 2.5f}), 2))
                .hasMessage("accuracy: label 2.5 at row 1 is out of range for 3 classes (expected a whole number in 0..2)");
    }

    @Test
    void theConfusionMatrixNamesTheLabelNotItsCastToInt() {
        assertThatThrownBy(() -> Metrics.confusion(LOGITS, Tensor.of(new float[] {1e10f, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConfusionMatrix: label 10000000000 at row 0 is out of range for 3 classes (expected a whole number"
                        + " in 0..2)");
        assertThatThrownBy(() -> new ConfusionMatrix(3).add(new float[] {0, 1.5f}, new float[6]))
                .hasMessage("ConfusionMatrix: label 1.5 at row 1 is out of range for 3 classes (expected a whole number in 0..2)");
    }

    @Test
    void anEmbeddingIndexIsNamedWithItsValue() {
        assertThatThrownBy(() -> new Embedding(4, 2).forward(Tensor.of(new float[] {1, 1e10f})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Embedding(4, 2): index 10000000000 at position 1 is out of range (expected a whole number in 0..3)");
    }
}
