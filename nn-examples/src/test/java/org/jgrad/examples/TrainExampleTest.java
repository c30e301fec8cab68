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

    /**
     * A bad {@code --out} (a folder, a path under a file, "dir/", a read-only folder) or {@code --plots} (a file) is refused in
     * one line by the option parser and again by {@code run} before the data is loaded; it used to
     * fail after training, with a message about the hidden temporary file, and lose the weights.
     */
    @Test
    void anOutThatCannotBeWrittenIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path folder = java.nio.file.Files.createDirectory(dir.resolve("models"));
        assertThatThrownBy(() -> TrainExample.Options.parse("--out", folder.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("train: --out " + folder + ": is a directory; expected a file path such as " + folder.resolve("mlp.safetensors"));
        Path file = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "a file");
        Path underFile = file.resolve("sub").resolve("cnn.safetensors");
        assertThatThrownBy(() -> TrainExample.Options.parse("--model", "cnn", "--out", underFile.toString()))
                .hasMessage("train: --out " + underFile + ": " + file + " is a file, not a directory; expected the file's folder to be a directory");
        assertThatThrownBy(() -> TrainExample.Options.parse("--out", dir + "/fresh/"))
                .hasMessage("train: --out " + dir + "/fresh/: names a directory; expected a file path such as " + dir.resolve("fresh/mlp.safetensors"));
        assertThatThrownBy(() -> TrainExample.Options.parse("--out", ""))
                .hasMessage("train: --out '': names no file; expected a file path such as jgrad-out/mlp.safetensors");
        // the pictures are drawn after training too
        assertThatThrownBy(() -> TrainExample.Options.parse("--plots", file.toString()))
                .hasMessage("train: --plots " + file + ": is a file, not a directory; expected a directory (made if missing)");
        assertThatThrownBy(() -> TrainExample.Options.parse("--plots", underFile.toString()))
                .hasMessage("train: --plots " + underFile + ": " + file + " is a file, not a directory; expected a directory (made if missing)");
        // a missing folder is made (the default jgrad-out/ is); an existing file is replaced
        assertThat(TrainExample.Options.parse("--out", dir.resolve("a/b/m.safetensors").toString()).out()).isEqualTo(dir.resolve("a/b/m.safetensors"));
        assertThat(TrainExample.Options.parse("--out", file.toString()).out()).isEqualTo(file);

        // the folder appears between parsing and running: run checks again, before loading anything
        Path late = dir.resolve("late.safetensors");
        var o = TrainExample.Options.parse("--epochs", "1", "--limit", "64", "--no-progress", "--no-warmup", "--out", late.toString());
        java.nio.file.Files.createDirectory(late);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertThatThrownBy(() -> TrainExample.run(o, quiet(buf))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("train: --out " + late + ": is a directory; expected a file path such as " + late.resolve("mlp.safetensors"));
        assertThat(buf.toString(StandardCharsets.UTF_8)).as("nothing was loaded or trained").isEmpty();
    }

    @Test
    void aReadOnlyOutFolderIsRefused(@TempDir Path dir) throws Exception {
        Path readOnly = java.nio.file.Files.createDirectory(dir.resolve("ro"));
        Assumptions.assumeTrue(readOnly.getFileSystem().supportedFileAttributeViews().contains("posix"));
        java.nio.file.Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        try {
            Assumptions.assumeFalse(java.nio.file.Files.isWritable(readOnly), "running as root: permissions are not enforced");
            assertThatThrownBy(() -> TrainExample.Options.parse("--out", readOnly.resolve("m.safetensors").toString()))
                    .hasMessage("train: --out " + readOnly.resolve("m.safetensors") + ": directory " + readOnly
                            + " is not writable; expected a directory you can write to");
        } finally {
            java.nio.file.Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A save that fails after training all the same (here the output folder is replaced by a
     * file once the test figures are printed; root ignores permissions, not this) keeps the
     * weights in a fallback file, says where in one line naming --out, and fails the run. It used
     * to throw FileAlreadyExistsException: the bare folder name, and the weights were gone.
     */
    @Test
    void aSaveThatFailsAfterTrainingKeepsTheWeightsInAFallbackFile(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("out"), target = folder.resolve("mlp.safetensors");
        var o = TrainExample.Options.parse("--epochs", "1", "--limit", "256", "--no-progress", "--no-warmup", "--out", target.toString());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream sabotage = new PrintStream(new java.io.OutputStream() {
            private boolean done;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
                if (!done && buf.toString(StandardCharsets.UTF_8).contains("test: loss")) {   // training is over, the save comes next
                    done = true;
                    try {
                        java.nio.file.Files.deleteIfExists(folder);        // made by run before training, still empty
                        java.nio.file.Files.writeString(folder, "a file where the folder was");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }, true, StandardCharsets.UTF_8);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TrainExample.run(o, sabotage));
        assertThat(thrown).as("output: %s", buf).isInstanceOf(java.io.IOException.class);
        String message = thrown.getMessage();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("; they were saved to (.+) instead$").matcher(message);
        assertThat(m.find()).as(message).isTrue();
        Path fallback = Path.of(m.group(1));
        try {
            assertThat(message).doesNotContain("\n").startsWith("train: --out " + target + ": the weights could not be saved after training (cannot write "
                    + target + ": " + folder + " is not a directory)");
            assertThat(fallback.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(fallback.getFileName().toString()).matches("mlp\\.unsaved-\\d{8}-\\d{6}(-\\d+)?\\.safetensors");
            var saved = (TrainExample.WeightsNotSaved) thrown;
            assertThat(saved.fallback()).contains(fallback);
            var reloaded = TrainExample.model("mlp", 99);
            org.jgrad.io.ModelFiles.load(reloaded, fallback);
            var trained = saved.result().model().stateDict();
            reloaded.stateDict().forEach((k, t) -> assertThat(t.toArray()).as(k).isEqualTo(trained.get(k).toArray()));
        } finally {
            java.nio.file.Files.deleteIfExists(fallback);
        }
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
                org.jgrad.examples.plot.PlotTest.png(plots.resolve("conv1-filters.png"), 8 * (5 * 12 + 4) + 4, 4 * (5 * 12 + 4 + org.jgrad.examples.plot.Images.SCALE_BAND + 16) + 4 + org.jgrad.examples.plot.Images.TITLE_BAND);
            } else {
                assertThat(r.files()).containsExactly(plots.resolve("training.png"), plots.resolve("confusion.png"));
            }
            String text = buf.toString(StandardCharsets.UTF_8);
            for (Path f : r.files()) assertThat(text).contains("wrote " + f);
        }
        assertThatThrownBy(() -> TrainExample.Options.parse("--plots")).hasMessageContaining("--plots needs a value");
    }

    /** {@code --limit}'s convention on top of Dataset.first: n of 0 or less means all, the dataset itself when nothing is cut. */
    @Test
    void firstKeepsTheLimitConvention() {
        var d = new TensorDataset(org.jgrad.core.Tensor.arange(10).reshape(10, 1), org.jgrad.core.Tensor.arange(10));
        assertThat(TrainExample.first((org.jgrad.data.Dataset) d, 0)).isSameAs(d);
        assertThat(TrainExample.first((org.jgrad.data.Dataset) d, -5)).isSameAs(d);
        assertThat(TrainExample.first((org.jgrad.data.Dataset) d, 10)).isSameAs(d);
        assertThat(TrainExample.first((org.jgrad.data.Dataset) d, 99)).isSameAs(d);
        assertThat(TrainExample.first((org.jgrad.data.Dataset) d, 3).all().labels().toArray()).containsExactly(0f, 1f, 2f);
        assertThat(TrainExample.first(d, 4).labels().toArray()).containsExactly(0f, 1f, 2f, 3f);
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
