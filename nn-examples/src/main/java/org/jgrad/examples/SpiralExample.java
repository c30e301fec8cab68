package org.jgrad.examples;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.Synthetic;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.train.Metrics;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Why hidden layers: a linear softmax classifier and a network with one hidden ReLU layer,
 * trained the same way (Adam, full batch) on the classic 3-arm spiral. The linear model's
 * decision regions are three wedges cut by straight lines, so it cannot follow the arms and stays
 * near 50% accuracy; the ReLU network bends its boundaries around them and fits nearly every
 * point. Writes both region maps with the data on top, side by side.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=spiral -Dexample.args="--out plots"
 * </pre>
 */
public final class SpiralExample {

    static final int CLASSES = 3, MAP = 400, GAP = 8;
    /** The plotted square of the plane; the spiral lies in the unit disc. */
    static final double EXTENT = 1.1;

    /** Training accuracy and final loss of each model, and the PNGs written. */
    public record Result(double linearAccuracy, double networkAccuracy, double linearLoss, double networkLoss, List<Path> files) {}

    private SpiralExample() {}

    /** {@code spiral}'s options, with the defaults of the course's run. */
    @Command(name = "spiral")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N", description = "Full-batch Adam steps of each model (default: ${DEFAULT-VALUE}).")
        int epochs = 1000;

        @Option(names = "--hidden", paramLabel = "N", description = "Hidden units of the ReLU network (default: ${DEFAULT-VALUE}).")
        int hidden = 100;

        @Option(names = "--per-class", paramLabel = "N", description = "Points per arm of the spiral (default: ${DEFAULT-VALUE}).")
        int perClass = 100;

        @Option(names = "--noise", paramLabel = "X", description = "Angle noise of the points, radians (default: ${DEFAULT-VALUE}).")
        double noise = 0.2;

        @Option(names = "--lr", paramLabel = "X", description = "Learning rate of Adam (default: ${DEFAULT-VALUE}).")
        double lr = 0.01;

        @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return SpiralExample.run(stdout, out.dir(), epochs, seed, lr, hidden, perClass, noise);
        }
    }

    /** {@code spiral [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /**
     * Trains both models for {@code epochs} full-batch Adam steps on {@code perClass} points per
     * arm (angle noise {@code noise}, radians) and draws their decision regions.
     */
    public static Result run(PrintStream out, Path dir, int epochs, long seed, double lr, int hidden, int perClass, double noise)
            throws Exception {
        if (epochs < 1) throw new IllegalArgumentException("spiral: --epochs must be at least 1, got " + epochs);
        if (hidden < 1) throw new IllegalArgumentException("spiral: --hidden must be at least 1, got " + hidden);
        if (perClass < 1) throw new IllegalArgumentException("spiral: --per-class must be at least 1, got " + perClass);
        if (!(lr > 0)) throw new IllegalArgumentException("spiral: --lr must be positive, got " + lr);
        TensorDataset data = Synthetic.spiral(perClass, CLASSES, noise, seed);
        Tensor x = data.features(), y = data.labels();
        SplittableRandom rng = new SplittableRandom(seed);
        Module linear = new Linear(2, CLASSES, rng);
        Module network = new Sequential(new Linear(2, hidden, rng), new ReLU(), new Linear(hidden, CLASSES, rng));

        out.printf(Locale.ROOT, "spiral: %d arms of %d points (angle noise %.2f), %d full-batch Adam steps (lr %.3g), seed %d%n",
                CLASSES, perClass, noise, epochs, lr, seed);
        double linearLoss = train(linear, x, y, epochs, lr), networkLoss = train(network, x, y, epochs, lr);
        double linearAcc = accuracy(linear, x, y), networkAcc = accuracy(network, x, y);
        out.printf(Locale.ROOT, "  linear softmax 2→%d          : loss %.4f, train accuracy %.1f%%%n", CLASSES, linearLoss,
                100 * linearAcc);
        out.printf(Locale.ROOT, "  ReLU network 2→%d→%d (%d params): loss %.4f, train accuracy %.1f%%%n", hidden, CLASSES,
                network.numParameters(), networkLoss, 100 * networkAcc);

        Path left = regions(dir.resolve("spiral-linear.png"),
                String.format(Locale.ROOT, "linear softmax: %.1f%% correct", 100 * linearAcc), linear, x, y);
        Path right = regions(dir.resolve("spiral-network.png"),
                String.format(Locale.ROOT, "ReLU network 2→%d→%d: %.1f%% correct", hidden, CLASSES, 100 * networkAcc), network, x, y);
        BufferedImage a = ImageIO.read(left.toFile()), b = ImageIO.read(right.toFile());
        BufferedImage gap = new BufferedImage(GAP, a.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = gap.createGraphics();
        g.setColor(java.awt.Color.WHITE);   // a white strip between the two maps
        g.fillRect(0, 0, GAP, a.getHeight());
        g.dispose();
        List<BufferedImage> parts = List.of(a, gap, b);
        Path both = Images.row(dir.resolve("spiral.png"), parts);
        List<Path> files = List.of(left, right, both);
        for (Path f : files) out.println("wrote " + f);
        return new Result(linearAcc, networkAcc, linearLoss, networkLoss, files);
    }

    /** Full-batch training with cross-entropy; returns the loss before the last step. */
    private static double train(Module model, Tensor x, Tensor y, int epochs, double lr) {
        Adam opt = new Adam(model.parameters(), (float) lr);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double loss = Double.NaN;
        for (int e = 0; e < epochs; e++) {
            Tensor l = ce.forward(model.forward(x), y);
            loss = l.item();
            opt.zeroGrad();
            l.backward();
            opt.step();
        }
        return loss;
    }

    private static int[] predict(Module model, Tensor x) {
        try (var off = GradMode.off()) {
            float[] p = model.forward(x).argmax(1).toArray();
            int[] c = new int[p.length];
            for (int i = 0; i < p.length; i++) c[i] = (int) p[i];
            return c;
        }
    }

    private static double accuracy(Module model, Tensor x, Tensor y) {
        try (var off = GradMode.off()) {
            return Metrics.accuracy(model.forward(x), y);
        }
    }

    /** The class the model picks at every pixel of [−EXTENT, EXTENT]², with the data points on top. */
    private static Path regions(Path file, String title, Module model, Tensor x, Tensor y) throws Exception {
        float[] grid = new float[MAP * MAP * 2];
        for (int i = 0; i < MAP; i++) {
            for (int j = 0; j < MAP; j++) {
                grid[2 * (i * MAP + j)] = (float) fromPixel(j);
                grid[2 * (i * MAP + j) + 1] = (float) -fromPixel(i);   // row 0 is the top of the picture: largest y
            }
        }
        int[] classes = predict(model, Tensor.of(grid, MAP * MAP, 2));
        float[] xy = x.data(), labels = y.data();
        int n = labels.length;
        double[] px = new double[n], py = new double[n];
        int[] pc = new int[n];
        for (int k = 0; k < n; k++) {
            px[k] = toPixel(xy[2 * k]);
            py[k] = toPixel(-xy[2 * k + 1]);
            pc[k] = (int) labels[k];
        }
        return Images.regions(file, title, classes, MAP, MAP, px, py, pc);
    }

    private static double fromPixel(int p) {
        return -EXTENT + 2 * EXTENT * (p + 0.5) / MAP;
    }

    private static double toPixel(double v) {
        return (v + EXTENT) / (2 * EXTENT) * MAP - 0.5;
    }
}
