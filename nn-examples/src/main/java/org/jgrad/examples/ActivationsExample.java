package org.jgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.jgrad.core.Functional;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Pointwise;
import org.jgrad.examples.plot.Plot;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The course's activation functions and their derivatives. Each derivative is taken by autograd
 * — backward of Σ f(xᵢ) over a grid of x in [−4, 4] gives f′(xᵢ) at every grid point at once,
 * because xᵢ only enters the i-th term — and checked against the closed form written out here
 * in double precision (σ′ = σ(1 − σ), tanh′ = 1 − tanh², ...). One PNG: a chart per activation
 * with f and f′.
 *
 * <p>Two identities of the lectures are then shown numerically, with jgrad's ops in float:
 * tanh z = 2σ(2z) − 1 (tanh is a rescaled sigmoid) over the same grid, and the softmax's limits
 * for a fixed score vector z: S(α·z) tends to the one-hot vector of the argmax as α grows (the
 * softmax is a "soft argmax") and S(α·z)ᵀz to max z (a "soft max"); as α → 0 it tends to the
 * uniform distribution and S(α·z)ᵀz to the mean of z.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=activations -Dexample.args="--out plots"
 * </pre>
 */
public final class ActivationsExample {

    /** Slope of leaky ReLU for x &lt; 0 and α of ELU, the PyTorch defaults. */
    static final float LEAKY_ALPHA = 0.01f, ELU_ALPHA = 1f;
    static final double LO = -4, HI = 4;
    /** The scores and temperatures of the soft-argmax table. */
    static final double[] SCORES = {1, 2, 3, 0.5}, ALPHAS = {0.01, 1, 2, 5, 10, 50};

    /**
     * The grid, each activation's values and autograd derivative on it (by name, in plotting
     * order), the largest |autograd − closed form| per activation (away from x = 0, where ReLU,
     * leaky ReLU, ELU and SELU have a kink), the largest |tanh z − (2σ(2z) − 1)| on the grid, the
     * soft-argmax table, and the PNG written.
     */
    public record Result(double[] x, Map<String, double[]> values, Map<String, double[]> derivatives, Map<String, Double> maxError,
                         double tanhIdentityError, SoftArgmax softArgmax, List<Path> files) {}

    /**
     * The softmax of α·z for each α: the probabilities (a row per α), the one-hot gap
     * 1 − max S(α·z) (0 for a one-hot vector), and S(α·z)ᵀz, the scores averaged under it.
     */
    public record SoftArgmax(double[] z, double[] alphas, double[][] softmax, double[] oneHotGap, double[] expectedScore) {}

    /** An activation: its name, the jgrad function, and its derivative by hand. */
    private record Activation(String name, UnaryOperator<Tensor> f, DoubleUnaryOperator derivative, boolean kinkAtZero) {}

    private ActivationsExample() {}

    /** {@code activations}' options. */
    @Command(name = "activations")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--points", paramLabel = "N",
                description = "Points in [-4, 4] where f and f' are evaluated, at least 3 (default: ${DEFAULT-VALUE}).")
        int points = 161;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return ActivationsExample.run(stdout, out.dir(), points);
        }
    }

    /** {@code activations [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Evaluates every activation and its autograd derivative at {@code points} evenly spaced x in [−4, 4]. */
    public static Result run(PrintStream out, Path dir, int points) throws Exception {
        if (points < 3) throw new IllegalArgumentException("activations: --points must be at least 3, got " + points);
        double[] x = new double[points];
        // float grid points, so the closed forms are evaluated exactly where autograd was
        for (int i = 0; i < points; i++) x[i] = (float) (LO + (HI - LO) * i / (points - 1));

        Map<String, double[]> values = new LinkedHashMap<>(), derivatives = new LinkedHashMap<>();
        Map<String, Double> maxError = new LinkedHashMap<>();
        List<Plot> charts = new ArrayList<>();
        out.printf(Locale.ROOT, "activations: f and f' by autograd at %d points in [%.0f, %.0f], checked against the closed forms%n",
                points, LO, HI);
        out.println("  activation     f'(-2)    f'(0)   f'(0.5)    f'(2)   max |autograd - closed form|");
        for (Activation act : activations()) {
            Tensor t = Tensor.of(OneD.floats(x)).requiresGrad();
            Tensor y = act.f().apply(t);
            y.sum().backward();   // d(Σ f(x_j))/dx_i = f'(x_i)
            double[] f = OneD.doubles(y.toArray()), df = OneD.doubles(t.grad().toArray());
            double worst = 0;
            for (int i = 0; i < points; i++) {
                if (act.kinkAtZero() && x[i] == 0) continue;   // not differentiable there; jgrad takes the left-hand slope (ReLU'(0) = 0, as PyTorch)
                worst = Math.max(worst, Math.abs(df[i] - act.derivative().applyAsDouble(x[i])));
            }
            values.put(act.name(), f);
            derivatives.put(act.name(), df);
            maxError.put(act.name(), worst);
            out.printf(Locale.ROOT, "  %-12s %8.4f %8.4f %8.4f %8.4f   %.1e%n", act.name(), slopeAt(x, df, -2), slopeAt(x, df, 0),
                    slopeAt(x, df, 0.5), slopeAt(x, df, 2), worst);
            charts.add(Plot.of(act.name(), "x", "f(x), f'(x)", 360, 300).line("f(x)", x, f).line("f'(x) by autograd", x, df)
                    .yRange(Math.min(min(f), min(df)) - 0.1, Math.max(max(f), max(df)) + 0.1));   // a margin, so flat parts stay visible
        }
        for (Plot p : charts) {
            p.chart().getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            p.chart().getStyler().setYAxisDecimalPattern("0.##");   // XChart's default prints float noise (0.200000002980232)
        }
        Path file = Plot.saveGrid(dir.resolve("activations.png"), 5, charts);
        out.println("wrote " + file);
        double identity = tanhIdentityError(x);
        out.printf(Locale.ROOT, "tanh z = 2σ(2z) − 1: largest |tanh z − (2σ(2z) − 1)| over the %d grid points, jgrad's tanh and sigmoid"
                + " in float: %.1e%n", points, identity);
        return new Result(x, values, derivatives, maxError, identity, softArgmax(out), List.of(file));
    }

    /** max |tanh z − (2σ(2z) − 1)| over the grid, both sides by jgrad's ops; float rounding is all that separates them. */
    static double tanhIdentityError(double[] x) {
        Tensor z = Tensor.of(OneD.floats(x));
        Tensor gap = z.tanh().sub(z.mul(2f).sigmoid().mul(2f).sub(1f)).abs();
        return gap.max().item();
    }

    /** The table of S(α·z) for {@link #SCORES} and {@link #ALPHAS}, printed. */
    static SoftArgmax softArgmax(PrintStream out) {
        Tensor z = Tensor.of(OneD.floats(SCORES));
        double max = Arrays.stream(SCORES).max().orElseThrow(), mean = Arrays.stream(SCORES).average().orElseThrow();
        out.printf(Locale.ROOT, "softmax S(α·z) of z = %s (max %s at index %d): as α grows S(α·z) → the one-hot of the argmax"
                + " (soft argmax) and S(α·z)ᵀz → max z; as α → 0, S → uniform 1/%d and S(α·z)ᵀz → mean z = %s%n",
                Arrays.toString(SCORES), max, (int) z.argmax().item(), SCORES.length, mean);
        out.printf(Locale.ROOT, "  %6s   %-34s  %9s   %8s   %16s%n", "α", "S(α·z)", "1 − max S", "S(α·z)ᵀz", "max z − S(α·z)ᵀz");
        int n = ALPHAS.length;
        double[][] probabilities = new double[n][];
        double[] gap = new double[n], expected = new double[n];
        for (int k = 0; k < n; k++) {
            Tensor s = z.mul((float) ALPHAS[k]).softmax(0);
            probabilities[k] = OneD.doubles(s.toArray());
            gap[k] = 1 - s.max().item();
            expected[k] = s.mul(z).sum().item();
            StringBuilder row = new StringBuilder();
            for (double p : probabilities[k]) row.append(row.isEmpty() ? "[" : ", ").append(String.format(Locale.ROOT, "%.4f", p));
            out.printf(Locale.ROOT, "  %6.2f   %-34s  %9.2e   %8.5f   %16.2e%n", ALPHAS[k], row + "]", gap[k], expected[k], max - expected[k]);
        }
        return new SoftArgmax(SCORES.clone(), ALPHAS.clone(), probabilities, gap, expected);
    }

    /** The ten activations with their derivatives written out independently of {@link Functional}. */
    private static List<Activation> activations() {
        double sa = Functional.SELU_ALPHA, ss = Functional.SELU_SCALE;
        return List.of(
                new Activation("sigmoid", Tensor::sigmoid, v -> sigmoid(v) * (1 - sigmoid(v)), false),
                new Activation("tanh", Tensor::tanh, v -> 1 - Math.tanh(v) * Math.tanh(v), false),
                new Activation("ReLU", Tensor::relu, v -> v > 0 ? 1 : 0, true),
                new Activation("leaky ReLU", t -> Functional.leakyRelu(t, LEAKY_ALPHA), v -> v > 0 ? 1 : LEAKY_ALPHA, true),
                new Activation("ELU", t -> Functional.elu(t, ELU_ALPHA), v -> v > 0 ? 1 : ELU_ALPHA * Math.exp(v), true),
                new Activation("SELU", Functional::selu, v -> ss * (v > 0 ? 1 : sa * Math.exp(v)), true),
                new Activation("softplus", Functional::softplus, ActivationsExample::sigmoid, false),
                new Activation("swish (SiLU)", Functional::silu, v -> sigmoid(v) * (1 + v * (1 - sigmoid(v))), false),
                // mish = x·tanh(softplus x): product rule, and softplus' = σ
                new Activation("mish", Functional::mish, v -> {
                    double th = Math.tanh(Math.log1p(Math.exp(v)));
                    return th + v * (1 - th * th) * sigmoid(v);
                }, false),
                // GELU = x·Φ(x): Φ(x) + x·φ(x), with φ the standard normal density
                new Activation("GELU", Functional::gelu, v -> Pointwise.normalCdf(v) + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI), false));
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** The derivative at the grid point nearest to {@code at}. */
    private static double slopeAt(double[] x, double[] df, double at) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (Math.abs(x[i] - at) < Math.abs(x[best] - at)) best = i;
        return df[best];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
