package org.jgrad.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.core.Warmup;
import org.jgrad.core.kernels.Simd;
import org.jgrad.data.ByteImages;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.io.ModelFiles;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.CosineAnnealingLR;
import org.jgrad.optim.SGD;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.jgrad.train.ConfusionMatrix;
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;

/**
 * The main job: trains the reference MLP or CNN on Fashion-MNIST with data-parallel SGD,
 * printing progress, per-epoch train/validation figures, the test accuracy and the confusion
 * matrix. Uses the installed dataset when found, else the 10,000 test images shipped with the
 * examples (split into train/validation/test), and says which. With {@code --plots DIR} it also
 * draws the training curves, the test confusion matrix and (for the CNN) the learned first-layer
 * kernels as PNG files.
 */
public final class TrainExample {

    private TrainExample() {}

    /** Command-line options with the defaults of the PyTorch reference runs. */
    public record Options(String model, int epochs, int batchSize, float lr, int threads, long seed, Path data,
                          int shardSize, Progress.Mode progress, int limit, Path out, Path plots, boolean warmup) {

        /**
         * Parses the main job's command line (the options of {@link TrainCommand}, by picocli) and
         * checks it before any work.
         *
         * @param args the options, such as {@code --model cnn --epochs 3}
         * @return the options, with the model's defaults filled in
         * @throws IllegalArgumentException one line naming the option, the value and what was expected
         *         (an unknown option also gets picocli's suggestion and the usage line)
         */
        public static Options parse(String... args) {
            return parseWith(null, args);
        }

        /**
         * {@link #parse} with the options of {@code extra} added: an object with picocli {@code @Option}
         * fields, which receives their values (nn-spark's {@code --spark MASTER}); they also appear in
         * the usage line of an error.
         *
         * @param extra the added options, or {@code null} for none
         * @param args the options of the main job and the added ones, in any order
         * @return the main job's options, with the model's defaults filled in
         * @throws IllegalArgumentException as {@link #parse}
         */
        public static Options parseWith(Object extra, String... args) {
            TrainCommand c = new TrainCommand();
            picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(c);
            if (extra != null) spec.addMixin("extra", picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(extra));
            picocli.CommandLine cl = Cli.configure(new picocli.CommandLine(spec));
            try {
                cl.parseArgs(args);
            } catch (picocli.CommandLine.ParameterException e) {
                String hint = Cli.suggestion(e);
                String more = e instanceof picocli.CommandLine.UnmatchedArgumentException
                        ? (hint.isEmpty() ? "" : "\n" + hint) + "\n" + cl.getHelp().synopsis(0).stripTrailing() : "";
                throw new IllegalArgumentException(Cli.message(e) + more, e);
            }
            return c.options();
        }

        /**
         * Refuses an {@code --out} that cannot be saved to, before any work is done: one line
         * naming the path, what is wrong and what was expected. A missing parent directory is
         * fine when it can be created (the default {@code jgrad-out/} is).
         */
        static void checkOut(Path out, String model) {
            String head = "train: --out " + out + ": ";
            Path abs = out.toAbsolutePath();
            if (abs.getFileName() == null || abs.getParent() == null) {
                throw new IllegalArgumentException(head + "names no file; expected a file path such as " + abs.resolve(model + ".safetensors"));
            }
            if (java.nio.file.Files.isDirectory(abs)) {
                throw new IllegalArgumentException(head + "is a directory; expected a file path such as " + out.resolve(model + ".safetensors"));
            }
            if (java.nio.file.Files.exists(abs) && !java.nio.file.Files.isRegularFile(abs)) {
                throw new IllegalArgumentException(head + "exists and is not a regular file; expected a new file or one to replace");
            }
            Path parent = abs.getParent(), existing = parent;
            while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
            if (existing == null) throw new IllegalArgumentException(head + "no part of " + parent + " exists; expected an existing directory");
            if (!java.nio.file.Files.isDirectory(existing)) {
                throw new IllegalArgumentException(head + existing + " is a file, not a directory; expected the file's folder to be a directory");
            }
            if (!java.nio.file.Files.isWritable(existing)) {
                throw new IllegalArgumentException(head + "directory " + existing + " is not writable"
                        + (existing.equals(parent) ? "" : " (" + parent + " would be created in it)") + "; expected a directory you can write to");
            }
        }

        /** Refuses a {@code --plots} folder that cannot be written, before any work (the pictures come after training). */
        static void checkPlots(Path plots) {
            String head = "train: --plots " + plots + ": ";
            Path existing = plots.toAbsolutePath();
            while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
            if (existing == null) throw new IllegalArgumentException(head + "no part of it exists; expected a directory");
            if (!java.nio.file.Files.isDirectory(existing)) {
                throw new IllegalArgumentException(head + (existing.equals(plots.toAbsolutePath()) ? "is a file" : existing + " is a file")
                        + ", not a directory; expected a directory (made if missing)");
            }
            if (!java.nio.file.Files.isWritable(existing)) {
                throw new IllegalArgumentException(head + "directory " + existing + " is not writable; expected a directory you can write to");
            }
        }
    }

    /** The reference models of the benchmarks and the course. */
    public static Module model(String kind, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        if (kind.equals("cnn")) {
            return new Sequential(
                    new Conv2d(1, 32, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 5, 1, 2, rng), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(3136, 128, rng), new ReLU(), new Linear(128, 10, rng));
        }
        return new Sequential(new Flatten(), new Linear(784, 512, rng), new ReLU(), new Linear(512, 256, rng), new ReLU(),
                new Linear(256, 10, rng));
    }

    /**
     * Train, validation and test data and where they came from. The sets may be kept as bytes
     * ({@link ByteImages}, the installed dataset); {@link #train()}, {@link #validation()} and
     * {@link #test()} give them as tensors, for examples that work on whole tensors.
     */
    public record Data(Dataset trainSet, Dataset validationSet, Dataset testSet, String source) {

        /** The training set as tensors (converted from bytes on each call when it is kept as bytes). */
        public TensorDataset train() {
            return tensors(trainSet);
        }

        /** The validation set as tensors (converted from bytes on each call when it is kept as bytes). */
        public TensorDataset validation() {
            return tensors(validationSet);
        }

        /** The test set as tensors (converted from bytes on each call when it is kept as bytes). */
        public TensorDataset test() {
            return tensors(testSet);
        }
    }

    /** The installed dataset (55,000/5,000/10,000), else the embedded 10,000 images cut 7,000/1,500/1,500. */
    public static Data load(Path explicit, long seed) throws IOException {
        var dir = FashionMnist.locate(explicit);
        if (dir.isPresent()) {
            // Splits.randomSplit's shuffle, gathered straight from the file's bytes (no full-size copy first)
            int n = FashionMnist.trainSize(dir.get());
            int[] perm = Splits.permutation(n, new SplittableRandom(seed));
            ByteImages[] tv = FashionMnist.trainSamples(dir.get(), Arrays.copyOfRange(perm, 0, n - 5000), Arrays.copyOfRange(perm, n - 5000, n));
            return new Data(tv[0], tv[1], FashionMnist.testSamples(dir.get()), "Fashion-MNIST at " + dir.get());
        }
        if (explicit != null) throw new IOException("train: no Fashion-MNIST IDX files in " + explicit);
        return loadEmbedded(seed);
    }

    /** The 10,000 test images shipped with the examples, cut 7,000/1,500/1,500. */
    public static Data loadEmbedded(long seed) throws IOException {
        Subset[] parts = Splits.randomSplit(embedded(), seed, 7000, 1500, 1500);
        return new Data(tensors(parts[0]), tensors(parts[1]), tensors(parts[2]),
                "the embedded 10,000-image Fashion-MNIST test split (none installed; searched "
                        + FashionMnist.candidates(null) + ")");
    }

    /** The 10,000 embedded test images [10000, 1, 28, 28] and labels, in the order of the original file. */
    public static TensorDataset embedded() throws IOException {
        try (InputStream images = resource("t10k-images-idx3-ubyte.gz"); InputStream labels = resource("t10k-labels-idx1-ubyte.gz")) {
            return FashionMnist.fromStreams(images, labels, "embedded Fashion-MNIST test split");
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TrainExample.class.getResourceAsStream("/fashion-mnist/" + name);
        if (in == null) throw new IOException("train: embedded data /fashion-mnist/" + name + " is missing from the classpath");
        return in;
    }

    /** A dataset as tensors: itself when it holds tensors already, else all its samples gathered. */
    private static TensorDataset tensors(Dataset d) {
        if (d instanceof TensorDataset t) return t;
        var all = d.all();
        return new TensorDataset(all.features(), all.labels());
    }

    /** The index of the first item of each Fashion-MNIST class in {@code labels}, -1 where a class is missing. */
    public static int[] firstOfEachClass(Tensor labels) {
        int[] first = new int[FashionMnist.CLASSES.length];
        Arrays.fill(first, -1);
        float[] lab = labels.data();
        for (int i = 0; i < lab.length; i++) if (first[(int) lab[i]] < 0) first[(int) lab[i]] = i;
        return first;
    }

    /**
     * The first n samples as a view ({@link Dataset#first}), except that n ≤ 0 means no limit (the
     * {@code --limit} convention); {@code d} itself when nothing is cut, so a full
     * {@link TensorDataset} is not copied.
     */
    public static Dataset first(Dataset d, int n) {
        return n <= 0 || n >= d.size() ? d : d.first(n);
    }

    /** The first n samples (all of them when n ≤ 0 or n ≥ the size). */
    public static TensorDataset first(TensorDataset d, int n) {
        return tensors(first((Dataset) d, n));
    }

    /** Result of a run, for tests and reports; {@code files} are the PNGs written for {@code --plots} (else empty). */
    public record Result(Module model, List<Trainer.EpochStats> history, Trainer.Evaluation test, String source, List<Path> files) {}

    /**
     * The whole job: checks {@code --out} (an {@link IllegalArgumentException} before any work if
     * it cannot be written), loads the data, trains, and saves the weights. If the save fails after
     * training all the same (a full disk, permissions changed meanwhile), the weights go to a
     * fallback file in the system temp directory (else the working directory) and
     * {@link WeightsNotSaved} says where.
     */
    public static Result run(Options o, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Options.checkOut(o.out(), o.model());         // before any work: a bad --out used to fail only after training
        Path parent = o.out().toAbsolutePath().getParent();
        try {
            java.nio.file.Files.createDirectories(parent);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            throw new IllegalArgumentException("train: --out " + o.out() + ": cannot create directory " + parent + " (" + why
                    + "); expected a directory you can write to", e);
        }
        if (o.plots() != null) Options.checkPlots(o.plots());
        if (o.warmup()) Warmup.start();               // the kernels compile on the other core while the data loads
        Result r = train(o, load(o.data(), o.seed()), out, t0);
        save(r, o.out(), fallbackDirectories(), out);  // before the pictures: a failure there must not cost the weights
        return withPlots(o, r, out);
    }

    /**
     * The weights could not be written to {@code --out} after training; {@link #fallback()} is
     * where they were saved instead (empty if that failed too), {@link #result()} the run.
     */
    public static final class WeightsNotSaved extends IOException {
        private final transient Path fallback;
        private final transient Result result;

        WeightsNotSaved(String message, IOException cause, Path fallback, Result result) {
            super(message, cause);
            this.fallback = fallback;
            this.result = result;
        }

        public java.util.Optional<Path> fallback() {
            return java.util.Optional.ofNullable(fallback);
        }

        public Result result() {
            return result;
        }
    }

    /** The system temp directory, then the working directory. */
    static List<Path> fallbackDirectories() {
        return List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("").toAbsolutePath());
    }

    /** Saves the trained weights to {@code target}, or to a new file in the first of {@code fallbackDirs} that takes it. */
    static void save(Result r, Path target, List<Path> fallbackDirs, PrintStream out) throws WeightsNotSaved {
        try {
            Path parent = target.toAbsolutePath().getParent();
            // created before training; made again if it was removed since (AtomicFiles explains any other problem)
            if (parent != null && !java.nio.file.Files.exists(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                java.nio.file.Files.createDirectories(parent);
            }
            ModelFiles.save(r.model(), target);
            out.println("weights saved to " + target.toAbsolutePath().normalize() + " (safetensors; PyTorch loads them with safetensors.torch.load_file)");
            return;
        } catch (IOException e) {
            String head = "train: --out " + target + ": the weights could not be saved after training (" + e.getMessage() + ")";
            List<String> failed = new ArrayList<>();
            for (Path dir : fallbackDirs) {
                Path f = unusedName(dir, target.getFileName() == null ? Path.of("weights.safetensors") : target.getFileName());
                try {
                    ModelFiles.save(r.model(), f);
                } catch (IOException again) {
                    failed.add(again.getMessage());
                    continue;
                }
                throw new WeightsNotSaved(head + "; they were saved to " + f + " instead", e, f, r);
            }
            throw new WeightsNotSaved(head + "; the fallback copies failed too (" + String.join("; ", failed) + "): the weights are lost",
                    e, null, r);
        }
    }

    /** {@code <name>.unsaved-<time>.safetensors} in {@code dir}, with a counter if that exists already. */
    private static Path unusedName(Path dir, Path name) {
        String n = name.toString(), stem = n.endsWith(".safetensors") ? n.substring(0, n.length() - ".safetensors".length()) : n;
        String time = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path f = dir.resolve(stem + ".unsaved-" + time + ".safetensors");
        for (int i = 2; java.nio.file.Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            f = dir.resolve(stem + ".unsaved-" + time + "-" + i + ".safetensors");
        }
        return f;
    }

    /** Trains on given data (the tests pass the embedded split) and draws the {@code --plots}; saves nothing. */
    public static Result run(Options o, Data data, PrintStream out, long t0) throws IOException {
        return withPlots(o, train(o, data, out, t0), out);
    }

    private static Result withPlots(Options o, Result r, PrintStream out) throws IOException {
        if (o.plots() == null) return r;
        return new Result(r.model(), r.history(), r.test(), r.source(), plots(o.plots(), r.model(), r.history(), r.test(), out));
    }

    private static Result train(Options o, Data data, PrintStream out, long t0) {
        Parallel.setThreads(o.threads());
        Dataset train = first(data.trainSet(), o.limit());
        out.printf(Locale.ROOT, "data: %s; %d train, %d validation, %d test images (loaded in %.1fs)%n", data.source(),
                train.size(), data.validationSet().size(), data.testSet().size(), (System.nanoTime() - t0) / 1e9);
        Module model = model(o.model(), o.seed());
        out.printf(Locale.ROOT, "model: %s (%,d parameters); SGD lr %.3g momentum 0.9, cosine schedule, batch %d, shards of %d; %s; %s; Java %s%n",
                o.model(), model.numParameters(), o.lr(), o.batchSize(), o.shardSize(),
                o.threads() == 1 ? "1 thread" : o.threads() + " threads", Simd.describe(),
                System.getProperty("java.version"));
        SGD sgd = new SGD(model.parameters(), o.lr()).momentum(0.9f);
        // cosine annealing over the run: the last epochs take small steps, worth about a point of accuracy
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), sgd).scheduler(new CosineAnnealingLR(sgd, o.epochs(), 0f))
                .shardSize(o.shardSize()).progress(o.progress()).output(out);
        boolean[] first = {true};
        trainer.stepCallback(r -> {
            if (first[0]) {
                first[0] = false;
                long sinceStart = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                out.printf(Locale.ROOT, "first training step done %.2fs after the JVM started%n", sinceStart / 1000.0);
            }
        });
        List<Trainer.EpochStats> history = trainer.fit(new DataLoader(train, o.batchSize(), true, o.seed()), data.validationSet(), o.epochs());
        Trainer.Evaluation test = trainer.evaluate(data.testSet());
        out.printf(Locale.ROOT, "test: loss %.4f, accuracy %.4f%n", test.loss(), test.accuracy());
        out.println(confusionWithNames(test));
        return new Result(model, history, test, data.source(), List.of());
    }

    /**
     * The pictures of {@code --plots DIR}: loss and accuracy per epoch (train and validation),
     * the test confusion matrix, and — when the model has a convolution — its first layer's kernels.
     */
    static List<Path> plots(Path dir, Module model, List<Trainer.EpochStats> history, Trainer.Evaluation test, PrintStream out)
            throws IOException {
        int n = history.size();
        double[] epoch = new double[n], trainLoss = new double[n], valLoss = new double[n], trainAcc = new double[n], valAcc = new double[n];
        for (int i = 0; i < n; i++) {
            Trainer.EpochStats s = history.get(i);
            epoch[i] = s.epoch() + 1;
            trainLoss[i] = s.trainLoss();
            valLoss[i] = s.valLoss();
            trainAcc[i] = s.trainAccuracy();
            valAcc[i] = s.valAccuracy();
        }
        List<Path> files = new ArrayList<>();
        files.add(Plot.saveGrid(dir.resolve("training.png"), 2, List.of(
                curves("Loss per epoch", "cross-entropy loss", epoch, trainLoss, valLoss, Styler.LegendPosition.InsideNE),
                curves("Accuracy per epoch", "accuracy", epoch, trainAcc, valAcc, Styler.LegendPosition.InsideSE))));
        ConfusionMatrix cm = test.confusion();
        long[][] counts = new long[cm.classes()][cm.classes()];
        String[] rows = new String[cm.classes()], cols = new String[cm.classes()];
        for (int a = 0; a < cm.classes(); a++) {
            for (int p = 0; p < cm.classes(); p++) counts[a][p] = cm.count(a, p);
            // the names fit the row labels; the narrow columns get the class numbers shown in the rows
            rows[a] = a + " " + FashionMnist.CLASSES[a];
            cols[a] = Integer.toString(a);
        }
        files.add(Images.matrix(dir.resolve("confusion.png"),
                String.format(Locale.ROOT, "Test confusion matrix (accuracy %.3f)", test.accuracy()), counts, rows, cols,
                "true class", "predicted class"));
        Conv2d conv = firstConv(model);
        if (conv != null) {
            int[] s = conv.weight().shape();   // [K, C, R, S]
            float[] w = conv.weight().toArray();
            int size = s[2] * s[3];
            List<float[]> kernels = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int k = 0; k < s[0] * s[1]; k++) {
                kernels.add(java.util.Arrays.copyOfRange(w, k * size, (k + 1) * size));
                captions.add(Integer.toString(k));
            }
            String title = String.format(Locale.ROOT, "First conv layer: %d learned %d×%d kernels", kernels.size(), s[2], s[3]);
            files.add(Images.gridWithScales(dir.resolve("conv1-filters.png"), title, kernels, s[2], s[3], 8, 12, captions));
        }
        for (Path f : files) out.println("wrote " + f);
        return files;
    }

    /** Train and validation curves over the epochs, dots at the epochs so a one-epoch run still shows. */
    private static Plot curves(String title, String yLabel, double[] epoch, double[] train, double[] validation,
                               Styler.LegendPosition legend) {
        Plot p = Plot.of(title, "epoch", yLabel, 600, 420).line("train", epoch, train).line("validation", epoch, validation);
        for (var series : p.chart().getSeriesMap().values()) series.setMarker(SeriesMarkers.CIRCLE);
        if (epoch.length <= 3) p.chart().getStyler().setMarkerSize(10);   // a short run's few dots must catch the eye
        p.chart().getStyler().setLegendPosition(legend);   // out of the way of curves that fall (loss) or rise (accuracy)
        return p;
    }

    /** The first Conv2d met in a depth-first walk of the model, or null. */
    private static Conv2d firstConv(Module m) {
        if (m instanceof Conv2d c) return c;
        for (Module child : m.namedChildren().values()) {
            Conv2d c = firstConv(child);
            if (c != null) return c;
        }
        return null;
    }

    private static String confusionWithNames(Trainer.Evaluation test) {
        StringBuilder sb = new StringBuilder("classes: ");
        for (int i = 0; i < FashionMnist.CLASSES.length; i++) sb.append(i).append('=').append(FashionMnist.CLASSES[i]).append(i < 9 ? ", " : "\n");
        return sb + test.confusion().toTable();
    }
}
