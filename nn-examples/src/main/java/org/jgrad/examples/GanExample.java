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
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.BCEWithLogitsLoss;
import org.jgrad.nn.LeakyReLU;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.optim.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A generative adversarial network on Fashion-MNIST, both players MLPs: the generator
 * G: z (L numbers ~ N(0, I)) → 256 → 512 → 784 pixels in [−1, 1] (tanh), and the discriminator
 * D: 784 → 256 → 1 logit "real". Each batch takes two alternating steps,
 * <pre>
 *   D step   minimise  BCE(D(x), 1) + BCE(D(G(z)), 0)       G(z) detached: only D moves
 *   G step   minimise  BCE(D(G(z)), 1)                      the non-saturating loss; only G moves
 * </pre>
 * with Adam for each (betas 0.5, 0.999 as in DCGAN; lr 10⁻³ rather than its 2·10⁻⁴, for a short run). Both losses and D's accuracy on
 * the real and on the generated images of its batches are printed per epoch: at the equilibrium
 * D outputs ½ everywhere, its loss is 2 ln 2 ≈ 1.39, G's is ln 2 ≈ 0.69, and D's accuracy on
 * fakes falls from near 1 towards ½. Since z has no labels, the vector arithmetic of DCGAN
 * (A − B + C on mean codes) picks its concepts by naming each generated image after the class
 * of its nearest training image.
 *
 * <pre>
 *   ./jgrad gan --out plots --epochs 30 --limit 55000
 * </pre>
 */
public final class GanExample {

    private static final int PIXELS = 28 * 28, BATCH = 64, COLUMNS = 10, MAX_ROWS = 10, POOL = 400, PER_CONCEPT = 3, REFERENCE = 2000, EVAL = 1000, SMOOTH = 10;
    private static final double LN2 = Math.log(2);
    /** Candidate equations A − B + C, by class index; the first three whose classes the generator draws well are shown. */
    private static final int[][] EQUATIONS = {
            {2, 0, 3},   // Pullover − T-shirt/top + Dress: add sleeves to a dress
            {9, 7, 5},   // Ankle boot − Sneaker + Sandal: a tall sandal
            {4, 2, 6},   // Coat − Pullover + Shirt
            {2, 0, 6},   // Pullover − T-shirt/top + Shirt
            {9, 5, 7},   // Ankle boot − Sandal + Sneaker
            {3, 1, 0},   // Dress − Trouser + T-shirt/top
    };

    /**
     * Mean losses over the epoch's batches, D's accuracy on their real and generated images (before its step), then at the
     * epoch's end on {@value #EVAL} test images and on G(z) for {@value #EVAL} fixed codes, and the seconds taken.
     */
    public record Epoch(double dLoss, double gLoss, double realAccuracy, double fakeAccuracy, double testRealAccuracy,
                        double testFakeAccuracy, double seconds) {
        /** The same figures with the time zeroed, for comparing two runs. */
        public Epoch withoutTime() {
            return new Epoch(dLoss, gLoss, realAccuracy, fakeAccuracy, testRealAccuracy, testFakeAccuracy, 0);
        }
    }

    /** One shown equation: the class names A, B, C. */
    public record Equation(String a, String b, String c) {
        @Override
        public String toString() {
            return a + " − " + b + " + " + c;
        }
    }

    /**
     * Each epoch's figures; D's start on generated images, the highest {@value #SMOOTH}-batch mean of
     * its accuracy on them in the first epoch (once it has learned to tell noise from clothes);
     * the per-batch losses and fake accuracies, the equations drawn, and the PNGs.
     */
    public record Result(List<Epoch> epochs, double startFakeAccuracy, double[] stepDLoss, double[] stepGLoss, double[] stepFakeAccuracy, List<Equation> equations,
                         List<Path> files) {}

    private GanExample() {}

    /** G: z [n, L] → images [n, 784] in [−1, 1]. */
    static Sequential generator(int latent, SplittableRandom rng) {
        return new Sequential(new Linear(latent, 256, rng), new LeakyReLU(0.2f), new Linear(256, 512, rng), new LeakyReLU(0.2f),
                new Linear(512, PIXELS, rng), new Tanh());
    }

    /** D: images [n, 784] → logits [n, 1], positive for "real". */
    static Sequential discriminator(SplittableRandom rng) {
        return new Sequential(new Linear(PIXELS, 256, rng), new LeakyReLU(0.2f), new Linear(256, 1, rng));
    }

    /** {@code gan}'s options. */
    @Command(name = "gan")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
        int epochs = 8;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train on the first N training images (default: ${DEFAULT-VALUE}).")
        int limit = 6000;

        @Option(names = "--latent", paramLabel = "L",
                description = "Dimensions of the generator's input noise (default: ${DEFAULT-VALUE}).")
        int latent = 32;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate of Adam, both networks (default: ${DEFAULT-VALUE}).")
        double lr = 1e-3;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (epochs < 1 || limit < BATCH || latent < 1) {
                throw new IllegalArgumentException("gan: --epochs must be at least 1, --limit at least " + BATCH + " and --latent at least 1, got "
                        + epochs + ", " + limit + " and " + latent);
            }
            return GanExample.run(TrainExample.load(null, seed), limit, epochs, latent, (float) lr, seed, out.dir(), stdout);
        }
    }

    /** {@code gan [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Trains on the first {@code limit} training images of {@code data} and draws the pictures. */
    public static Result run(TrainExample.Data data, int limit, int epochs, int latent, float lr, long seed, Path dir, PrintStream out)
            throws IOException {
        TensorDataset all = data.train(), train = scaled(all, limit);
        SplittableRandom init = new SplittableRandom(seed);
        Sequential g = generator(latent, init), d = discriminator(init);
        Adam gOpt = new Adam(g.parameters(), lr).betas(0.5f, 0.999f), dOpt = new Adam(d.parameters(), lr).betas(0.5f, 0.999f);
        BCEWithLogitsLoss bce = new BCEWithLogitsLoss();
        out.printf(Locale.ROOT, "gan: G %d → 256 → 512 → 784 tanh (%,d parameters), D 784 → 256 → 1 logit (%,d parameters);"
                + " Adam lr %.3g betas (0.5, 0.999), batch %d; %d training images (scaled to [−1, 1]) from %s%n",
                latent, g.numParameters(), d.numParameters(), lr, BATCH, train.size(), data.source());
        out.println("per batch: D step on BCE(D(x), 1) + BCE(D(G(z)), 0), then G step on BCE(D(G(z)), 1);"
                + " at equilibrium D loss = 2 ln 2 = 1.39, G loss = ln 2 = 0.69, D accuracy on fakes = 0.5");

        Tensor fixedZ = Tensor.randn(new SplittableRandom(seed + 2), COLUMNS, latent), evalZ = Tensor.randn(new SplittableRandom(seed + 5), EVAL, latent);
        TensorDataset test = scaled(data.test(), EVAL);
        Tensor testReal = test.features();
        List<float[]> rows = new ArrayList<>();
        List<Integer> rowEpochs = new ArrayList<>();
        int every = Math.max(1, (epochs + MAX_ROWS - 1) / MAX_ROWS);
        rows.add(decode(g, fixedZ));
        rowEpochs.add(0);

        SplittableRandom noise = new SplittableRandom(seed + 1);
        DataLoader loader = new DataLoader(train, BATCH, true, seed);
        int perEpoch = (train.size() + BATCH - 1) / BATCH;
        double[] stepD = new double[epochs * perEpoch], stepG = new double[epochs * perEpoch], stepFake = new double[epochs * perEpoch];
        List<Epoch> history = new ArrayList<>();
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            double dSum = 0, gSum = 0, realRight = 0, fakeRight = 0;
            for (Batch b : loader.epoch(e)) {
                int n = b.size();
                Tensor real = b.features(), ones = Tensor.ones(n, 1), zeros = Tensor.zeros(n, 1);
                Tensor fake = g.forward(Tensor.randn(noise, n, latent));

                dOpt.zeroGrad();
                Tensor onReal = d.forward(real), onFake = d.forward(fake.detach());
                Tensor dLoss = bce.forward(onReal, ones).add(bce.forward(onFake, zeros));
                dLoss.backward();
                dOpt.step();

                gOpt.zeroGrad();   // D's gradients from this step are cleared by the next dOpt.zeroGrad()
                Tensor gLoss = bce.forward(d.forward(fake), ones);
                gLoss.backward();
                gOpt.step();

                int r = count(onReal.data(), true), f = count(onFake.data(), false);
                stepD[step] = dLoss.item();
                stepG[step] = gLoss.item();
                stepFake[step++] = f / (double) n;
                dSum += dLoss.item() * n;
                gSum += gLoss.item() * n;
                realRight += r;
                fakeRight += f;
            }
            int m = train.size();
            double[] judged = judge(d, g, testReal, evalZ);
            Epoch ep = new Epoch(dSum / m, gSum / m, realRight / m, fakeRight / m, judged[0], judged[1], (System.nanoTime() - t0) / 1e9);
            history.add(ep);
            out.printf(Locale.ROOT, "epoch %d: D loss %.3f, G loss %.3f; D accuracy on the batches: real %.3f, generated %.3f;"
                    + " at the end: test images %.3f, generated %.3f (%.1fs)%n", e + 1, ep.dLoss(), ep.gLoss(), ep.realAccuracy(),
                    ep.fakeAccuracy(), ep.testRealAccuracy(), ep.testFakeAccuracy(), ep.seconds());
            if ((e + 1) % every == 0 || e == epochs - 1) {
                rows.add(decode(g, fixedZ));
                rowEpochs.add(e + 1);
            }
        }

        Arithmetic arithmetic = arithmetic(g, latent, train, all.labels(), seed, out);
        List<Path> files = new ArrayList<>(List.of(
                progress(dir.resolve("samples.png"), rows, rowEpochs),
                curves(dir.resolve("losses.png"), stepD, stepG, stepFake, perEpoch, history)));
        if (arithmetic.images.isEmpty()) {
            out.println("vector arithmetic: the generator draws too few classes for any equation; train longer");
        } else {
            files.add(Images.grid(dir.resolve("arithmetic.png"),
                    "G(mean z_A − mean z_B + mean z_C); A, B, C named by nearest training image",
                    arithmetic.images, 28, 28, 3 * PER_CONCEPT, 3, arithmetic.captions));
        }
        for (Path file : files) out.println("wrote " + file);
        double start = Arrays.stream(smooth(Arrays.copyOf(stepFake, perEpoch))).max().orElseThrow();
        out.printf(Locale.ROOT, "D accuracy on generated images: %.3f at the start (best %d-batch mean of epoch 1), %.3f in the last epoch%n",
                start, SMOOTH, history.get(epochs - 1).fakeAccuracy());
        return new Result(history, start, stepD, stepG, stepFake, arithmetic.equations, files);
    }

    /** The first {@code limit} images as rows [n, 784] scaled from [0, 1] to tanh's [−1, 1], with their labels. */
    private static TensorDataset scaled(TensorDataset d, int limit) {
        int n = Math.min(limit, d.size());
        float[] x = Arrays.copyOf(d.features().data(), n * PIXELS), y = Arrays.copyOf(d.labels().data(), n);
        for (int i = 0; i < x.length; i++) x[i] = 2 * x[i] - 1;
        return new TensorDataset(Tensor.of(x, n, PIXELS), Tensor.of(y, n));
    }

    /** How many logits D gets right: positive for real images, negative for generated ones. */
    private static int count(float[] logits, boolean real) {
        int k = 0;
        for (float v : logits) if (real ? v > 0 : v < 0) k++;
        return k;
    }

    /** D's accuracy on the real images [n, 784] and on G(z) for the codes z. */
    private static double[] judge(Sequential d, Sequential g, Tensor real, Tensor z) {
        try (var off = GradMode.off()) {
            return new double[] {count(d.forward(real).data(), true) / (double) real.size(0),
                    count(d.forward(g.forward(z)).data(), false) / (double) z.size(0)};
        }
    }

    private static float[] decode(Sequential g, Tensor z) {
        try (var off = GradMode.off()) {
            return g.forward(z).toArray();
        }
    }

    private record Arithmetic(List<Equation> equations, List<float[]> images, List<String> captions) {}

    /**
     * Draws {@value #POOL} samples, names each after the class of its nearest of the first
     * {@value #REFERENCE} training images, keeps per class the {@value #PER_CONCEPT} closest
     * to their neighbour, and for up to three equations A − B + C decodes the arithmetic on the
     * mean codes. Per equation two rows: the samples of A, B and C; then their mean codes
     * decoded, the result, the result with small noise added to z, and the same sum on pixels.
     */
    private static Arithmetic arithmetic(Sequential g, int latent, TensorDataset train, Tensor labels, long seed, PrintStream out) {
        Tensor z = Tensor.randn(new SplittableRandom(seed + 3), POOL, latent);
        float[] x = decode(g, z), zs = z.data();
        int ref = Math.min(REFERENCE, train.size());
        int[] nearest = new int[POOL];
        double[] dist = VaeExample.nearest(x, train.features().data(), ref, nearest);
        int classes = FashionMnist.CLASSES.length;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < POOL; i++) byClass.get((int) labels.data()[nearest[i]]).add(i);
        for (List<Integer> l : byClass) l.sort((i, j) -> Double.compare(dist[i], dist[j]));
        StringBuilder counts = new StringBuilder();
        for (int c = 0; c < classes; c++) counts.append(c == 0 ? "" : ", ").append(FashionMnist.CLASSES[c]).append(' ').append(byClass.get(c).size());
        out.println(POOL + " samples named by their nearest training image: " + counts);

        List<Equation> equations = new ArrayList<>();
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        SplittableRandom jitter = new SplittableRandom(seed + 4);
        for (int[] eq : EQUATIONS) {
            if (equations.size() == 3) break;
            if (Arrays.stream(eq).anyMatch(c -> byClass.get(c).size() < PER_CONCEPT)) continue;
            Equation named = new Equation(FashionMnist.CLASSES[eq[0]], FashionMnist.CLASSES[eq[1]], FashionMnist.CLASSES[eq[2]]);
            equations.add(named);
            float[][] meanZ = new float[3][latent], meanX = new float[3][PIXELS];
            for (int t = 0; t < 3; t++) {
                for (int k = 0; k < PER_CONCEPT; k++) {
                    int i = byClass.get(eq[t]).get(k);
                    images.add(Arrays.copyOfRange(x, i * PIXELS, (i + 1) * PIXELS));
                    captions.add((t == 0 ? "A " : t == 1 ? "B " : "C ") + FashionMnist.CLASSES[eq[t]]);
                    for (int j = 0; j < latent; j++) meanZ[t][j] += zs[i * latent + j] / PER_CONCEPT;
                    for (int p = 0; p < PIXELS; p++) meanX[t][p] += x[i * PIXELS + p] / PER_CONCEPT;
                }
            }
            int variants = 3 * PER_CONCEPT - 5;
            float[] codes = new float[(4 + variants) * latent];
            for (int t = 0; t < 3; t++) System.arraycopy(meanZ[t], 0, codes, t * latent, latent);
            for (int v = 0; v <= variants; v++) {
                for (int j = 0; j < latent; j++) {
                    codes[(3 + v) * latent + j] = meanZ[0][j] - meanZ[1][j] + meanZ[2][j] + (v == 0 ? 0 : 0.25f * (float) jitter.nextGaussian());
                }
            }
            float[] decoded = decode(g, Tensor.of(codes, 4 + variants, latent));
            String[] names = {"mean z_A", "mean z_B", "mean z_C", "z_A−z_B+z_C"};
            for (int k = 0; k < 4 + variants; k++) {
                images.add(Arrays.copyOfRange(decoded, k * PIXELS, (k + 1) * PIXELS));
                captions.add(k < 4 ? names[k] : "+ noise 0.25");
            }
            float[] pixels = new float[PIXELS];
            for (int p = 0; p < PIXELS; p++) pixels[p] = meanX[0][p] - meanX[1][p] + meanX[2][p];
            images.add(pixels);
            captions.add("pixels A−B+C");
            out.println("vector arithmetic: " + named);
        }
        return new Arithmetic(equations, images, captions);
    }

    /** The same {@value #COLUMNS} codes decoded before training and after each shown epoch, one row per epoch. */
    private static Path progress(Path file, List<float[]> rows, List<Integer> epochs) throws IOException {
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int k = 0; k < COLUMNS; k++) {
                images.add(Arrays.copyOfRange(rows.get(r), k * PIXELS, (k + 1) * PIXELS));
                captions.add(k > 0 ? "" : epochs.get(r) == 0 ? "untrained" : "epoch " + epochs.get(r));
            }
        }
        return Images.grid(file, "G(z) for the same " + COLUMNS + " codes z, one row per epoch (top: untrained)",
                images, 28, 28, COLUMNS, 3, captions);
    }

    /** Per-batch losses (as moving means) beside D's accuracy on generated and real images, with the equilibrium values. */
    private static Path curves(Path file, double[] stepD, double[] stepG, double[] stepFake, int perEpoch, List<Epoch> history)
            throws IOException {
        int n = stepD.length, e = history.size();
        double[] x = new double[n], ex = new double[e], eFake = new double[e], eReal = new double[e];
        for (int i = 0; i < n; i++) x[i] = (i + 1) / (double) perEpoch;
        for (int k = 0; k < e; k++) {
            ex[k] = k + 1;
            eFake[k] = history.get(k).testFakeAccuracy();
            eReal[k] = history.get(k).testRealAccuracy();
        }
        double[] ends = {0, e};
        String mean = " (mean of " + SMOOTH + " batches)";
        Plot losses = Plot.of("GAN losses per batch" + mean, "epoch", "BCE loss")
                .line("D: BCE(D(x),1) + BCE(D(G(z)),0)", x, smooth(stepD)).line("G: BCE(D(G(z)),1)", x, smooth(stepG))
                .line("2 ln 2 (D at equilibrium)", ends, new double[] {2 * LN2, 2 * LN2}).line("ln 2 (G at equilibrium)", ends, new double[] {LN2, LN2});
        Plot accuracy = Plot.of("Discriminator accuracy", "epoch", "fraction classified right").yRange(0, 1.05)
                .line("generated, in training" + mean, x, smooth(stepFake))
                .line("generated, " + EVAL + " fixed z, epoch end", ex, eFake).line("real test images, epoch end", ex, eReal)
                .line("0.5 (equilibrium)", ends, new double[] {0.5, 0.5});
        return Plot.saveGrid(file, 2, List.of(losses, accuracy));
    }

    /** The mean of each value and the up to {@value #SMOOTH} − 1 before it. */
    private static double[] smooth(double[] v) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i] - (i >= SMOOTH ? v[i - SMOOTH] : 0);
            out[i] = sum / Math.min(i + 1, SMOOTH);
        }
        return out;
    }
}
