package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.ContrastiveLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.TripletMarginLoss;
import org.jgrad.optim.Adam;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Siamese networks on Fashion-MNIST: one MLP f, 784 → 128 → 64 → <b>2</b>, applied to each image
 * of a pair (or triplet), so the twins share every weight. It never sees a label as a target,
 * only "these two are the same kind of clothing" or "these are not", and learns an embedding
 * where the same kind lies close. Trained three times from the same start on the same
 * triplets (query q, positive p of its class, negative n of another):
 * <ul>
 *   <li><b>contrastive</b> on the pairs (q, p) similar and (q, n) dissimilar:
 *       ½·d² for a similar pair, ½·max(0, m − d)² for a dissimilar one;</li>
 *   <li><b>triplet, squared</b> (the lecture's, FaceNet's): max(‖f(q) − f(p)‖² − ‖f(q) − f(n)‖² + m, 0),
 *       {@link TripletMarginLoss#squared(float)};</li>
 *   <li><b>triplet, unsquared</b> (PyTorch's {@code TripletMarginLoss}): max(‖f(q) − f(p)‖ − ‖f(q) − f(n)‖ + m, 0).</li>
 * </ul>
 * Each embedding is judged by retrieval: held-out test images as queries, the training images
 * as the gallery, and a query counts as right when its nearest gallery item (Euclidean) has its
 * class. Chance is 10 %; the same search on raw pixels and through the untrained net are printed
 * for scale. Uses the installed Fashion-MNIST when found, else the embedded split.
 *
 * <pre>
 *   ./jgrad siamese --out plots --epochs 10 --limit 10000 --dim 8
 * </pre>
 */
public final class SiameseExample {

    private static final int PIXELS = 28 * 28, BATCH = 64, NEIGHBOURS = 5;

    /** The three objectives, each with the name it prints under. */
    public enum Objective {
        CONTRASTIVE("contrastive (margin 1)"),
        TRIPLET_SQUARED("triplet, squared distances (lecture; margin 1)"),
        TRIPLET("triplet, distances (PyTorch; margin 1)");

        private final String label;

        Objective(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The loss of one batch of triplets; contrastive takes each as two pairs, (q, p) similar and (q, n) not. */
        Tensor loss(Module f, Tensor q, Tensor p, Tensor n) {
            return switch (this) {
                case CONTRASTIVE -> {
                    int b = q.size(0);
                    float[] same = new float[2 * b];
                    Arrays.fill(same, 0, b, 1f);
                    yield new ContrastiveLoss().forward(f.forward(Tensor.cat(0, q, q)), f.forward(Tensor.cat(0, p, n)), Tensor.of(same));
                }
                case TRIPLET_SQUARED -> TripletMarginLoss.squared(1f).forward(f.forward(q), f.forward(p), f.forward(n));
                case TRIPLET -> new TripletMarginLoss().forward(f.forward(q), f.forward(p), f.forward(n));
            };
        }
    }

    /** One objective's training: its mean loss per epoch, its retrieval accuracy and the seconds it took. */
    public record Run(Objective objective, double[] lossPerEpoch, double accuracy, double seconds) {}

    /**
     * The gradients of the contrastive loss of one batch of pairs with respect to every parameter
     * of the shared net: through branch A only (B's embedding detached), through B only, and
     * through both (the pair loss's, which the chain rule makes A's + B's).
     */
    public record BranchGradients(List<String> names, Tensor[] fromA, Tensor[] fromB, Tensor[] pair) {}

    /**
     * The shared net's parameter count, 1-NN retrieval accuracy on raw pixels and through the
     * untrained net, each objective's run, the branch gradients at the start, and the PNGs.
     */
    public record Result(long parameters, double pixelAccuracy, double untrainedAccuracy, List<Run> runs, BranchGradients gradients,
            List<Path> files) {}

    private SiameseExample() {}

    /** {@code siamese}'s options. */
    @Command(name = "siamese")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes over the training images, per loss (default: ${DEFAULT-VALUE}).")
        int epochs = 4;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train on the first N training images (default: ${DEFAULT-VALUE}).")
        int limit = 3000;

        @Option(names = "--queries", paramLabel = "N",
                description = "Test images used as retrieval queries (default: ${DEFAULT-VALUE}).")
        int queries = 1000;

        @Option(names = "--dim", paramLabel = "D",
                description = "Dimensions of the embedding, at least 2 (default: ${DEFAULT-VALUE}).")
        int dim = 2;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate of Adam (default: ${DEFAULT-VALUE}).")
        double lr = 1e-3;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (epochs < 1 || queries < 1 || limit < 2 * BATCH || dim < 2) {
                throw new IllegalArgumentException("siamese: --epochs and --queries must be at least 1, --limit at least " + 2 * BATCH
                        + " and --dim at least 2, got " + epochs + ", " + queries + ", " + limit + " and " + dim);
            }
            return SiameseExample.run(TrainExample.load(null, seed), limit, queries, epochs, dim, (float) lr, seed, out.dir(), stdout);
        }
    }

    /** {@code siamese [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** The shared net f: 784 → 128 → 64 → dim. */
    public static Sequential model(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(PIXELS, 128, rng), new ReLU(), new Linear(128, 64, rng), new ReLU(), new Linear(64, dim, rng));
    }

    /**
     * Trains one net per objective on triplets drawn from the first {@code limit} training
     * images, and retrieves the first {@code queries} test images among those training images.
     */
    public static Result run(TrainExample.Data data, int limit, int queries, int epochs, int dim, float lr, long seed, Path dir, PrintStream out)
            throws IOException {
        TensorDataset all = data.train();
        TensorDataset testSet = data.test();             // converted once (it may be kept as bytes)
        Tensor train = flat(all, limit), test = flat(testSet, queries);
        int[] trainLabels = labels(all, limit), testLabels = labels(testSet, queries);
        Sequential start = model(dim, seed);
        out.printf(Locale.ROOT, "siamese: one net f = 784 → 128 → 64 → %d applied to each image of a pair or triplet (%,d parameters, shared"
                + " by the twins); Adam lr %.3g, batch %d, %d epochs of %,d triplets; %,d queries from the test split, a gallery of the"
                + " %,d training images, from %s%n", dim, start.numParameters(), lr, BATCH, epochs, train.size(0), test.size(0),
                train.size(0), data.source());

        BranchGradients g = branchGradients(start, rows(train, range(0, BATCH)), rows(train, range(BATCH, 2 * BATCH)),
                sameClass(trainLabels, range(0, BATCH), range(BATCH, 2 * BATCH)));
        double na = norm(g.fromA()[0]), nb = norm(g.fromB()[0]), np = norm(g.pair()[0]);
        out.printf(Locale.ROOT, "gradient of the contrastive loss of %d pairs on f's first weights (%s): through branch A %.4g, through B"
                + " %.4g, through both %.4g = |A + B| %.4g%n", BATCH, g.names().get(0), na, nb, np, norm(g.fromA()[0].add(g.fromB()[0])));

        double pixels = accuracy(nearest(test, train, 1), testLabels, trainLabels);
        double untrained = accuracy(nearest(embed(start, test), embed(start, train), 1), testLabels, trainLabels);
        out.printf(Locale.ROOT, "retrieval, nearest gallery image of the query's class: chance 10.0%%, raw pixels %.1f%%, untrained f %.1f%%%n",
                100 * pixels, 100 * untrained);

        List<Run> runs = new ArrayList<>();
        List<Sequential> nets = new ArrayList<>();
        for (Objective o : Objective.values()) {
            Sequential f = model(dim, seed);
            long t0 = System.nanoTime();
            double[] losses = train(f, o, train, trainLabels, epochs, lr, seed);
            double acc = accuracy(nearest(embed(f, test), embed(f, train), 1), testLabels, trainLabels);
            Run r = new Run(o, losses, acc, (System.nanoTime() - t0) / 1e9);
            StringBuilder perEpoch = new StringBuilder();
            for (double l : losses) perEpoch.append(String.format(Locale.ROOT, " %.4f", l));
            out.printf(Locale.ROOT, "%-48s loss per epoch%s; retrieval %.1f%% (%.1fs)%n", o.label() + ":", perEpoch, 100 * acc, r.seconds());
            runs.add(r);
            nets.add(f);
        }

        List<Path> files = List.of(embeddingMap(dir.resolve("embedding.png"), runs, nets, test, testLabels, dim),
                retrievals(dir.resolve("retrieval.png"), nets.get(Objective.TRIPLET_SQUARED.ordinal()), test, testLabels, train, trainLabels));
        for (Path f : files) out.println("wrote " + f);
        return new Result(start.numParameters(), pixels, untrained, runs, g, files);
    }

    /**
     * The contrastive loss of the pairs (x1_i, x2_i) through f, differentiated with respect to
     * f's parameters three ways: B's embedding detached, A's detached, neither.
     */
    public static BranchGradients branchGradients(Module f, Tensor x1, Tensor x2, Tensor similar) {
        Tensor[] params = f.parameters().toArray(Tensor[]::new);
        ContrastiveLoss loss = new ContrastiveLoss();
        Tensor[] fromA = Autograd.grad(loss.forward(f.forward(x1), f.forward(x2).detach(), similar), params);
        Tensor[] fromB = Autograd.grad(loss.forward(f.forward(x1).detach(), f.forward(x2), similar), params);
        Tensor[] pair = Autograd.grad(loss.forward(f.forward(x1), f.forward(x2), similar), params);
        return new BranchGradients(List.copyOf(f.namedParameters().keySet()), fromA, fromB, pair);
    }

    /** Adam on the objective over shuffled triplets, a fresh positive and negative per query each epoch; the mean loss per epoch. */
    static double[] train(Module f, Objective o, Tensor x, int[] labels, int epochs, float lr, long seed) {
        Adam opt = new Adam(f.parameters(), lr);
        SplittableRandom rng = new SplittableRandom(seed);   // the same triplets for every objective
        int[][] byClass = byClass(labels);
        int n = labels.length;
        double[] perEpoch = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            int[] order = permutation(n, rng);
            double sum = 0;
            int batches = 0;
            for (int s = 0; s + BATCH <= n; s += BATCH) {
                int[] q = Arrays.copyOfRange(order, s, s + BATCH), p = new int[BATCH], m = new int[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    int[] same = byClass[labels[q[i]]];
                    do p[i] = same[rng.nextInt(same.length)]; while (p[i] == q[i] && same.length > 1);
                    do m[i] = rng.nextInt(n); while (labels[m[i]] == labels[q[i]]);
                }
                opt.zeroGrad();
                Tensor loss = o.loss(f, rows(x, q), rows(x, p), rows(x, m));
                loss.backward();
                opt.step();
                sum += loss.item();
                batches++;
            }
            perEpoch[e] = sum / batches;
        }
        return perEpoch;
    }

    /**
     * For each query row, the indices of its k nearest gallery rows by Euclidean distance, nearest
     * first; ‖q − g‖² = ‖q‖² − 2 q·g + ‖g‖² with q·g as one matrix product.
     */
    static int[][] nearest(Tensor queries, Tensor gallery, int k) {
        int m = queries.size(0), n = gallery.size(0), d = queries.size(1);
        float[] dots, q = queries.toArray(), g = gallery.toArray();
        try (var off = GradMode.off()) {
            dots = queries.matmul(gallery.transpose(0, 1)).toArray();
        }
        double[] gg = new double[n];
        for (int j = 0; j < n; j++) for (int c = 0; c < d; c++) gg[j] += (double) g[j * d + c] * g[j * d + c];
        int[][] out = new int[m][];
        double[] dist = new double[n];
        for (int i = 0; i < m; i++) {
            double qq = 0;
            for (int c = 0; c < d; c++) qq += (double) q[i * d + c] * q[i * d + c];
            for (int j = 0; j < n; j++) dist[j] = qq - 2.0 * dots[i * n + j] + gg[j];
            int[] best = new int[Math.min(k, n)];
            for (int r = 0; r < best.length; r++) {
                int arg = -1;
                for (int j = 0; j < n; j++) if (arg < 0 || dist[j] < dist[arg]) arg = j;
                best[r] = arg;
                dist[arg] = Double.POSITIVE_INFINITY;
            }
            out[i] = best;
        }
        return out;
    }

    /** The fraction of queries whose first neighbour has the query's label. */
    static double accuracy(int[][] neighbours, int[] queryLabels, int[] galleryLabels) {
        int right = 0;
        for (int i = 0; i < neighbours.length; i++) if (galleryLabels[neighbours[i][0]] == queryLabels[i]) right++;
        return (double) right / neighbours.length;
    }

    /**
     * The embeddings of each objective's test queries by class, side by side; dimensions above 2
     * are shown on their first two principal components.
     */
    private static Path embeddingMap(Path file, List<Run> runs, List<Sequential> nets, Tensor test, int[] labels, int dim) throws IOException {
        List<Plot> plots = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            float[] z = embed(nets.get(r), test).toArray();
            double[][] xy = dim == 2 ? columns(z) : principalPlane(z, dim);
            Run run = runs.get(r);
            Plot plot = Plot.of(String.format(Locale.ROOT, "%s: 1-NN retrieval %.1f%%", run.objective().label(), 100 * run.accuracy()),
                    dim == 2 ? "f(x)₁" : "principal component 1 of f(x)", dim == 2 ? "f(x)₂" : "principal component 2 of f(x)", 640, 560);
            for (int c = 0; c < FashionMnist.CLASSES.length; c++) {
                List<Integer> mine = new ArrayList<>();
                for (int i = 0; i < labels.length; i++) if (labels[i] == c) mine.add(i);
                if (mine.isEmpty()) continue;
                double[] px = new double[mine.size()], py = new double[mine.size()];
                for (int k = 0; k < mine.size(); k++) {
                    px[k] = xy[0][mine.get(k)];
                    py[k] = xy[1][mine.get(k)];
                }
                plot.points(FashionMnist.CLASSES[c], px, py, Images.PALETTE[c]);
            }
            plot.chart().getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            plot.chart().getStyler().setLegendVisible(r == runs.size() - 1);   // one legend, beside the last panel
            plot.chart().getStyler().setMarkerSize(4);
            plots.add(plot);
        }
        return Plot.saveGrid(file, plots.size(), plots);
    }

    /** The first test query of each class (left column) and its five nearest gallery images, captioned with their classes. */
    private static Path retrievals(Path file, Module f, Tensor test, int[] testLabels, Tensor train, int[] trainLabels) throws IOException {
        List<Integer> shown = new ArrayList<>();
        for (int c = 0; c < FashionMnist.CLASSES.length; c++) {
            for (int i = 0; i < testLabels.length; i++) {
                if (testLabels[i] == c) {
                    shown.add(i);
                    break;
                }
            }
        }
        int[] idx = shown.stream().mapToInt(Integer::intValue).toArray();
        Tensor queries = rows(test, idx);
        int[][] nn = nearest(embed(f, queries), embed(f, train), NEIGHBOURS);
        float[] q = queries.toArray(), g = train.toArray();
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < idx.length; r++) {
            images.add(Arrays.copyOfRange(q, r * PIXELS, (r + 1) * PIXELS));
            captions.add(FashionMnist.CLASSES[testLabels[idx[r]]]);
            for (int j : nn[r]) {
                images.add(Arrays.copyOfRange(g, j * PIXELS, (j + 1) * PIXELS));
                captions.add((trainLabels[j] == testLabels[idx[r]] ? "" : "✗ ") + FashionMnist.CLASSES[trainLabels[j]]);
            }
        }
        return Images.grid(file, "Test queries (left) and their " + NEIGHBOURS + " nearest training images under f (squared triplet)",
                images, 28, 28, NEIGHBOURS + 1, 4, captions);
    }

    /** The first two coordinates of n points of dimension 2. */
    private static double[][] columns(float[] z) {
        int n = z.length / 2;
        double[][] xy = new double[2][n];
        for (int i = 0; i < n; i++) {
            xy[0][i] = z[2 * i];
            xy[1][i] = z[2 * i + 1];
        }
        return xy;
    }

    /** The points' coordinates along the two leading eigenvectors of their covariance (power iteration, the second deflated). */
    static double[][] principalPlane(float[] z, int d) {
        int n = z.length / d;
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) mean[c] += z[i * d + c] / (double) n;
        double[][] cov = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) cov[a][b] += (z[i * d + a] - mean[a]) * (z[i * d + b] - mean[b]);
        }
        double[][] xy = new double[2][n];
        for (int k = 0; k < 2; k++) {
            double[] v = new double[d];
            Arrays.fill(v, 1);
            v[k] = 2;   // not orthogonal to a leading eigenvector by accident
            double lambda = 0;
            for (int it = 0; it < 500; it++) {
                double[] w = new double[d];
                for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) w[a] += cov[a][b] * v[b];
                lambda = Math.sqrt(Arrays.stream(w).map(x -> x * x).sum());
                if (lambda == 0) break;
                for (int a = 0; a < d; a++) v[a] = w[a] / lambda;
            }
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) cov[a][b] -= lambda * v[a] * v[b];
            for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) xy[k][i] += (z[i * d + c] - mean[c]) * v[c];
        }
        return xy;
    }

    private static Tensor embed(Module f, Tensor x) {
        try (var off = GradMode.off()) {
            return f.forward(x);
        }
    }

    /** The first {@code limit} images of {@code d} as rows [n, 784]. */
    private static Tensor flat(TensorDataset d, int limit) {
        int n = Math.min(limit, d.size());
        return Tensor.of(Arrays.copyOf(d.features().data(), n * PIXELS), n, PIXELS);
    }

    private static int[] labels(TensorDataset d, int limit) {
        int n = Math.min(limit, d.size());
        int[] y = new int[n];
        float[] lab = d.labels().data();
        for (int i = 0; i < n; i++) y[i] = (int) lab[i];
        return y;
    }

    private static Tensor rows(Tensor x, int[] idx) {
        int d = x.size(1);
        float[] src = x.data(), dst = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) System.arraycopy(src, idx[i] * d, dst, i * d, d);
        return Tensor.of(dst, idx.length, d);
    }

    private static Tensor sameClass(int[] labels, int[] a, int[] b) {
        float[] y = new float[a.length];
        for (int i = 0; i < a.length; i++) y[i] = labels[a[i]] == labels[b[i]] ? 1f : 0f;
        return Tensor.of(y);
    }

    private static int[][] byClass(int[] labels) {
        int[][] out = new int[FashionMnist.CLASSES.length][];
        for (int c = 0; c < out.length; c++) {
            final int cls = c;
            out[c] = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == cls).toArray();
        }
        return out;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) s += (double) v * v;
        return Math.sqrt(s);
    }
}
