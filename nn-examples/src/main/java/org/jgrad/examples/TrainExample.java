package org.jgrad.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.kernels.Simd;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
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
import org.jgrad.train.Progress;
import org.jgrad.train.Trainer;

/**
 * The main job: trains the reference MLP or CNN on Fashion-MNIST with data-parallel SGD,
 * printing progress, per-epoch train/validation figures, the test accuracy and the confusion
 * matrix. Uses the installed dataset when found, else the 10,000 test images shipped with the
 * examples (split into train/validation/test), and says which.
 */
public final class TrainExample {

    private TrainExample() {}

    /** Command-line options with the defaults of the PyTorch reference runs. */
    public record Options(String model, int epochs, int batchSize, float lr, int threads, long seed, Path data,
                          int shardSize, Progress.Mode progress, int limit, Path out) {

        public static Options parse(String... args) {
            String model = "mlp";
            Integer epochs = null, batch = null, threads = null, limit = null;
            Float lr = null;
            long seed = 42;
            Path data = null, out = null;
            int shard = 32;
            Progress.Mode progress = Progress.Mode.AUTO;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--model" -> model = need(a, v);
                    case "--epochs" -> epochs = Integer.parseInt(need(a, v));
                    case "--batch-size" -> batch = Integer.parseInt(need(a, v));
                    case "--lr" -> lr = Float.parseFloat(need(a, v));
                    case "--threads" -> threads = Integer.parseInt(need(a, v));
                    case "--seed" -> seed = Long.parseLong(need(a, v));
                    case "--data" -> data = Path.of(need(a, v));
                    case "--shard-size" -> shard = Integer.parseInt(need(a, v));
                    case "--limit" -> limit = Integer.parseInt(need(a, v));
                    case "--out" -> out = Path.of(need(a, v));
                    case "--no-progress" -> {
                        progress = Progress.Mode.OFF;
                        continue;
                    }
                    default -> throw new IllegalArgumentException("train: unknown option '" + a + "'\n" + usage());
                }
                i++;
            }
            if (!model.equals("mlp") && !model.equals("cnn")) {
                throw new IllegalArgumentException("train: --model must be mlp or cnn, got '" + model + "'");
            }
            boolean cnn = model.equals("cnn");
            return new Options(model, epochs != null ? epochs : cnn ? 3 : 5, batch != null ? batch : cnn ? 64 : 128,
                    lr != null ? lr : cnn ? 0.05f : 0.1f, threads != null ? threads : Parallel.threads(), seed, data, shard,
                    progress, limit != null ? limit : 0, out != null ? out : Path.of("jgrad-out", model + ".safetensors"));
        }

        private static String need(String option, String value) {
            if (value == null) throw new IllegalArgumentException("train: " + option + " needs a value");
            return value;
        }

        static String usage() {
            return "train [--model mlp|cnn] [--epochs N] [--batch-size N] [--lr X] [--threads N] [--seed N]"
                    + " [--data DIR] [--shard-size N] [--limit N] [--out FILE.safetensors] [--no-progress]";
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

    /** Train, validation and test data and where they came from. */
    public record Data(TensorDataset train, TensorDataset validation, TensorDataset test, String source) {}

    /** The installed dataset (55,000/5,000/10,000), else the embedded 10,000 images cut 7,000/1,500/1,500. */
    public static Data load(Path explicit, long seed) throws IOException {
        var dir = FashionMnist.locate(explicit);
        if (dir.isPresent()) {
            FashionMnist.Splits s = FashionMnist.load(dir.get());
            Subset[] tv = Splits.randomSplit(s.train(), seed, s.train().size() - 5000, 5000);
            return new Data(materialize(tv[0]), materialize(tv[1]), s.test(), "Fashion-MNIST at " + dir.get());
        }
        if (explicit != null) throw new IOException("train: no Fashion-MNIST IDX files in " + explicit);
        return loadEmbedded(seed);
    }

    /** The 10,000 test images shipped with the examples, cut 7,000/1,500/1,500. */
    public static Data loadEmbedded(long seed) throws IOException {
        try (InputStream images = resource("t10k-images-idx3-ubyte.gz"); InputStream labels = resource("t10k-labels-idx1-ubyte.gz")) {
            TensorDataset all = FashionMnist.fromStreams(images, labels, "embedded Fashion-MNIST test split");
            Subset[] parts = Splits.randomSplit(all, seed, 7000, 1500, 1500);
            return new Data(materialize(parts[0]), materialize(parts[1]), materialize(parts[2]),
                    "the embedded 10,000-image Fashion-MNIST test split (none installed; searched "
                            + FashionMnist.candidates(null) + ")");
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TrainExample.class.getResourceAsStream("/fashion-mnist/" + name);
        if (in == null) throw new IOException("train: embedded data /fashion-mnist/" + name + " is missing from the classpath");
        return in;
    }

    private static TensorDataset materialize(org.jgrad.data.Dataset d) {
        var all = d.all();
        return new TensorDataset(all.features(), all.labels());
    }

    private static TensorDataset first(TensorDataset d, int n) {
        if (n <= 0 || n >= d.size()) return d;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        var b = d.batch(idx);
        return new TensorDataset(b.features(), b.labels());
    }

    /** Result of a run, for tests and reports. */
    public record Result(Module model, List<Trainer.EpochStats> history, Trainer.Evaluation test, String source) {}

    public static Result run(Options o, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Result r = run(o, load(o.data(), o.seed()), out, t0);
        Path parent = o.out().toAbsolutePath().getParent();
        if (parent != null) java.nio.file.Files.createDirectories(parent);
        ModelFiles.save(r.model(), o.out());
        out.println("weights saved to " + o.out() + " (safetensors; PyTorch loads them with safetensors.torch.load_file)");
        return r;
    }

    /** Trains on given data (the tests pass the embedded split). */
    public static Result run(Options o, Data data, PrintStream out, long t0) {
        Parallel.setThreads(o.threads());
        TensorDataset train = first(data.train(), o.limit());
        out.printf(Locale.ROOT, "data: %s; %d train, %d validation, %d test images (loaded in %.1fs)%n", data.source(),
                train.size(), data.validation().size(), data.test().size(), (System.nanoTime() - t0) / 1e9);
        Module model = model(o.model(), o.seed());
        out.printf(Locale.ROOT, "model: %s (%,d parameters); SGD lr %.3g momentum 0.9, cosine schedule, batch %d, shards of %d; %d threads; %s; Java %s%n",
                o.model(), model.numParameters(), o.lr(), o.batchSize(), o.shardSize(), o.threads(), Simd.describe(),
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
        List<Trainer.EpochStats> history = trainer.fit(new DataLoader(train, o.batchSize(), true, o.seed()), data.validation(), o.epochs());
        Trainer.Evaluation test = trainer.evaluate(data.test());
        out.printf(Locale.ROOT, "test: loss %.4f, accuracy %.4f%n", test.loss(), test.accuracy());
        out.println(confusionWithNames(test));
        return new Result(model, history, test, data.source());
    }

    private static String confusionWithNames(Trainer.Evaluation test) {
        StringBuilder sb = new StringBuilder("classes: ");
        for (int i = 0; i < FashionMnist.CLASSES.length; i++) sb.append(i).append('=').append(FashionMnist.CLASSES[i]).append(i < 9 ? ", " : "\n");
        return sb + test.confusion().toTable();
    }

    /** Used by Main. */
    static Map<String, String> describe() {
        return Map.of("train", "train the reference MLP or CNN on Fashion-MNIST: " + Options.usage());
    }
}
