package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainExampleTest {

    private static PrintStream quiet(ByteArrayOutputStream buf) {
        return new PrintStream(buf, true, StandardCharsets.UTF_8);
    }

    @Test
    void anExplicitDataFolderWithoutTheFilesIsAnError(@TempDir Path empty) {
        assertThatThrownBy(() -> TrainExample.load(empty, 1)).hasMessage("train: no Fashion-MNIST IDX files in " + empty);
    }

    @Test
    void optionsHaveTheReferenceDefaultsAndRefuseNonsense() {
        var mlp = TrainExample.Options.parse();
        assertThat(mlp.model()).isEqualTo("mlp");
        assertThat(mlp.batchSize()).isEqualTo(128);
        assertThat(mlp.lr()).isEqualTo(0.1f);
        var cnn = TrainExample.Options.parse("--model", "cnn", "--epochs", "2", "--threads", "1");
        assertThat(cnn.batchSize()).isEqualTo(64);
        assertThat(cnn.epochs()).isEqualTo(2);
        assertThatThrownBy(() -> TrainExample.Options.parse("--model", "rnn")).hasMessageContaining("--model must be mlp or cnn");
        assertThatThrownBy(() -> TrainExample.Options.parse("--bogus")).hasMessageContaining("unknown option '--bogus'");
        assertThatThrownBy(() -> TrainExample.Options.parse("--epochs")).hasMessageContaining("--epochs needs a value");
        // said "For input string: \"abc\"" before
        assertThatThrownBy(() -> TrainExample.Options.parse("--epochs", "abc")).hasMessage("train: --epochs expects a whole number, got 'abc'");
        assertThatThrownBy(() -> TrainExample.Options.parse("--lr", "NaN")).hasMessage("train: --lr expects a finite number, got 'NaN'");
        assertThat(TrainExample.Options.parse("--seed", "7000000000").seed()).isEqualTo(7_000_000_000L);
        assertThatThrownBy(() -> TrainExample.Options.parse("--epochs", "7000000000")).hasMessage("train: --epochs is out of range: 7000000000");
    }

    /** The embedded split is real data: a short run learns it well beyond chance (10%). */
    @Test
    void trainsOnTheEmbeddedDataWhenNothingIsInstalled() throws Exception {
        var data = TrainExample.loadEmbedded(1);
        assertThat(data.train().size()).isEqualTo(7000);
        assertThat(data.test().size()).isEqualTo(1500);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var o = TrainExample.Options.parse("--epochs", "2", "--no-progress");
        var r = TrainExample.run(o, data, quiet(buf), System.nanoTime());
        assertThat(r.test().accuracy()).isGreaterThan(0.7);
        assertThat(r.files()).as("no --plots, no pictures").isEmpty();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("embedded", "epoch 0:", "test: loss", "precision");
    }

    /**
     * {@code --plots}: curves, confusion matrix and, for the CNN, its 32 first-layer 5×5 kernels;
     * for the MLP the first two only. Small data: 256 training, 300 validation and test images.
     */
    @Test
    void plotsTheCurvesTheConfusionMatrixAndTheFirstConvKernels(@TempDir Path dir) throws Exception {
        var full = TrainExample.loadEmbedded(1);
        var data = new TrainExample.Data(full.train(), first(full.validation(), 300), first(full.test(), 300), full.source());
        for (String model : new String[] {"cnn", "mlp"}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Path plots = dir.resolve(model);
            var o = TrainExample.Options.parse("--model", model, "--epochs", "1", "--limit", "256", "--no-progress", "--plots", plots.toString());
            var r = TrainExample.run(o, data, quiet(buf), System.nanoTime());
            assertThat(r.history()).hasSize(1);
            org.jgrad.examples.plot.PlotTest.png(plots.resolve("training.png"), 1200, 420);
            org.jgrad.examples.plot.PlotTest.png(plots.resolve("confusion.png"), 130 + 10 * 44 + 20, 80 + 10 * 44 + 40);
            if (model.equals("cnn")) {
                assertThat(r.files()).containsExactly(plots.resolve("training.png"), plots.resolve("confusion.png"),
                        plots.resolve("conv1-filters.png"));
                org.jgrad.examples.plot.PlotTest.png(plots.resolve("conv1-filters.png"), 8 * (5 * 12 + 4) + 4, 4 * (5 * 12 + 4 + 16) + 4 + org.jgrad.examples.plot.Images.TITLE_BAND);
            } else {
                assertThat(r.files()).containsExactly(plots.resolve("training.png"), plots.resolve("confusion.png"));
            }
            String text = buf.toString(StandardCharsets.UTF_8);
            for (Path f : r.files()) assertThat(text).contains("wrote " + f);
        }
        assertThatThrownBy(() -> TrainExample.Options.parse("--plots")).hasMessageContaining("--plots needs a value");
    }

    private static TensorDataset first(TensorDataset d, int n) {
        var b = d.batch(java.util.stream.IntStream.range(0, n).toArray());
        return new TensorDataset(b.features(), b.labels());
    }

    /** With the Debian package installed (.ci/run installs it): one MLP epoch reaches 80% test accuracy. */
    @Test
    void oneMlpEpochOnTheFullDatasetReaches80Percent() throws Exception {
        var dir = FashionMnist.locate(null);
        Assumptions.assumeTrue(dir.isPresent(), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipping");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("jgrad").resolve("mlp.safetensors");
        var r = TrainExample.run(TrainExample.Options.parse("--epochs", "1", "--no-progress", "--out", out.toString()), quiet(buf));
        assertThat(r.test().accuracy()).isGreaterThanOrEqualTo(0.80);
        var reloaded = TrainExample.model("mlp", 99);
        org.jgrad.io.ModelFiles.load(reloaded, out);
        assertThat(reloaded.parameters().get(0).toArray()).isEqualTo(r.model().parameters().get(0).toArray());
        assertThat(r.source()).contains(dir.get().toString());
    }
}
