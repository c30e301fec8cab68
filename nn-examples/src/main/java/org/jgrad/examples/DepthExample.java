package org.jgrad.examples;

import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.train.Metrics;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.init.Init;
import org.jgrad.optim.SGD;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Shallow vs deep, the course's MNIST-1D experiment (UDL, Prince, chapter 20): four ReLU
 * networks of about 15,000 parameters each — 1, 2, 3 and 4 hidden layers of 298, 100, 75 and 63
 * units — are trained to memorise MNIST-1D ({@link Mnist1d}) whose labels were replaced by
 * random classes. With random labels there is no rule to find, only the samples to remember, so
 * the curves compare how fast each shape can fit arbitrary data: the deeper networks, with the
 * same budget of parameters, drive the training loss down faster than the shallow one.
 * The counts (40 inputs, 10 classes) are 15,208, 15,210, 15,235 and 15,319; the lecture's slide
 * gives the 4-layer network 15,139, a slip: 40·63 + 63 + 3·(63·63 + 63) + 63·10 + 10 = 15,319.
 *
 * <p>Training is plain full-batch gradient descent (SGD without momentum, every step on all the
 * examples), cross-entropy loss, He initialisation (uniform, fan-in, zero biases). The defaults
 * are the course's: 4000 examples, learning rate 0.0025. One chart shows the training loss per
 * epoch for each depth, with the level ln 10 of a network that guesses.
 *
 * <p>What to expect (measured, seeds 1–3). At the course's settings the step is small: the first
 * thousand epochs (about a minute) mostly undo the overconfident outputs of the He initialisation,
 * and the losses are still a little above ln 10 (12–13% of the labels fitted, chance 10%). Seed 1
 * ends at 2.371, 2.383, 2.334, 2.320 for 1–4 layers (2.272, 2.282, 2.267, 2.260 after 3000
 * epochs). The 3- and 4-layer networks are ahead of the shallow one on every seed; the 2-layer
 * one is level with it. With a larger step on fewer
 * examples ({@code --samples 500 --lr 0.1 --epochs 300}, a few seconds) the networks memorise
 * and every added layer helps: 0.84, 0.49, 0.29, 0.14, the deepest fitting 99.8% of the random
 * labels (the loss of the deepest one spikes now and then: lr 0.1 is near the edge of stability
 * for it).
 *
 * <pre>
 *   ./jgrad depth --out plots [--epochs N] [--lr 0.0025] [--samples 4000] [--seed 1]
 * </pre>
 */
public final class DepthExample {

    /** Hidden layers of the four networks: equal parameter budgets (≈ 15,000), 1 to 4 layers deep. */
    static final int[][] HIDDEN = {{298}, {100, 100}, {75, 75, 75}, {63, 63, 63, 63}};

    /**
     * Per network (index = number of hidden layers − 1): its parameter count, its training loss
     * before each epoch and after the last ({@code epochs + 1} values), and the fraction of the
     * random labels it reproduces at the end; the chart written.
     */
    public record Result(long[] parameters, double[][] losses, double[] accuracy, List<Path> files) {

        /** Training loss after the last epoch of the network with {@code depth} hidden layers. */
        public double finalLoss(int depth) {
            double[] l = losses[depth - 1];
            return l[l.length - 1];
        }
    }

    private DepthExample() {}

    /** {@code depth}'s options, with the course's defaults. */
    @Command(name = "depth")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Full-batch gradient descent steps (default: ${DEFAULT-VALUE}).")
        int epochs = 1000;

        @Option(names = "--samples", paramLabel = "N",
                description = "Training examples of MNIST-1D (random labels) (default: ${DEFAULT-VALUE}).")
        int samples = 4000;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.0025;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return DepthExample.run(stdout, samples, epochs, lr, seed, out.dir());
        }
    }

    /** {@code depth [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /**
     * Generates MNIST-1D, keeps {@code samples} training examples with random labels, trains the
     * four networks for {@code epochs} full-batch steps of size {@code lr} and plots their losses.
     */
    public static Result run(PrintStream out, int samples, int epochs, double lr, long seed, Path dir) throws Exception {
        if (samples < 1) throw new IllegalArgumentException("depth: --samples must be at least 1, got " + samples);
        if (epochs < 1) throw new IllegalArgumentException("depth: --epochs must be at least 1, got " + epochs);
        if (!(lr > 0)) throw new IllegalArgumentException("depth: --lr must be positive, got " + lr);
        SplittableRandom rng = new SplittableRandom(seed);
        // enough samples that the 80% training part holds `samples` of them
        int total = Math.max(5000, (int) Math.ceil(samples / Mnist1d.Recipe.DEFAULT.trainSplit() / Mnist1d.CLASSES) * Mnist1d.CLASSES);
        TensorDataset train = Mnist1d.randomLabels(first(Mnist1d.generate(total, rng.nextLong()).train(), samples), rng.nextLong());
        out.printf(Locale.ROOT, "depth: MNIST-1D, %d training examples with random labels; full-batch gradient descent, lr %s, %d epochs, seed %d%n",
                samples, lr, epochs, seed);

        int n = HIDDEN.length;
        long[] params = new long[n];
        double[][] losses = new double[n][];
        double[] accuracy = new double[n];
        for (int d = 0; d < n; d++) {
            Sequential net = network(HIDDEN[d], rng.split());
            params[d] = net.numParameters();
            long start = System.nanoTime();
            losses[d] = train(net, train, epochs, lr);
            accuracy[d] = accuracy(net, train);
            out.printf(Locale.ROOT, "%d hidden layer%s of %3d units: %,6d parameters, training loss %.4f → %.4f, labels fitted %5.1f%%  (%.1f s)%n",
                    d + 1, d == 0 ? " " : "s", HIDDEN[d][0], params[d], losses[d][0], losses[d][epochs], 100 * accuracy[d],
                    (System.nanoTime() - start) / 1e9);
        }

        out.printf(Locale.ROOT, "(the lecture's slide says 15,139 parameters for the 4-layer network; counted here: %,d)%n", params[n - 1]);
        out.printf(Locale.ROOT, "(a network that ignores its input scores ln 10 = %.4f; below it, it is memorising)%n", Math.log(Mnist1d.CLASSES));
        double[] x = new double[epochs + 1];
        for (int e = 0; e <= epochs; e++) x[e] = e;
        Plot plot = Plot.of(String.format(Locale.ROOT, "MNIST-1D, random labels: ~15k parameters, 1–4 hidden layers (lr %s)", lr),
                "epoch (full-batch gradient step)", "training loss (cross-entropy)");
        for (int d = 0; d < n; d++) {
            plot.line(String.format(Locale.ROOT, "%d × %d units (%,d params)", d + 1, HIDDEN[d][0], params[d]), x, losses[d]);
        }
        guessingLevel(plot, epochs);
        Path file = plot.save(dir.resolve("depth.png"));
        out.println("wrote " + file);
        return new Result(params, losses, accuracy, List.of(file));
    }

    /**
     * A dashed grey line at ln 10, the loss of a network that ignores its input. Also one
     * invisible point off the epoch grid: XChart puts the ticks of equally spaced x values on
     * every k-th value (0, 12, 24, … for 300 epochs), and this makes it choose round ones.
     */
    private static void guessingLevel(Plot plot, int epochs) {
        double chance = Math.log(Mnist1d.CLASSES);
        var line = plot.chart().addSeries("ln 10: guessing", new double[] {0, epochs}, new double[] {chance, chance});
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.GRAY);
        line.setLineStyle(SeriesLines.DASH_DASH);
        var offGrid = plot.chart().addSeries(" ", new double[] {0.5}, new double[] {chance});
        offGrid.setMarker(SeriesMarkers.NONE);
        offGrid.setShowInLegend(false);
    }

    /** 40 → hidden… → 10 with ReLUs between, He-initialised (uniform, fan-in) with zero biases. */
    static Sequential network(int[] hidden, SplittableRandom rng) {
        List<Module> layers = new ArrayList<>();
        int in = Mnist1d.LENGTH;
        for (int h : hidden) {
            layers.add(he(new Linear(in, h, rng), rng));
            layers.add(new ReLU());
            in = h;
        }
        layers.add(he(new Linear(in, Mnist1d.CLASSES, rng), rng));
        return new Sequential(layers.toArray(new Module[0]));
    }

    private static Linear he(Linear layer, SplittableRandom rng) {
        Init.kaimingUniform(layer.weight(), rng, "relu");
        Init.zeros(layer.bias());
        return layer;
    }

    /** Full-batch gradient descent; returns the loss before each step and after the last. */
    private static double[] train(Module net, TensorDataset data, int epochs, double lr) {
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        SGD opt = new SGD(net.parameters(), (float) lr);
        double[] losses = new double[epochs + 1];
        for (int e = 0; e < epochs; e++) {
            Tensor loss = lossFn.forward(net.forward(data.features()), data.labels());
            losses[e] = loss.item();
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        try (var off = GradMode.off()) {
            losses[epochs] = lossFn.forward(net.forward(data.features()), data.labels()).item();
        }
        return losses;
    }

    /** Fraction of examples whose (random) label is the network's top class. */
    private static double accuracy(Module net, TensorDataset data) {
        try (var off = GradMode.off()) {
            return Metrics.accuracy(net.forward(data.features()), data.labels());
        }
    }

    private static TensorDataset first(TensorDataset data, int k) {
        if (k > data.size()) throw new IllegalArgumentException("depth: asked for " + k + " examples, only " + data.size() + " generated");
        return TrainExample.first(data, k);
    }
}
