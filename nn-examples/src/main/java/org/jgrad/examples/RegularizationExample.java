package org.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MSELoss;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.jgrad.optim.Penalties;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Overfitting and two cures. A wide ReLU network (1→W→W→1, tens of thousands of parameters) is
 * fitted to a dozen noisy samples of sin(2πx) three times from the same initial weights: plainly,
 * with an L2 penalty λ·Σw² added to the loss ({@link Penalties#l2}), and with dropout after each
 * hidden layer. The plain network threads every noisy point — the lowest training loss — and
 * wiggles between them, so its loss on a separate validation set from the same curve is the
 * highest; the penalty keeps the weights small and the fit smooth. Dropout also keeps the network
 * from threading the noise, but its randomness makes a noisier fit of only twelve points, and it
 * need not beat L2 here. Two PNGs: the three fits with the data, and the training and validation
 * losses per epoch.
 *
 * <p>Losses are mean squared errors of the data alone (without the penalty term, and with dropout
 * switched off), so the three runs are compared on the same footing.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=regularization -Dexample.args="--out plots"
 * </pre>
 */
public final class RegularizationExample {

    static final int LOSS_WIDTH = 600, LOSS_HEIGHT = 450;
    private static final BasicStroke THICK = new BasicStroke(2.5f), THIN = new BasicStroke(1.2f);

    /** One training run: its final training and validation MSE and both per epoch. */
    public record Run(String name, double trainLoss, double validationLoss, double[] trainCurve, double[] validationCurve) {}

    /** The three runs (plain, L2, dropout, in this order) and the PNGs written. */
    public record Result(List<Run> runs, List<Path> files) {
        /** The run without regularisation. */
        public Run plain() {
            return runs.get(0);
        }

        /** The run with the L2 penalty. */
        public Run l2() {
            return runs.get(1);
        }

        /** The run with dropout. */
        public Run dropout() {
            return runs.get(2);
        }
    }

    /** The settings of one experiment. */
    public record Settings(int epochs, long seed, double lr, int width, int points, int validation, double noise, double lambda,
                           double dropout) {}

    private RegularizationExample() {}

    /** {@code regularization}'s options. */
    @Command(name = "regularization")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Full-batch Adam steps of each network (default: ${DEFAULT-VALUE}).")
        int epochs = 2000;

        @Option(names = "--width", paramLabel = "N",
                description = "Units of each of the two hidden layers (default: ${DEFAULT-VALUE}).")
        int width = 200;

        @Option(names = "--points", paramLabel = "N",
                description = "Noisy training samples of sin(2πx) (default: ${DEFAULT-VALUE}).")
        int points = 12;

        @Option(names = "--validation", paramLabel = "N",
                description = "Validation samples (default: ${DEFAULT-VALUE}).")
        int validation = 100;

        @Option(names = "--noise", paramLabel = "X",
                description = "Standard deviation of the noise on the samples (default: ${DEFAULT-VALUE}).")
        double noise = 0.3;

        @Option(names = "--lambda", paramLabel = "X",
                description = "Weight λ of the L2 penalty (default: ${DEFAULT-VALUE}).")
        double lambda = 3e-3;

        @Option(names = "--dropout", paramLabel = "P",
                description = "Dropout probability, in [0, 1) (default: ${DEFAULT-VALUE}).")
        double dropout = 0.5;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate of Adam (default: ${DEFAULT-VALUE}).")
        double lr = 3e-3;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return RegularizationExample.run(stdout, out.dir(), new Settings(epochs, seed, lr, width, points, validation, noise, lambda, dropout));
        }
    }

    /** {@code regularization [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Draws the data, trains the three networks with full-batch Adam and plots fits and loss curves. */
    public static Result run(PrintStream out, Path dir, Settings s) throws Exception {
        check(s.epochs() >= 1, "--epochs must be at least 1", s.epochs());
        check(s.width() >= 1, "--width must be at least 1", s.width());
        check(s.points() >= 2, "--points must be at least 2", s.points());
        check(s.validation() >= 1, "--validation must be at least 1", s.validation());
        check(s.lr() > 0, "--lr must be positive", s.lr());
        check(s.noise() >= 0, "--noise must be ≥ 0", s.noise());
        check(s.lambda() >= 0, "--lambda must be ≥ 0", s.lambda());
        check(s.dropout() >= 0 && s.dropout() < 1, "--dropout must be in [0, 1)", s.dropout());

        SplittableRandom rng = new SplittableRandom(s.seed());
        double[][] train = sample(rng, s.points(), s.noise()), val = sample(rng, s.validation(), s.noise());
        long initSeed = rng.nextLong(), dropSeed = rng.nextLong();
        out.printf(Locale.ROOT, "regularization: 1→%d→%d→1 ReLU network, %d noisy points of sin(2πx) (noise sd %.2f),"
                + " %d for validation, %d full-batch Adam steps (lr %.3g), seed %d%n", s.width(), s.width(), s.points(), s.noise(),
                s.validation(), s.epochs(), s.lr(), s.seed());
        out.printf(Locale.ROOT, "  even the true curve has an expected validation loss of the noise variance, %.4f%n",
                s.noise() * s.noise());

        double[] grid = new double[201];
        for (int i = 0; i < grid.length; i++) grid[i] = i / 200.0;
        String[] names = {"plain", String.format(Locale.ROOT, "L2 (λ = %.0e)", s.lambda()),
                String.format(Locale.ROOT, "dropout (p = %.2f)", s.dropout())};
        List<Run> runs = new ArrayList<>();
        List<double[]> fits = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            // the same initial weights for all three (the same init stream), so only the regulariser differs
            Module model = network(s.width(), k == 2 ? s.dropout() : 0, new SplittableRandom(initSeed), new SplittableRandom(dropSeed));
            Run r = train(names[k], model, k == 1 ? s.lambda() : 0, train, val, s);
            runs.add(r);
            fits.add(predict(model, grid));
            out.printf(Locale.ROOT, "  %-18s train MSE %.4f   validation MSE %.4f%n", r.name(), r.trainLoss(), r.validationLoss());
        }

        double[] truth = new double[grid.length];
        for (int i = 0; i < grid.length; i++) truth[i] = target(grid[i]);
        Plot fit = Plot.of(String.format(Locale.ROOT, "%d noisy points, a 1→%d→%d→1 ReLU network three ways", s.points(), s.width(),
                s.width()), "x", "y");
        for (int k = 0; k < 3; k++) colour(fit.line(names[k], grid, fits.get(k)), names[k], Images.PALETTE[k], THICK);
        colour(fit.line("true curve sin(2πx)", grid, truth), "true curve sin(2πx)", Color.BLACK, THIN);
        fit.points("training points", train[0], train[1], Color.BLACK);
        fit.chart().getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);

        double[] epochs = new double[s.epochs()];
        for (int e = 0; e < epochs.length; e++) epochs[e] = e + 1;
        Plot trainLoss = lossChart("Training loss (data term only)"), valLoss = lossChart(
                String.format(Locale.ROOT, "Validation loss (%d other points)", s.validation()));
        for (int k = 0; k < 3; k++) {
            Run r = runs.get(k);
            colour(trainLoss.line(r.name(), epochs, r.trainCurve()), r.name(), Images.PALETTE[k], THIN);
            colour(valLoss.line(r.name(), epochs, r.validationCurve()), r.name(), Images.PALETTE[k], THIN);
        }
        if (s.noise() > 0) {   // what the true curve itself would score, on average (a log axis cannot show 0)
            double[] floor = {s.noise() * s.noise(), s.noise() * s.noise()};
            colour(valLoss.line("noise variance", new double[] {1, s.epochs()}, floor), "noise variance", Color.BLACK, THIN);
        }
        List<Path> files = List.of(fit.save(dir.resolve("regularization-fits.png")),
                Plot.saveGrid(dir.resolve("regularization-loss.png"), 2, List.of(trainLoss, valLoss)));
        for (Path f : files) out.println("wrote " + f);
        return new Result(runs, files);
    }

    /**
     * MSE against epoch, both on log scales: log epochs show the early descent and the late drift
     * apart, and give round ticks (XChart labels equally spaced x data at every k-th point: 1, 119, 237...).
     */
    private static Plot lossChart(String title) {
        Plot p = Plot.of(title, "epoch (log scale)", "mean squared error", LOSS_WIDTH, LOSS_HEIGHT).logY();
        p.chart().getStyler().setXAxisLogarithmic(true);
        p.chart().getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        return p;
    }

    static double target(double x) {
        return Math.sin(2 * Math.PI * x);
    }

    /**
     * n points y = sin(2πx) + Gaussian noise, x drawn uniformly from each of n equal bins of [0, 1]
     * (so no large gap, where every model would only guess): {x[], y[]}.
     */
    private static double[][] sample(SplittableRandom rng, int n, double noise) {
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((i + rng.nextDouble()) / n);   // float, so the network sees exactly the plotted x
            y[i] = target(x[i]) + noise * rng.nextGaussian();
        }
        return new double[][] {x, y};
    }

    /** 1→W→W→1 with ReLU, and dropout after each hidden layer when p &gt; 0. */
    private static Module network(int width, double p, SplittableRandom init, SplittableRandom drop) {
        List<Module> layers = new ArrayList<>(List.of(new Linear(1, width, init), new ReLU()));
        if (p > 0) layers.add(new Dropout((float) p, drop));
        layers.addAll(List.of(new Linear(width, width, init), new ReLU()));
        if (p > 0) layers.add(new Dropout((float) p, drop));
        layers.add(new Linear(width, 1, init));
        return new Sequential(layers.toArray(new Module[0]));
    }

    /** Full-batch Adam on MSE (+ λ·Σw² when λ &gt; 0), recording the data MSE on both sets after every step. */
    private static Run train(String name, Module model, double lambda, double[][] train, double[][] val, Settings s) {
        Tensor x = OneD.column(train[0]), y = OneD.column(train[1]), vx = OneD.column(val[0]), vy = OneD.column(val[1]);
        Adam opt = new Adam(model.parameters(), (float) s.lr());
        MSELoss mse = new MSELoss();
        double[] trainCurve = new double[s.epochs()], valCurve = new double[s.epochs()];
        for (int e = 0; e < s.epochs(); e++) {
            model.train();
            Tensor loss = mse.forward(model.forward(x), y);
            if (lambda > 0) loss = loss.add(Penalties.l2(model.parameters(), (float) lambda));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            model.eval();
            try (var off = GradMode.off()) {
                trainCurve[e] = mse.forward(model.forward(x), y).item();
                valCurve[e] = mse.forward(model.forward(vx), vy).item();
            }
        }
        return new Run(name, trainCurve[s.epochs() - 1], valCurve[s.epochs() - 1], trainCurve, valCurve);
    }

    private static double[] predict(Module model, double[] x) {
        model.eval();
        return OneD.curve(model, x);
    }

    private static void colour(Plot p, String series, Color color, BasicStroke stroke) {
        XYSeries s = p.chart().getSeriesMap().get(series);
        s.setLineColor(color);
        s.setLineStyle(stroke);
    }

    private static void check(boolean ok, String what, double value) {
        if (!ok) throw new IllegalArgumentException("regularization: " + what + ", got " + (value == Math.rint(value)
                ? Long.toString((long) value) : Double.toString(value)));
    }
}
