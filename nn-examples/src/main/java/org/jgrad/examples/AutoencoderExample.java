package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MSELoss;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Sigmoid;
import org.jgrad.optim.Adam;
import org.jgrad.train.Trainer;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An MLP autoencoder on Fashion-MNIST: 784 → 256 → <b>2</b> → 256 → 784 with a sigmoid output,
 * trained with Adam to reproduce its input under the mean squared error. Everything it knows
 * about an image must pass through two numbers, so it learns a map of the clothes: the
 * pictures are test images above their reconstructions, and the test images placed at their
 * two latent numbers, coloured by class (which the network never saw).
 *
 * <p>The yardstick is the loss of always answering the mean training image; the trained
 * autoencoder must beat it (and its own untrained start). Uses the installed Fashion-MNIST when
 * found, else the embedded split; {@code --limit N} training images.
 *
 * <pre>
 *   ./jgrad autoencoder --out plots --epochs 10
 * </pre>
 */
public final class AutoencoderExample {

    /** Size of the code in the middle; 2 so that it can be drawn. */
    public static final int LATENT = 2;

    private static final int PIXELS = 28 * 28, SHOWN_POINTS = 2000;

    /**
     * Test MSE per pixel before and after training and of the mean training image, the test MSE
     * after each epoch, and the PNGs.
     */
    public record Result(double initialLoss, double finalLoss, double meanImageLoss, double[] testLossPerEpoch, List<Path> files) {}

    private AutoencoderExample() {}

    /** {@code autoencoder}'s options. */
    @Command(name = "autoencoder")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
        int epochs = 10;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train on the first N training images (default: ${DEFAULT-VALUE}).")
        int limit = 10000;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate of Adam (default: ${DEFAULT-VALUE}).")
        double lr = 2e-3;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (epochs < 1 || limit < 1) {
                throw new IllegalArgumentException("autoencoder: --epochs and --limit must be at least 1, got " + epochs + " and " + limit);
            }
            return AutoencoderExample.run(TrainExample.load(null, seed), limit, epochs, (float) lr, seed, out.dir(), stdout);
        }
    }

    /** {@code autoencoder [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** The encoder 784 → 256 → 2 and decoder 2 → 256 → 784 (sigmoid: pixels are in [0, 1]), as one Sequential of the two. */
    public static Sequential model(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential encoder = new Sequential(new Linear(PIXELS, 256, rng), new ReLU(), new Linear(256, LATENT, rng));
        Sequential decoder = new Sequential(new Linear(LATENT, 256, rng), new ReLU(), new Linear(256, PIXELS, rng), new Sigmoid());
        return new Sequential(encoder, decoder);
    }

    /** Trains on the first {@code limit} training images of {@code data}, evaluates on its test split and draws the pictures. */
    public static Result run(TrainExample.Data data, int limit, int epochs, float lr, long seed, Path dir, PrintStream out)
            throws IOException {
        TensorDataset testSet = data.test();             // converted once (it may be kept as bytes)
        TensorDataset train = selfTargets(data.train(), limit), test = selfTargets(testSet, Integer.MAX_VALUE);
        Sequential model = model(seed);
        Trainer trainer = new Trainer(model, new MSELoss(), new Adam(model.parameters(), lr)).output(null);
        out.printf(Locale.ROOT, "autoencoder: 784 → 256 → %d → 256 → 784 (%,d parameters), Adam lr %.3g, batch 128, MSE; %d training and %d test"
                + " images from %s%n", LATENT, model.numParameters(), lr, train.size(), test.size(), data.source());

        double initial = trainer.evaluate(test).loss();
        double meanImage = meanImageLoss(train.features(), test.features());
        out.printf(Locale.ROOT, "test MSE per pixel: untrained %.4f; always the mean training image %.4f%n", initial, meanImage);
        double[] perEpoch = new double[epochs];
        trainer.callback(s -> {
            perEpoch[s.epoch()] = s.valLoss();
            out.printf(Locale.ROOT, "epoch %d: train MSE %.4f, test MSE %.4f (%.1fs)%n", s.epoch() + 1, s.trainLoss(), s.valLoss(), s.seconds());
        });
        trainer.fit(new DataLoader(train, 128, true, seed), test, epochs);
        double last = perEpoch[epochs - 1];
        out.printf(Locale.ROOT, "trained: test MSE %.4f = %.0f%% of the mean-image baseline%n", last, 100 * last / meanImage);

        model.eval();
        List<Path> files = List.of(reconstructions(dir.resolve("reconstructions.png"), model, test, testSet.labels()),
                latentMap(dir.resolve("latent.png"), (Sequential) model.get(0), test, testSet.labels()));
        for (Path f : files) out.println("wrote " + f);
        return new Result(initial, last, meanImage, perEpoch, files);
    }

    /** The first {@code limit} images as flat rows [n, 784], each its own target. */
    private static TensorDataset selfTargets(TensorDataset d, int limit) {
        int n = Math.min(limit, d.size());
        float[] flat = Arrays.copyOf(d.features().data(), n * PIXELS);
        Tensor x = Tensor.of(flat, n, PIXELS);
        return new TensorDataset(x, x);
    }

    /** MSE per pixel of predicting the mean training image for every test image. */
    static double meanImageLoss(Tensor train, Tensor test) {
        float[] tr = train.data(), te = test.data();
        double[] mean = new double[PIXELS];
        int n = train.size(0), m = test.size(0);
        for (int i = 0; i < n; i++) for (int p = 0; p < PIXELS; p++) mean[p] += tr[i * PIXELS + p];
        for (int p = 0; p < PIXELS; p++) mean[p] /= n;
        double sq = 0;
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < PIXELS; p++) {
                double d = te[i * PIXELS + p] - mean[p];
                sq += d * d;
            }
        }
        return sq / ((double) m * PIXELS);
    }

    /** The first test image of each class (top row) above its reconstruction with its MSE (bottom row). */
    private static Path reconstructions(Path file, Module model, TensorDataset test, Tensor labels) throws IOException {
        int[] idx = Arrays.stream(TrainExample.firstOfEachClass(labels)).filter(i -> i >= 0).toArray();
        return reconstructionGrid(file, "Test images (top) and their reconstructions from " + LATENT + " numbers (bottom)",
                test, labels, idx, model::forward, (x, r) -> {
                    double sq = 0;
                    for (int p = 0; p < PIXELS; p++) sq += (r[p] - x[p]) * (r[p] - x[p]);
                    return String.format(Locale.ROOT, "MSE %.3f", sq / PIXELS);
                });
    }

    /**
     * Test images {@code idx} (top row, captioned with their class) above what {@code reconstruct}
     * makes of them (bottom row, captioned by {@code error} of an image and its reconstruction):
     * the picture the autoencoder and the VAE draw.
     */
    static Path reconstructionGrid(Path file, String title, TensorDataset test, Tensor labels, int[] idx,
                                   java.util.function.UnaryOperator<Tensor> reconstruct,
                                   java.util.function.BiFunction<float[], float[], String> error) throws IOException {
        float[] lab = labels.data();
        float[] x = test.batch(idx).features().data(), y;
        try (var off = GradMode.off()) {
            y = reconstruct.apply(Tensor.of(x, idx.length, PIXELS)).toArray();
        }
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int k = 0; k < idx.length; k++) {
            images.add(Arrays.copyOfRange(x, k * PIXELS, (k + 1) * PIXELS));
            captions.add(FashionMnist.CLASSES[(int) lab[idx[k]]]);
        }
        for (int k = 0; k < idx.length; k++) {
            float[] r = Arrays.copyOfRange(y, k * PIXELS, (k + 1) * PIXELS);
            images.add(r);
            captions.add(error.apply(Arrays.copyOfRange(x, k * PIXELS, (k + 1) * PIXELS), r));
        }
        return Images.grid(file, title, images, 28, 28, idx.length, 4, captions);
    }

    /** The codes of the first {@value #SHOWN_POINTS} test images as points coloured by class. */
    private static Path latentMap(Path file, Sequential encoder, TensorDataset test, Tensor labels) throws IOException {
        int n = Math.min(SHOWN_POINTS, test.size());
        float[] z;
        try (var off = GradMode.off()) {
            z = encoder.forward(test.features().narrow(0, 0, n)).toArray();
        }
        float[] lab = labels.data();
        Plot plot = Plot.of("Latent codes of " + n + " test images (the encoder never saw the labels)", "z1", "z2", 900, 640);
        for (int c = 0; c < FashionMnist.CLASSES.length; c++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < n; i++) if ((int) lab[i] == c) mine.add(i);
            if (mine.isEmpty()) continue;   // a small test set may lack a class
            double[] px = new double[mine.size()], py = new double[mine.size()];
            for (int k = 0; k < mine.size(); k++) {
                px[k] = z[mine.get(k) * LATENT];
                py[k] = z[mine.get(k) * LATENT + 1];
            }
            plot.points(FashionMnist.CLASSES[c], px, py, Images.PALETTE[c]);
        }
        plot.chart().getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        plot.chart().getStyler().setMarkerSize(4);
        return plot.save(file);
    }
}
