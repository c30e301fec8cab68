package org.jgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Plot;
import org.jgrad.core.Functional;
import org.knowm.xchart.style.Styler;

/**
 * The course's activation functions and their derivatives. Each derivative is taken by autograd
 * — backward of Σ f(xᵢ) over a grid of x in [−4, 4] gives f′(xᵢ) at every grid point at once,
 * because xᵢ only enters the i-th term — and checked against the closed form written out here
 * in double precision (σ′ = σ(1 − σ), tanh′ = 1 − tanh², ...). One PNG: a chart per activation
 * with f and f′.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=activations -Dexample.args="--out plots"
 * </pre>
 */
public final class ActivationsExample {

    /** Slope of leaky ReLU for x &lt; 0 and α of ELU, the PyTorch defaults. */
    static final float LEAKY_ALPHA = 0.01f, ELU_ALPHA = 1f;
    static final double LO = -4, HI = 4;

    /**
     * The grid, each activation's values and autograd derivative on it (by name, in plotting
     * order), the largest |autograd − closed form| per activation (away from x = 0, where ReLU,
     * leaky ReLU, ELU and SELU have a kink), and the PNG written.
     */
    public record Result(double[] x, Map<String, double[]> values, Map<String, double[]> derivatives, Map<String, Double> maxError,
                         List<Path> files) {}

    /** An activation: its name, the jgrad function, and its derivative by hand. */
    private record Activation(String name, UnaryOperator<Tensor> f, DoubleUnaryOperator derivative, boolean kinkAtZero) {}

    private ActivationsExample() {}

    /** {@code activations [--out DIR] [--points N]}. */
    public static Result main(String[] args, PrintStream out) throws Exception {
        Args a = new Args("activations", args);
        int points = a.integer("points", 161);
        Path dir = a.outDir();
        a.done();
        return run(out, dir, points);
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
        return new Result(x, values, derivatives, maxError, List.of(file));
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
                new Activation("GELU", Functional::gelu, v -> normalCdf(v) + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI), false));
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Φ(x) = ½(1 + erf(x/√2)), erf by its Taylor series (exact to ~1e-13 for |x| ≤ 4, all we need). */
    static double normalCdf(double x) {
        double z = x / Math.sqrt(2), term = z, sum = z;
        for (int n = 1; n < 80; n++) {
            term *= -z * z / n;
            sum += term / (2 * n + 1);
        }
        return 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
    }

    /** The derivative at the grid point nearest to {@code at}. */
    private static double slopeAt(double[] x, double[] df, double at) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (Math.abs(x[i] - at) < Math.abs(x[best] - at)) best = i;
        return df[best];
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }
}
