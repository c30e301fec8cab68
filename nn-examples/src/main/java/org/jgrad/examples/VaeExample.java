package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.BCEWithLogitsLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Reduction;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A variational autoencoder on Fashion-MNIST. The encoder 784 → 256 → 2·L gives each image a
 * Gaussian q(z|x) = N(μ, σ²) over an L-number code (L = 2 by default, so it can be drawn); the
 * decoder L → 256 → 784 turns a code into pixel logits. Training draws the code by the
 * reparameterisation trick z = μ + σ·ε, ε ~ N(0, I) (so the gradient reaches μ and σ), and
 * minimises the negative ELBO per image,
 * <pre>
 *   reconstruction  Σ_pixels BCE(decoder(z), x)         (grey levels as Bernoulli targets)
 *   + KL            ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)   = KL(N(μ, σ²) ‖ N(0, I))
 * </pre>
 * both printed per epoch, on the training batches and on test images. Because the KL term pulls
 * every q(z|x) towards N(0, I), codes drawn from N(0, I) decode to new clothes: the samples are
 * shown beside their nearest training image, whose distance is printed.
 *
 * <pre>
 *   ./jgrad vae --out plots --epochs 20 --limit 55000
 * </pre>
 */
public final class VaeExample {

    private static final int PIXELS = 28 * 28, HIDDEN = 256, BATCH = 128, SAMPLES = 32, SHOWN_POINTS = 2000, STEPS = 9;
    /** The two test items interpolated between, by class: Trouser and Ankle boot lie far apart on the map. */
    private static final int FROM_CLASS = 1, TO_CLASS = 9;

    /** Reconstruction and KL terms per image (nats), on the training batches and on the test images, and the seconds taken. */
    public record Epoch(double reconstruction, double kl, double testReconstruction, double testKl, double seconds) {
        /** The negative ELBO per image on the test images. */
        public double testLoss() {
            return testReconstruction + testKl;
        }
    }

    /**
     * The test −ELBO before training, each epoch's terms, the RMS pixel distance from each prior
     * sample to its nearest training image (smallest and mean), the same mean for test images
     * (real items the model never saw: what "new" looks like), and the PNGs.
     */
    public record Result(double untrainedTestLoss, List<Epoch> epochs, double sampleNearestMin, double sampleNearestMean,
                         double testNearestMean, List<Path> files) {}

    /** Encoder, decoder and the loss: the whole model of the lecture in one module. */
    public static final class Vae extends Module {
        private final int latent;
        private final Sequential encoder, decoder;
        private final BCEWithLogitsLoss bce = new BCEWithLogitsLoss(Reduction.BATCH_MEAN);   // summed per image, mean over the batch

        public Vae(int latent, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.latent = latent;
            encoder = registerModule("encoder", new Sequential(new Linear(PIXELS, HIDDEN, rng), new ReLU(), new Linear(HIDDEN, 2 * latent, rng)));
            decoder = registerModule("decoder", new Sequential(new Linear(latent, HIDDEN, rng), new ReLU(), new Linear(HIDDEN, PIXELS, rng)));
        }

        /** [n, 784] → μ [n, L] (the code used for pictures; the reconstruction is {@link #forward}). */
        public Tensor mean(Tensor x) {
            return encoder.forward(x).narrow(1, 0, latent);
        }

        /** Codes [n, L] → pixel probabilities [n, 784]. */
        public Tensor decode(Tensor z) {
            return decoder.forward(z).sigmoid();
        }

        /** The reconstruction from the mean code, decode(μ(x)). */
        @Override
        public Tensor forward(Tensor x) {
            return decode(mean(x));
        }

        /** The two terms of the negative ELBO per image (0-d tensors), with ε drawn from {@code rng}. */
        public Tensor[] loss(Tensor x, RandomGenerator rng) {
            Tensor h = encoder.forward(x);
            Tensor mu = h.narrow(1, 0, latent), logVar = h.narrow(1, latent, latent);
            Tensor z = mu.add(logVar.mul(0.5f).exp().mul(Tensor.randn(rng, x.size(0), latent)));
            Tensor reconstruction = bce.forward(decoder.forward(z), x);
            return new Tensor[] {reconstruction, kl(mu, logVar)};
        }
    }

    /** KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²), averaged over the rows of μ and log σ² [n, L]. */
    static Tensor kl(Tensor mu, Tensor logVar) {
        return mu.mul(mu).add(logVar.exp()).sub(1).sub(logVar).sum().mul(0.5f / mu.size(0));
    }

    private VaeExample() {}

    /** {@code vae}'s options. */
    @Command(name = "vae")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
        int epochs = 8;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train on the first N training images (default: ${DEFAULT-VALUE}).")
        int limit = 10000;

        @Option(names = "--latent", paramLabel = "L",
                description = "Dimensions of the latent space, at least 2 (default: ${DEFAULT-VALUE}).")
        int latent = 2;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate of Adam (default: ${DEFAULT-VALUE}).")
        double lr = 2e-3;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (epochs < 1 || limit < SAMPLES || latent < 2) {
                throw new IllegalArgumentException("vae: --epochs must be at least 1, --limit at least " + SAMPLES + " and --latent at least 2, got "
                        + epochs + ", " + limit + " and " + latent);
            }
            return VaeExample.run(TrainExample.load(null, seed), limit, epochs, latent, (float) lr, seed, out.dir(), stdout);
        }
    }

    /** {@code vae [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Trains on the first {@code limit} training images of {@code data}, evaluates on its test split and draws the pictures. */
    public static Result run(TrainExample.Data data, int limit, int epochs, int latent, float lr, long seed, Path dir, PrintStream out)
            throws IOException {
        TensorDataset testSet = data.test();             // converted once (it may be kept as bytes)
        TensorDataset train = flat(data.train(), limit), test = flat(testSet, Integer.MAX_VALUE);
        Vae vae = new Vae(latent, seed);
        Adam adam = new Adam(vae.parameters(), lr);
        out.printf(Locale.ROOT, "vae: 784 → %d → 2×%d (μ, log σ²) | z = μ + σ·ε | %d → %d → 784 (%,d parameters), Adam lr %.3g, batch %d;"
                + " %d training and %d test images from %s%n", HIDDEN, latent, latent, HIDDEN, vae.numParameters(), lr, BATCH,
                train.size(), test.size(), data.source());
        out.println("loss per image (nats) = reconstruction (BCE summed over 784 pixels) + KL(q(z|x) ‖ N(0, I)) = −ELBO");

        double untrained = sum(evaluate(vae, test, seed));
        out.printf(Locale.ROOT, "untrained: test %.1f%n", untrained);
        SplittableRandom noise = new SplittableRandom(seed + 1);
        DataLoader loader = new DataLoader(train, BATCH, true, seed);
        List<Epoch> history = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            double rec = 0, kl = 0;
            vae.train();
            for (Batch b : loader.epoch(e)) {
                adam.zeroGrad();
                Tensor[] terms = vae.loss(b.features(), noise);
                terms[0].add(terms[1]).backward();
                adam.step();
                rec += terms[0].item() * b.size();
                kl += terms[1].item() * b.size();
            }
            double[] t = evaluate(vae, test, seed);
            Epoch ep = new Epoch(rec / train.size(), kl / train.size(), t[0], t[1], (System.nanoTime() - t0) / 1e9);
            history.add(ep);
            out.printf(Locale.ROOT, "epoch %d: train %.1f + %.2f = %.1f, test %.1f + %.2f = %.1f (%.1fs)%n", e + 1, ep.reconstruction(),
                    ep.kl(), ep.reconstruction() + ep.kl(), ep.testReconstruction(), ep.testKl(), ep.testLoss(), ep.seconds());
        }

        vae.eval();
        float[] samples;
        try (var off = GradMode.off()) {
            samples = vae.decode(Tensor.randn(new SplittableRandom(seed + 2), SAMPLES, latent)).toArray();
        }
        int[] sampleNearest = new int[SAMPLES], testNearest = new int[SAMPLES];
        double[] sampleDist = nearest(samples, train.features().data(), train.size(), sampleNearest);
        double[] testDist = nearest(Arrays.copyOf(test.features().data(), SAMPLES * PIXELS), train.features().data(), train.size(), testNearest);
        double minDist = Arrays.stream(sampleDist).min().orElseThrow(), meanDist = Arrays.stream(sampleDist).average().orElseThrow();
        double testMean = Arrays.stream(testDist).average().orElseThrow();
        out.printf(Locale.ROOT, "%d samples from the prior: RMS pixel distance to the nearest training image %.3f on average, %.3f at least"
                + " (%d test images: %.3f on average)%n", SAMPLES, meanDist, minDist, SAMPLES, testMean);

        int[] firsts = TrainExample.firstOfEachClass(testSet.labels());
        int from = firsts[FROM_CLASS] >= 0 ? firsts[FROM_CLASS] : 0, to = firsts[TO_CLASS] >= 0 ? firsts[TO_CLASS] : 1;
        float[][] path = interpolation(vae, test, from, to);
        List<Path> files = List.of(
                reconstructions(dir.resolve("reconstructions.png"), vae, test, testSet.labels(), firsts),
                samples(dir.resolve("samples.png"), samples, sampleDist, sampleNearest, train),
                latentMap(dir.resolve("latent.png"), vae, test, testSet.labels(), path[0]),
                interpolationPicture(dir.resolve("interpolation.png"), path[1], test, testSet.labels(), from, to));
        for (Path f : files) out.println("wrote " + f);
        return new Result(untrained, history, minDist, meanDist, testMean, files);
    }

    /** The first {@code limit} images as rows [n, 784] with their labels. */
    private static TensorDataset flat(TensorDataset d, int limit) {
        int n = Math.min(limit, d.size());
        float[] x = Arrays.copyOf(d.features().data(), n * PIXELS), y = Arrays.copyOf(d.labels().data(), n);
        return new TensorDataset(Tensor.of(x, n, PIXELS), Tensor.of(y, n));
    }

    /** Test reconstruction and KL per image, with the same ε every time (seeded) so epochs compare. */
    private static double[] evaluate(Vae vae, TensorDataset test, long seed) {
        SplittableRandom rng = new SplittableRandom(seed + 3);
        double rec = 0, kl = 0;
        int n = test.size();
        try (var off = GradMode.off()) {
            for (int i = 0; i < n; i += 1000) {
                int m = Math.min(1000, n - i);
                Tensor[] t = vae.loss(test.features().narrow(0, i, m), rng);
                rec += t[0].item() * m;
                kl += t[1].item() * m;
            }
        }
        return new double[] {rec / n, kl / n};
    }

    private static double sum(double[] v) {
        return Arrays.stream(v).sum();
    }

    /**
     * For each of the images [k, 784] in {@code a}, the RMS pixel distance to its nearest row
     * of {@code train} [n, 784], the index of which goes to {@code index}.
     */
    static double[] nearest(float[] a, float[] train, int n, int[] index) {
        int k = a.length / PIXELS;
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < k; i++) {
                double sq = 0;
                for (int p = 0; p < PIXELS && sq < best[i]; p++) {   // stop once it cannot be nearer
                    double d = a[i * PIXELS + p] - train[j * PIXELS + p];
                    sq += d * d;
                }
                if (sq < best[i]) {
                    best[i] = sq;
                    index[i] = j;
                }
            }
        }
        for (int i = 0; i < k; i++) best[i] = Math.sqrt(best[i] / PIXELS);
        return best;
    }

    /** The codes μ from test item {@code from} to {@code to} in {@value #STEPS} steps (flat [STEPS·L]), and their decodings [STEPS·784]. */
    private static float[][] interpolation(Vae vae, TensorDataset test, int from, int to) {
        try (var off = GradMode.off()) {
            Tensor ends = vae.mean(test.batch(new int[] {from, to}).features());
            Tensor a = ends.narrow(0, 0, 1), b = ends.narrow(0, 1, 1);
            Tensor t = Tensor.arange(0, STEPS, 1).div(STEPS - 1).reshape(STEPS, 1);
            Tensor z = a.add(b.sub(a).mul(t));                        // (1 − t)·a + t·b, broadcast to [STEPS, L]
            return new float[][] {z.toArray(), vae.decode(z).toArray()};
        }
    }

    /** The first test image of each class (top row) above its reconstruction from μ with its reconstruction term (bottom row). */
    private static Path reconstructions(Path file, Vae vae, TensorDataset test, Tensor labels, int[] firsts) throws IOException {
        int[] idx = Arrays.stream(firsts).filter(i -> i >= 0).toArray();
        return AutoencoderExample.reconstructionGrid(file,
                "Test images (top) and their VAE reconstructions from μ (bottom), reconstruction term in nats",
                test, labels, idx, vae::forward, (x, y) -> {
                    double bce = 0;
                    for (int p = 0; p < PIXELS; p++) {
                        double q = Math.min(Math.max(y[p], 1e-7), 1 - 1e-7), v = x[p];
                        bce -= v * Math.log(q) + (1 - v) * Math.log(1 - q);
                    }
                    return String.format(Locale.ROOT, "BCE %.0f", bce);
                });
    }

    /** Prior samples (rows 1, 3, …) above their nearest training image with its RMS distance (rows 2, 4, …), 8 to a row. */
    private static Path samples(Path file, float[] samples, double[] dist, int[] nearest, TensorDataset train) throws IOException {
        int cols = 8;
        float[] tr = train.features().data();
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < SAMPLES; r += cols) {
            for (int i = r; i < r + cols; i++) {
                images.add(Arrays.copyOfRange(samples, i * PIXELS, (i + 1) * PIXELS));
                captions.add("sample " + (i + 1));
            }
            for (int i = r; i < r + cols; i++) {
                images.add(Arrays.copyOfRange(tr, nearest[i] * PIXELS, (nearest[i] + 1) * PIXELS));
                captions.add(String.format(Locale.ROOT, "d = %.3f", dist[i]));
            }
        }
        return Images.grid(file, "Decoded samples z ~ N(0, I), each above its nearest training image at RMS pixel distance d",
                images, 28, 28, cols, 3, captions);
    }

    /**
     * μ of the first {@value #SHOWN_POINTS} test images coloured by class, with the interpolation
     * path; for L > 2 the two code dimensions whose μ varies most.
     */
    private static Path latentMap(Path file, Vae vae, TensorDataset test, Tensor labels, float[] path) throws IOException {
        int n = Math.min(SHOWN_POINTS, test.size()), latent = vae.latent;
        float[] z;
        try (var off = GradMode.off()) {
            z = vae.mean(test.features().narrow(0, 0, n)).toArray();
        }
        int[] dims = widestDims(z, n, latent);
        float[] lab = labels.data();
        String title = "Codes μ of " + n + " test images by class (the VAE never saw the labels)"
                + (latent > 2 ? "; the 2 of " + latent + " dims with the largest spread" : "");
        Plot plot = Plot.of(title, "z" + (dims[0] + 1), "z" + (dims[1] + 1), 900, 640);
        for (int c = 0; c < FashionMnist.CLASSES.length; c++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < n; i++) if ((int) lab[i] == c) mine.add(i);
            if (mine.isEmpty()) continue;   // a small test set may lack a class
            double[] px = new double[mine.size()], py = new double[mine.size()];
            for (int k = 0; k < mine.size(); k++) {
                px[k] = z[mine.get(k) * latent + dims[0]];
                py[k] = z[mine.get(k) * latent + dims[1]];
            }
            plot.points(FashionMnist.CLASSES[c], px, py, Images.PALETTE[c]);
        }
        double[] lx = new double[STEPS], ly = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            lx[s] = path[s * latent + dims[0]];
            ly[s] = path[s * latent + dims[1]];
        }
        String line = "interpolation " + FashionMnist.CLASSES[FROM_CLASS] + " → " + FashionMnist.CLASSES[TO_CLASS];
        plot.line(line, lx, ly);
        plot.chart().getSeriesMap().get(line).setLineColor(java.awt.Color.BLACK);
        plot.chart().getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        plot.chart().getStyler().setMarkerSize(4);
        return plot.save(file);
    }

    /** The two code dimensions with the largest variance of μ (0 and 1 when L = 2). */
    private static int[] widestDims(float[] z, int n, int latent) {
        double[] var = new double[latent];
        for (int j = 0; j < latent; j++) {
            double s = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                s += z[i * latent + j];
                sq += z[i * latent + j] * z[i * latent + j];
            }
            var[j] = sq / n - (s / n) * (s / n);
        }
        int a = 0, b = 1;
        if (var[b] > var[a]) { a = 1; b = 0; }
        for (int j = 2; j < latent; j++) {
            if (var[j] > var[a]) { b = a; a = j; } else if (var[j] > var[b]) b = j;
        }
        return a < b ? new int[] {a, b} : new int[] {b, a};
    }

    /** Top: item A, the decoded codes along the line to item B's, item B. Bottom: the same ends cross-faded pixel by pixel. */
    private static Path interpolationPicture(Path file, float[] decoded, TensorDataset test, Tensor labels, int from, int to) throws IOException {
        float[] x = test.batch(new int[] {from, to}).features().data();
        float[] a = Arrays.copyOfRange(x, 0, PIXELS), b = Arrays.copyOfRange(x, PIXELS, 2 * PIXELS);
        String nameA = FashionMnist.CLASSES[(int) labels.data()[from]], nameB = FashionMnist.CLASSES[(int) labels.data()[to]];
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        images.add(a);
        captions.add(nameA);
        for (int s = 0; s < STEPS; s++) {
            images.add(Arrays.copyOfRange(decoded, s * PIXELS, (s + 1) * PIXELS));
            captions.add(String.format(Locale.ROOT, "t = %.3g", s / (double) (STEPS - 1)));
        }
        images.add(b);
        captions.add(nameB);
        images.add(a);
        captions.add(nameA);
        for (int s = 0; s < STEPS; s++) {
            float t = s / (float) (STEPS - 1);
            float[] mix = new float[PIXELS];
            for (int p = 0; p < PIXELS; p++) mix[p] = (1 - t) * a[p] + t * b[p];
            images.add(mix);
            captions.add(String.format(Locale.ROOT, "t = %.3g", t));
        }
        images.add(b);
        captions.add(nameB);
        return Images.grid(file, nameA + " → " + nameB + ": decoded along the line between their codes μ (top) vs pixels cross-faded (bottom)",
                images, 28, 28, STEPS + 2, 4, captions);
    }
}
