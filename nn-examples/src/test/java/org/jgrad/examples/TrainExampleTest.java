package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jgrad.data.FashionMnist;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TrainExampleTest {

    private static PrintStream quiet(ByteArrayOutputStream buf) {
        return new PrintStream(buf, true, StandardCharsets.UTF_8);
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
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("embedded", "epoch 0:", "test: loss", "precision");
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
