package org.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MSELoss;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.Adam;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The course's shallow network in one dimension, y = φ₀ + Σ_d φ_d·ReLU(θ_d0 + θ_d1·x).
 *
 * <p>(a) With three hand-set hidden units, each term φ_d·ReLU(...) is zero on one side of
 * x = −θ_d0/θ_d1 and a straight line on the other, so their sum is piecewise linear with a joint
 * at each of those three points — checked on the output itself: its second differences vanish
 * except next to the joints. (b) Networks with D = 3, 10 and 50 hidden units fitted to a smooth
 * curve: D units give at most D joints, i.e. D + 1 linear pieces, so the fit improves with D.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=shallow -Dexample.args="--out plots"
 * </pre>
 */
public final class ShallowNetExample {

    /** The hand-set network of part (a), on x in [0, 2]: rows (θ_d0, θ_d1), then φ₀ and (φ₁, φ₂, φ₃). */
    static final float[][] THETA = {{-0.4f, 1.0f}, {1.0f, -1.0f}, {-1.28f, 0.8f}};
    static final float PHI0 = -0.3f;
    static final float[] PHI = {1.0f, 0.6f, -2.0f};
    static final double HAND_LO = 0, HAND_HI = 2, FIT_LO = -1, FIT_HI = 1;
    /** A second difference larger than this (float rounding of values near 1 is ~1e-7) is a kink. */
    static final double KINK_TOLERANCE = 1e-5;
    private static final BasicStroke THICK = new BasicStroke(2.5f), THIN = new BasicStroke(1.2f);
    private static final Marker[] MARKERS = {SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP};

    /**
     * Part (a): the joints −θ_d0/θ_d1 of the hand-set network, the number of kinks found in its
     * output, and the largest |second difference| of the output away from the joints. Part (b):
     * the hidden sizes, each fit's final mean squared error and its number of joints inside the
     * plotted range. And the PNGs written.
     */
    public record Result(double[] handJoints, int handKinks, double maxSecondDifference, int[] hidden, double[] mse, int[] joints,
                         List<Path> files) {}

    private ShallowNetExample() {}

    /** {@code shallow}'s options, with the defaults of the course's run. */
    @Command(name = "shallow")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Adam steps of each fit (default: ${DEFAULT-VALUE}).")
        int epochs = 3000;

        @Option(names = "--points", paramLabel = "N",
                description = "Points of the curve fitted (default: ${DEFAULT-VALUE}).")
        int points = 100;

        @Option(names = "--starts", paramLabel = "N",
                description = "Runs per hidden size, the best one kept (default: ${DEFAULT-VALUE}).")
        int starts = 4;

        @Option(names = "--lr", paramLabel = "X",
                description = "Learning rate of Adam (default: ${DEFAULT-VALUE}).")
        double lr = 0.01;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return ShallowNetExample.run(stdout, out.dir(), epochs, starts, seed, lr, points, new int[] {3, 10, 50});
        }
    }

    /** {@code shallow [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Part (a), then part (b): one network per entry of {@code hidden}, best of {@code starts} runs of {@code epochs} Adam steps. */
    public static Result run(PrintStream out, Path dir, int epochs, int starts, long seed, double lr, int points, int[] hidden)
            throws Exception {
        if (epochs < 1) throw new IllegalArgumentException("shallow: --epochs must be at least 1, got " + epochs);
        if (starts < 1) throw new IllegalArgumentException("shallow: --starts must be at least 1, got " + starts);
        if (points < 3) throw new IllegalArgumentException("shallow: --points must be at least 3, got " + points);
        if (!(lr > 0)) throw new IllegalArgumentException("shallow: --lr must be positive, got " + lr);
        HandSet a = handSet(out, dir.resolve("shallow-units.png"));
        Fits b = fits(out, dir.resolve("shallow-fits.png"), epochs, starts, seed, lr, points, hidden);
        List<Path> files = List.of(a.file(), b.file());
        for (Path f : files) out.println("wrote " + f);
        return new Result(a.joints(), a.kinks(), a.flat(), hidden.clone(), b.mse(), b.joints(), files);
    }

    private record HandSet(double[] joints, int kinks, double flat, Path file) {}

    private record Fits(double[] mse, int[] joints, Path file) {}

    /** Part (a): the network of {@link #THETA}, {@link #PHI0}, {@link #PHI}, its three terms and its joints. */
    private static HandSet handSet(PrintStream out, Path file) throws Exception {
        Sequential hand = network(3, new SplittableRandom(0));   // weights overwritten below
        Linear first = (Linear) hand.get(0), second = (Linear) hand.get(2);
        for (int d = 0; d < 3; d++) {
            first.bias().data()[d] = THETA[d][0];
            first.weight().data()[d] = THETA[d][1];
            second.weight().data()[d] = PHI[d];
        }
        second.bias().data()[0] = PHI0;
        double[] x = grid(HAND_LO, HAND_HI, 401), y = eval(hand, x), joints = joints(first, HAND_LO, HAND_HI);
        double[][] terms = new double[3][x.length];
        try (var off = GradMode.off()) {
            float[] h = first.forward(OneD.column(x)).relu().toArray();   // [n, 3]: ReLU(θ_d0 + θ_d1·x)
            for (int i = 0; i < x.length; i++) for (int d = 0; d < 3; d++) terms[d][i] = PHI[d] * h[i * 3 + d];
        }
        int kinks = kinks(x, y);
        double flat = secondDifferenceAwayFrom(x, y, joints);
        out.printf(Locale.ROOT, "shallow (a): 3 hand-set ReLU units, joints at x = -theta_d0/theta_d1 = %s%n", fmt(joints));
        out.printf(Locale.ROOT, "  the output has %d kinks; away from them its second differences are at most %.1e (piecewise linear)%n",
                kinks, flat);
        Plot units = Plot.of("Shallow network with 3 hidden units: y = φ0 + Σ φd·ReLU(θd0 + θd1·x)", "x", "y");
        for (int d = 0; d < 3; d++) {
            String name = String.format(Locale.ROOT, "φ%d·ReLU(%.2f %+.2f·x)", d + 1, THETA[d][0], THETA[d][1]);
            style(units.line(name, x, terms[d]), name, Images.PALETTE[d], THIN);
        }
        style(units.line("y = φ0 + sum", x, y), "y = φ0 + sum", Color.BLACK, THICK);
        joints(units, "joints (x = −θd0/θd1)", joints, eval(hand, joints), Images.PALETTE[4], SeriesMarkers.DIAMOND);
        units.chart().getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return new HandSet(joints, kinks, flat, units.save(file));
    }

    /** Part (b): a network per hidden size fitted to {@link #target}, drawn with its joints. */
    private static Fits fits(PrintStream out, Path file, int epochs, int starts, long seed, double lr, int points, int[] hidden)
            throws Exception {
        double[] fx = grid(FIT_LO, FIT_HI, points), fy = Arrays.stream(fx).map(ShallowNetExample::target).toArray();
        double[] fine = grid(FIT_LO, FIT_HI, 401), fineY = Arrays.stream(fine).map(ShallowNetExample::target).toArray();
        Plot fits = Plot.of("Shallow ReLU networks fitted to sin(2πx): D hidden units, at most D joints", "x", "y");
        double[] mse = new double[hidden.length];
        int[] inside = new int[hidden.length];
        out.printf(Locale.ROOT, "shallow (b): fits to sin(2*pi*x) at %d points in [%.0f, %.0f], best of %d starts of %d full-batch"
                + " Adam steps (lr %.3g), seed %d%n", points, FIT_LO, FIT_HI, starts, epochs, lr, seed);
        for (int k = 0; k < hidden.length; k++) {
            // a network this small often stalls in a poor local minimum: keep the best of a few seeded starts
            SplittableRandom rng = new SplittableRandom(seed * 1000 + hidden[k]);
            Sequential net = null;
            mse[k] = Double.POSITIVE_INFINITY;
            for (int st = 0; st < starts; st++) {
                Sequential candidate = network(hidden[k], rng.split());
                spreadJoints((Linear) candidate.get(0), rng.split(), FIT_LO, FIT_HI);
                double m = fit(candidate, fx, fy, epochs, lr);
                if (m < mse[k]) {
                    mse[k] = m;
                    net = candidate;
                }
            }
            double[] j = joints((Linear) net.get(0), FIT_LO, FIT_HI);
            inside[k] = j.length;
            out.printf(Locale.ROOT, "  D = %2d: MSE %.2e, %2d joints inside [%.0f, %.0f]%n", hidden[k], mse[k], j.length, FIT_LO, FIT_HI);
            Color c = Images.PALETTE[k % Images.PALETTE.length];
            String name = String.format(Locale.ROOT, "D = %d (MSE %.1e)", hidden[k], mse[k]);
            style(fits.line(name, fine, eval(net, fine)), name, c, THICK);
            if (j.length > 0) joints(fits, "joints, D = " + hidden[k], j, eval(net, j), c.darker(), MARKERS[k % MARKERS.length]);
        }
        // the target last and thin, so it stays visible on top of a good fit
        style(fits.line("target sin(2πx)", fine, fineY), "target sin(2πx)", Color.BLACK, THIN);
        fits.chart().getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return new Fits(mse, inside, fits.save(file));
    }

    /** The curve of part (b). */
    static double target(double x) {
        return Math.sin(2 * Math.PI * x);
    }

    private static Sequential network(int hidden, SplittableRandom rng) {
        return new Sequential(new Linear(1, hidden, rng), new ReLU(), new Linear(hidden, 1, rng));
    }

    /**
     * Puts each hidden unit's joint at a random place inside [lo, hi], with slope ±1. Linear's
     * default init scatters the joints −b/w over the whole line, and a unit whose joint lies
     * outside the data is either dead or a plain straight line there: with D = 3 that would
     * waste most of the network.
     */
    static void spreadJoints(Linear first, SplittableRandom rng, double lo, double hi) {
        float[] w = first.weight().data(), b = first.bias().data();
        for (int d = 0; d < w.length; d++) {
            w[d] = rng.nextBoolean() ? 1 : -1;
            b[d] = (float) (-w[d] * rng.nextDouble(lo, hi));
        }
    }

    /** Full-batch Adam on the mean squared error; returns the final MSE. */
    private static double fit(Sequential net, double[] x, double[] y, int epochs, double lr) {
        Tensor in = OneD.column(x), target = OneD.column(y);
        Adam opt = new Adam(net.parameters(), (float) lr);
        MSELoss mse = new MSELoss();
        for (int e = 0; e < epochs; e++) {
            Tensor l = mse.forward(net.forward(in), target);
            opt.zeroGrad();
            l.backward();
            opt.step();
        }
        try (var off = GradMode.off()) {
            return mse.forward(net.forward(in), target).item();
        }
    }

    /** Where a hidden unit's pre-activation θ_d0 + θ_d1·x crosses zero, for x strictly inside (lo, hi), sorted. */
    static double[] joints(Linear first, double lo, double hi) {
        float[] w = first.weight().data(), b = first.bias().data();
        return java.util.stream.IntStream.range(0, w.length).filter(d -> w[d] != 0).mapToDouble(d -> -b[d] / (double) w[d])
                .filter(v -> v > lo && v < hi).sorted().toArray();
    }

    /** Kinks of a sampled curve: runs of consecutive grid points whose second difference is not zero. */
    static int kinks(double[] x, double[] y) {
        int count = 0;
        boolean inRun = false;
        for (int i = 1; i + 1 < x.length; i++) {
            boolean bent = Math.abs(y[i + 1] - 2 * y[i] + y[i - 1]) > KINK_TOLERANCE;
            if (bent && !inRun) count++;
            inRun = bent;
        }
        return count;
    }

    /** The largest |second difference| at grid points whose stencil [x_{i−1}, x_{i+1}] holds no joint. */
    static double secondDifferenceAwayFrom(double[] x, double[] y, double[] joints) {
        double worst = 0;
        for (int i = 1; i + 1 < x.length; i++) {
            final int c = i;
            if (Arrays.stream(joints).anyMatch(j -> j >= x[c - 1] && j <= x[c + 1])) continue;
            worst = Math.max(worst, Math.abs(y[i + 1] - 2 * y[i] + y[i - 1]));
        }
        return worst;
    }

    /** The network's output at each x. */
    private static double[] eval(Sequential net, double[] x) {
        return OneD.curve(net, x);
    }

    /** n evenly spaced points from lo to hi, rounded to float so the network sees exactly these x. */
    private static double[] grid(double lo, double hi, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (float) (lo + (hi - lo) * i / (n - 1));
        return x;
    }

    /** Gives a curve a fixed colour (so a fit and its joints match) and line style. */
    private static void style(Plot p, String series, Color color, BasicStroke stroke) {
        XYSeries s = p.chart().getSeriesMap().get(series);
        s.setLineColor(color);
        s.setLineStyle(stroke);
    }

    /** Joints as large markers in a given colour and shape, drawn on their curve. */
    private static void joints(Plot p, String series, double[] x, double[] y, Color color, Marker marker) {
        p.points(series, x, y, color).chart().getSeriesMap().get(series).setMarker(marker);
        p.chart().getStyler().setMarkerSize(10);
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", d));
        return sb.toString();
    }
}
