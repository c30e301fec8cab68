package org.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.BCEWithLogitsLoss;
import org.jgrad.optim.InverseTimeLR;
import org.jgrad.optim.SGD;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Three thought experiments about stochastic gradient descent, measured. The model of the first
 * two is logistic regression (a weight vector w and a bias b, binary cross-entropy on the logits
 * x·w + b) on a few features of seeded random data; every gradient comes from the library's
 * autograd ({@link Autograd#grad}), in float. Statistics over many gradients are kept in double.
 *
 * <ol>
 *   <li><b>Ten copies of 100 samples.</b> The loss is a mean over samples, so a data set made of
 *       K copies of the same N samples has the same mean loss, and the same gradient, as the N
 *       samples alone — the K-fold work of a full-batch step buys nothing. A minibatch of N drawn
 *       from the K·N samples costs 1/K of a full step, and its gradient is an unbiased estimate of
 *       the full one: averaged over many draws it approaches it. One minibatch step lowers the loss
 *       almost as much as a full step. Real data sets are redundant in this way (many similar
 *       images of a class), which is why SGD wins.</li>
 *   <li><b>Minibatch variance falls as 1/B.</b> A minibatch gradient g_B is the mean of B
 *       per-sample gradients drawn independently (with replacement) from the data set, so
 *       E‖g_B − g‖² = V/B, where V is the mean of ‖g_i − g‖² over the samples. Measured for
 *       B = 1, 2, 4, …, 256: B·variance stays constant and the log-log slope is −1. Doubling the
 *       batch halves the variance but doubles the cost; the noise's standard deviation only falls
 *       as 1/√B.</li>
 *   <li><b>Robbins–Monro steps.</b> On f(w) = ½(w − w*)², seen only through gradients with
 *       additive Gaussian noise of standard deviation σ, SGD with a constant step η does not
 *       converge: the error e = w − w* follows e ← (1 − η)e − ησξ, whose stationary variance
 *       v = (1 − η)²v + η²σ² is v = ησ²/(2 − η), a noise floor. A step that shrinks as
 *       η_t = η·τ/(t + τ) ({@link InverseTimeLR}) has Σ η_t = ∞ (it can still travel any distance)
 *       and Σ η_t² &lt; ∞ (the noise it adds up is finite), and its error keeps falling, about as
 *       σ²/t here. Both runs start with the same step η; many independent chains are run at once
 *       (one tensor) to average E(w − w*)².</li>
 * </ol>
 *
 * Two PNGs: the minibatch variance against B on log-log axes with the line V/B, and the mean
 * squared error of both step-size rules per step with the noise floor.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=sgd -Dexample.args="--out plots"
 * </pre>
 */
public final class SgdExample {

    /** Features of the logistic-regression data. */
    static final int FEATURES = 5;
    /** The step of the "does a minibatch step move as far?" comparison (logistic loss, standardised x). */
    static final float PROBE_STEP = 1f;
    private static final BasicStroke THICK = new BasicStroke(2.5f), THIN = new BasicStroke(1.2f);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    /** The settings of one run. */
    public record Settings(int samples, int copies, int draws, int steps, int chains, double lr, double tau, double noise, long seed) {}

    /**
     * Experiment 1: the largest |difference| between the gradient on the copies and on the
     * original; the relative error ‖ḡ − g‖/‖g‖ of the mean of all drawn minibatch gradients and
     * the root mean square of one minibatch's relative error; the loss after one full step and
     * the mean loss after one minibatch step (both of {@link #PROBE_STEP}), from the loss at the start.
     */
    public record Copies(double maxDifference, double averagedRelativeError, double singleRelativeError, double startLoss,
                         double fullStepLoss, double minibatchStepLoss) {}

    /**
     * Experiment 2: the batch sizes, E‖g_B − g‖² measured for each, V (so V/B is the prediction)
     * and the least-squares slope of log variance against log B.
     */
    public record Variance(int[] batchSizes, double[] measured, double perSample, double slope) {
        /** B·variance for each batch size. */
        public double[] scaled() {
            double[] s = new double[batchSizes.length];
            for (int i = 0; i < s.length; i++) s[i] = batchSizes[i] * measured[i];
            return s;
        }
    }

    /**
     * Experiment 3: E(w − w*)² after each step (index t is after t + 1 steps) for both rules,
     * averaged over the chains; the predicted floor ησ²/(2 − η) and the constant step's mean
     * error over the second half of the run; the exact expectation of the decaying rule's final
     * error (from the recursion m ← (1 − η_t)²m + η_t²σ²).
     */
    public record Steps(double[] constant, double[] robbinsMonro, double floor, double constantTail, double robbinsMonroExpected) {
        public double robbinsMonroFinal() {
            return robbinsMonro[robbinsMonro.length - 1];
        }
    }

    /** All three experiments and the PNGs written. */
    public record Result(Copies copies, Variance variance, Steps steps, List<Path> files) {}

    private SgdExample() {}

    /** {@code sgd}'s options. */
    @Command(name = "sgd")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--samples", paramLabel = "N",
                description = "Samples of the data set copied (experiment 1) (default: ${DEFAULT-VALUE}).")
        int samples = 100;

        @Option(names = "--copies", paramLabel = "K",
                description = "Copies of them (experiment 1) (default: ${DEFAULT-VALUE}).")
        int copies = 10;

        @Option(names = "--draws", paramLabel = "N",
                description = "Minibatches drawn per batch size (experiments 1 and 2) (default: ${DEFAULT-VALUE}).")
        int draws = 500;

        @Option(names = "--steps", paramLabel = "N",
                description = "SGD steps of the Robbins–Monro runs (experiment 3) (default: ${DEFAULT-VALUE}).")
        int steps = 2000;

        @Option(names = "--chains", paramLabel = "N",
                description = "Independent chains averaged (experiment 3) (default: ${DEFAULT-VALUE}).")
        int chains = 200;

        @Option(names = "--lr", paramLabel = "X",
                description = "The step η, in (0, 2) (experiment 3) (default: ${DEFAULT-VALUE}).")
        double lr = 0.1;

        @Option(names = "--tau", paramLabel = "X",
                description = "τ of the shrinking step η·τ/(t + τ) (experiment 3) (default: ${DEFAULT-VALUE}).")
        double tau = 10;

        @Option(names = "--noise", paramLabel = "X",
                description = "Standard deviation σ of the gradient noise (experiment 3) (default: ${DEFAULT-VALUE}).")
        double noise = 1;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return SgdExample.run(stdout, out.dir(), new Settings(samples, copies, draws, steps, chains, lr, tau, noise, seed));
        }
    }

    /** {@code sgd [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Runs the three experiments, prints their figures and draws the two charts. */
    public static Result run(PrintStream out, Path dir, Settings s) throws Exception {
        check(s.samples() >= 2, "--samples must be at least 2", s.samples());
        check(s.copies() >= 2, "--copies must be at least 2", s.copies());
        check(s.draws() >= 2, "--draws must be at least 2", s.draws());
        check(s.steps() >= 10, "--steps must be at least 10", s.steps());
        check(s.chains() >= 1, "--chains must be at least 1", s.chains());
        check(s.lr() > 0 && s.lr() < 2, "--lr must be in (0, 2) (a larger constant step diverges)", s.lr());
        check(s.tau() > 0, "--tau must be positive", s.tau());
        check(s.noise() > 0, "--noise must be positive", s.noise());

        SplittableRandom rng = new SplittableRandom(s.seed());
        Data data = logisticData(rng, s.samples());
        out.printf(Locale.ROOT, "sgd: logistic regression with %d features on %d seeded random samples, gradients by autograd, seed %d%n",
                FEATURES, s.samples(), s.seed());
        Copies c = copies(out, rng, data, s);
        Variance v = variance(out, rng, data, s);
        Steps st = steps(out, rng, s);

        List<Path> files = List.of(varianceChart(v, s).save(dir.resolve("sgd-variance.png")),
                stepsChart(st, s).save(dir.resolve("sgd-steps.png")));
        for (Path f : files) out.println("wrote " + f);
        return new Result(c, v, st, files);
    }

    // ---------------------------------------------------------------- the model and its gradients

    /** Samples x [n, FEATURES] and labels y [n, 1] as float arrays in row-major order. */
    record Data(float[] x, float[] y, int n) {
        /** The rows at the given indices (repeats allowed), as tensors. */
        Tensor[] rows(int[] idx) {
            float[] bx = new float[idx.length * FEATURES], by = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(x, idx[i] * FEATURES, bx, i * FEATURES, FEATURES);
                by[i] = y[idx[i]];
            }
            return new Tensor[] {Tensor.of(bx, idx.length, FEATURES), Tensor.of(by, idx.length, 1)};
        }

        Tensor[] all() {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            return rows(idx);
        }
    }

    /** Standard normal features; labels drawn from a true logistic model, so the classes overlap. */
    static Data logisticData(SplittableRandom rng, int n) {
        double[] truth = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) truth[j] = rng.nextGaussian();
        float[] x = new float[n * FEATURES], y = new float[n];
        for (int i = 0; i < n; i++) {
            double z = 0.5;
            for (int j = 0; j < FEATURES; j++) z += truth[j] * (x[i * FEATURES + j] = (float) rng.nextGaussian());
            y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new Data(x, y, n);
    }

    /** The mean binary cross-entropy of the logits x·w + b; theta = (w, b) as FEATURES + 1 values. */
    private static Tensor loss(Tensor w, Tensor b, Tensor[] xy) {
        return new BCEWithLogitsLoss().forward(xy[0].matmul(w).add(b), xy[1]);
    }

    /** ∇ of the mean loss at theta by autograd, as doubles (w then b) for the statistics. */
    static double[] gradient(double[] theta, Tensor[] xy) {
        Tensor w = weight(theta).requiresGrad(), b = bias(theta).requiresGrad();
        Tensor[] g = Autograd.grad(loss(w, b, xy), w, b);
        double[] out = new double[FEATURES + 1];
        float[] gw = g[0].toArray();
        for (int j = 0; j < FEATURES; j++) out[j] = gw[j];
        out[FEATURES] = g[1].item();
        return out;
    }

    static double lossAt(double[] theta, Tensor[] xy) {
        try (var off = GradMode.off()) {
            return loss(weight(theta), bias(theta), xy).item();
        }
    }

    private static Tensor weight(double[] theta) {
        float[] w = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) w[j] = (float) theta[j];
        return Tensor.of(w, FEATURES, 1);
    }

    private static Tensor bias(double[] theta) {
        return Tensor.of(new float[] {(float) theta[FEATURES]}, 1);
    }

    // ---------------------------------------------------------------- 1. ten copies of 100 samples

    private static Copies copies(PrintStream out, SplittableRandom rng, Data data, Settings s) {
        int n = s.samples(), k = s.copies(), big = n * k;
        double[] theta = new double[FEATURES + 1];        // the start of training, w = 0, b = 0
        Tensor[] original = data.all();
        int[] copyIdx = new int[big];
        for (int i = 0; i < big; i++) copyIdx[i] = i % n;  // sample i of the copies is sample i mod n of the original
        Tensor[] rows = data.rows(copyIdx);
        Data copied = new Data(rows[0].toArray(), rows[1].toArray(), big);
        double[] g = gradient(theta, original), gCopies = gradient(theta, copied.all());
        double maxDiff = 0;
        for (int j = 0; j < g.length; j++) maxDiff = Math.max(maxDiff, Math.abs(g[j] - gCopies[j]));

        // minibatches of n drawn without replacement from the k·n copies, as one shuffled epoch would cut them
        double start = lossAt(theta, original), full = lossAt(step(theta, g), original), mini = 0, single = 0;
        double[] sum = new double[g.length];
        for (int d = 0; d < s.draws(); d++) {
            double[] gb = gradient(theta, copied.rows(withoutReplacement(rng, big, n)));
            for (int j = 0; j < g.length; j++) sum[j] += gb[j];
            single += sq(diff(gb, g));
            mini += lossAt(step(theta, gb), original);
        }
        for (int j = 0; j < g.length; j++) sum[j] /= s.draws();
        Copies c = new Copies(maxDiff, norm(diff(sum, g)) / norm(g), Math.sqrt(single / s.draws()) / norm(g), start, full,
                mini / s.draws());

        out.printf(Locale.ROOT, "1. %d copies of %d samples (%d samples), at w = 0, b = 0:%n", k, n, big);
        out.printf(Locale.ROOT, "   ‖g‖ = %.5f; gradient of the %d copies − gradient of the %d originals: max |difference| %.2e (float rounding)%n",
                norm(g), big, n, maxDiff);
        out.printf(Locale.ROOT, "   one minibatch of %d from the copies: relative error ‖g_B − g‖/‖g‖ = %.3f (rms over %d draws)%n", n,
                c.singleRelativeError(), s.draws());
        out.printf(Locale.ROOT, "   mean of the %d minibatch gradients: relative error %.4f (unbiased: ≈ %.3f/√%d = %.4f)%n", s.draws(),
                c.averagedRelativeError(), c.singleRelativeError(), s.draws(), c.singleRelativeError() / Math.sqrt(s.draws()));
        out.printf(Locale.ROOT, "   one step of %.1f from loss %.4f: full batch (%d samples) → %.4f, minibatch (%d samples, 1/%d of the work) → %.4f"
                + " on average (%.0f%% of the decrease)%n", PROBE_STEP, start, big, full, n, k, c.minibatchStepLoss(),
                100 * (start - c.minibatchStepLoss()) / (start - full));
        return c;
    }

    private static double[] step(double[] theta, double[] g) {
        double[] t = theta.clone();
        for (int j = 0; j < t.length; j++) t[j] -= PROBE_STEP * g[j];
        return t;
    }

    /** m distinct indices of 0..n−1, uniformly (a partial Fisher–Yates shuffle). */
    private static int[] withoutReplacement(SplittableRandom rng, int n, int m) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return java.util.Arrays.copyOf(perm, m);
    }

    // ---------------------------------------------------------------- 2. variance ∝ 1/B

    private static Variance variance(PrintStream out, SplittableRandom rng, Data data, Settings s) {
        int n = s.samples();
        double[] theta = new double[FEATURES + 1];
        double[] g = gradient(theta, data.all());
        // V = mean over samples of ‖g_i − g‖², from n one-sample gradients: the variance of a batch of one
        double perSample = 0;
        for (int i = 0; i < n; i++) perSample += sq(diff(gradient(theta, data.rows(new int[] {i})), g)) / n;

        int[] sizes = new int[9];
        double[] measured = new double[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] = 1 << k;
            for (int d = 0; d < s.draws(); d++) {
                int[] idx = new int[sizes[k]];
                for (int i = 0; i < idx.length; i++) idx[i] = rng.nextInt(n);   // with replacement: independent samples
                measured[k] += sq(diff(gradient(theta, data.rows(idx)), g)) / s.draws();
            }
        }
        double[] logB = new double[sizes.length], logV = new double[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            logB[k] = Math.log(sizes[k]);
            logV[k] = Math.log(measured[k]);
        }
        Variance v = new Variance(sizes, measured, perSample, slope(logB, logV));

        out.printf(Locale.ROOT, "2. minibatch variance E‖g_B − g‖² at w = 0, b = 0, %d minibatches per size, drawn with replacement from the %d samples:%n",
                s.draws(), n);
        out.printf(Locale.ROOT, "   %5s %12s %12s %12s%n", "B", "measured", "V/B", "B·measured");
        double[] scaled = v.scaled();
        for (int k = 0; k < sizes.length; k++) {
            out.printf(Locale.ROOT, "   %5d %12.3e %12.3e %12.4f%n", sizes[k], measured[k], perSample / sizes[k], scaled[k]);
        }
        out.printf(Locale.ROOT, "   V = mean ‖g_i − g‖² = %.4f; B·variance from %.4f to %.4f; log-log slope %.3f (1/B: −1)%n", perSample,
                min(scaled), max(scaled), v.slope());
        return v;
    }

    /** The least-squares slope of y against x. */
    static double slope(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    // ---------------------------------------------------------------- 3. Robbins–Monro vs a constant step

    private static Steps steps(PrintStream out, SplittableRandom rng, Settings s) {
        float wStar = 3;
        double[] constant = noisyQuadratic(rng, s, wStar, false), rm = noisyQuadratic(rng, s, wStar, true);
        double eta = s.lr(), sigma2 = s.noise() * s.noise();
        double floor = eta * sigma2 / (2 - eta), tail = 0;
        int half = s.steps() / 2;
        for (int t = half; t < s.steps(); t++) tail += constant[t] / (s.steps() - half);
        // the exact expectation: e ← (1 − η_t)e − η_t σξ gives E e² ← (1 − η_t)² E e² + η_t² σ²
        double m = (double) wStar * wStar;
        for (int t = 0; t < s.steps(); t++) {
            double et = (float) (eta / (1 + t / s.tau()));   // the float rate the optimizer uses
            m = (1 - et) * (1 - et) * m + et * et * sigma2;
        }
        Steps st = new Steps(constant, rm, floor, tail, m);

        out.printf(Locale.ROOT, "3. f(w) = ½(w − %.0f)², gradient + N(0, %.2f²) noise, from w = 0, %d steps, E(w − w*)² over %d chains:%n",
                wStar, s.noise(), s.steps(), s.chains());
        out.printf(Locale.ROOT, "   constant η = %.3g: floor ησ²/(2 − η) = %.4f, measured over steps %d-%d: %.4f, final %.4f%n", eta, floor,
                half + 1, s.steps(), tail, constant[s.steps() - 1]);
        out.printf(Locale.ROOT, "   Robbins–Monro η_t = %.3g·%.3g/(t + %.3g): final %.5f (expected %.5f), %.1f× below the floor%n", eta, s.tau(),
                s.tau(), st.robbinsMonroFinal(), m, floor / st.robbinsMonroFinal());
        return st;
    }

    /**
     * SGD on ½(w − w*)² for many chains at once: the loss Σ ½(w − w*)² + σξ·w has the gradient
     * (w − w*) + σξ in every chain, fresh ξ ~ N(0, 1) each step. Returns E(w − w*)² after each step.
     */
    private static double[] noisyQuadratic(SplittableRandom rng, Settings s, float wStar, boolean decaying) {
        int r = s.chains();
        Tensor w = Tensor.zeros(r).requiresGrad();
        SGD opt = new SGD(List.of(w), (float) s.lr());
        InverseTimeLR schedule = decaying ? new InverseTimeLR(opt, (float) s.tau()) : null;
        float[] noise = new float[r];
        double[] mse = new double[s.steps()];
        for (int t = 0; t < s.steps(); t++) {
            for (int i = 0; i < r; i++) noise[i] = (float) (s.noise() * rng.nextGaussian());
            Tensor loss = w.sub(wStar).pow(2).mul(0.5f).add(w.mul(Tensor.of(noise, r))).sum();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            if (schedule != null) schedule.step();
            for (float v : w.data()) mse[t] += (v - wStar) * (double) (v - wStar) / r;
        }
        return mse;
    }

    // ---------------------------------------------------------------- charts

    private static Plot varianceChart(Variance v, Settings s) {
        int[] b = v.batchSizes();
        double[] x = new double[b.length], ref = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            x[k] = b[k];
            ref[k] = v.perSample() / b[k];
        }
        Plot p = Plot.of(String.format(Locale.ROOT, "Minibatch gradient variance (%d draws per B, slope %.2f)", s.draws(), v.slope()),
                "batch size B (log scale)", "E‖g_B − g‖² (log scale)").logY();
        p.chart().getStyler().setXAxisLogarithmic(true);
        colour(p.line("V/B", x, ref), "V/B", Color.BLACK, THIN);
        p.points("measured", x, v.measured(), Images.PALETTE[0]);
        p.chart().getStyler().setMarkerSize(9);
        return p;
    }

    private static Plot stepsChart(Steps st, Settings s) {
        int n = st.constant().length;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i + 1;
        Plot p = Plot.of(String.format(Locale.ROOT, "SGD on a noisy quadratic (σ = %.2g, mean of %d chains)", s.noise(), s.chains()),
                "step t (log scale)", "E(w − w*)² (log scale)").logY();
        p.chart().getStyler().setXAxisLogarithmic(true);
        p.chart().getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        String cName = String.format(Locale.ROOT, "constant η = %.3g", s.lr());
        String rmName = String.format(Locale.ROOT, "Robbins–Monro η·%.3g/(t + %.3g)", s.tau(), s.tau());
        String fName = String.format(Locale.ROOT, "floor ησ²/(2 − η) = %.4f", st.floor());
        colour(p.line(cName, t, st.constant()), cName, Images.PALETTE[0], THICK);
        colour(p.line(rmName, t, st.robbinsMonro()), rmName, Images.PALETTE[1], THICK);
        colour(p.line(fName, new double[] {1, n}, new double[] {st.floor(), st.floor()}), fName, Color.BLACK, DASHED);
        return p;
    }

    private static void colour(Plot p, String series, Color color, BasicStroke stroke) {
        XYSeries s = p.chart().getSeriesMap().get(series);
        s.setLineColor(color);
        s.setLineStyle(stroke);
    }

    // ---------------------------------------------------------------- small helpers

    private static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private static double sq(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(sq(a));
    }

    private static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElseThrow();
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElseThrow();
    }

    private static void check(boolean ok, String what, double value) {
        if (!ok) throw new IllegalArgumentException("sgd: " + what + ", got " + (value == Math.rint(value)
                ? Long.toString((long) value) : Double.toString(value)));
    }
}
