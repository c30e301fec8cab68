package org.jgrad.examples;

import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jgrad.core.Functional;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Plot;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Residual;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Sigmoid;
import org.jgrad.nn.Tanh;
import org.jgrad.nn.init.Init;
import org.jgrad.optim.SGD;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Four things that go wrong with activations, each measured with the library.
 *
 * <ol>
 *   <li><b>Vanishing gradients.</b> Backpropagation multiplies, layer after layer, by the weight
 *   matrix and by the activation's derivative. σ′ ≤ 0.25, so every sigmoid layer shrinks the
 *   gradient at least fourfold (unless the weights make up for it): 0.25¹⁹ ≈ 3.6·10⁻¹² across 19
 *   of them. A {@code --depth}-layer MLP of width 64 gets one backward of a mean squared error to
 *   random targets, at initialisation, and the norm of each layer's weight gradient is printed
 *   and plotted. Sigmoid, tanh and ReLU are each built with the library's default initialisation
 *   — PyTorch's, U(−1/√in, 1/√in), variance 1/(3·in), a third of what keeps a signal's size — and
 *   with the matching one: Xavier (Glorot, gain 1, variance 2/(in + out)) for sigmoid and tanh,
 *   He (variance 2/in) for ReLU. Two more ReLU networks keep the default initialisation but add
 *   BatchNorm1d before every ReLU, or wrap each layer in a residual block x + W·ReLU(x) + b: both
 *   keep the gradient alive without any care for the initial scale. Matching the variance fixes
 *   tanh and ReLU, but not sigmoid: Xavier keeps Var(Wx) at 1, and σ′ still takes its 0.25.</li>
 *   <li><b>Dead ReLUs.</b> A unit whose pre-activation is negative for every input outputs 0 and
 *   gets gradient 0: nothing can revive it. A 2-16-16-1 ReLU network is fitted to a smooth 2-D
 *   function by full-batch gradient descent with a reasonable and a too-large learning rate; the
 *   big first steps throw many biases far below zero, and the hidden units that output 0 on the
 *   whole dataset are counted. A small positive bias (0.1) at initialisation is the usual
 *   precaution against units that start dead; the same too-large run with it is counted too.
 *   Measured (seed 1): none dead at initialisation in any run; after training 0 of 32 at lr 0.05,
 *   22 at lr 0.5 and 25 at lr 0.5 with bias 0.1 — the bias is no defence against a step that is
 *   too large (seeds 1–4 at lr 0.5: 22, 10, 25, 6 dead without it, 25, 21, 29, 9 with it).</li>
 *   <li><b>Without activations, depth buys nothing.</b> Five stacked Linear layers compute
 *   W₅(…(W₁x + b₁)…) + b₅ = Wx + b with W = W₅·…·W₁ and b the stack's output at x = 0. That one
 *   layer is built and its outputs compared with the stack's.</li>
 *   <li><b>Zig-zag with inputs that are not zero-centred.</b> For one example, the gradient of a
 *   neuron's loss with respect to its weights is (∂L/∂y)·x: if every input x is positive, as
 *   sigmoid outputs are, all components share the sign of ∂L/∂y, and each step moves every weight
 *   up or every weight down. An optimum in the (+, −) direction is reached only by a staircase of
 *   (+, +) and (−, −) steps. A 2-weight linear neuron is trained by one-example SGD on inputs
 *   σ(z) and on the zero-centred tanh(z) of the same z; the paths are drawn on the loss contours
 *   and the steps to reach the optimum are counted. The positive inputs share a large common
 *   component (their mean), which stretches the loss's contours along (1, −1), exactly the way to
 *   the optimum: condition number 15.9 against 1.9 (seed 1). Not all of the gain is the centring:
 *   tanh(z) = 2σ(2z) − 1 is also spread about twice as wide as σ(z).</li>
 * </ol>
 *
 * <p>What to expect (seed 1, depth 20): first/last gradient ratio 4·10⁻¹⁷ for sigmoid with
 * the default init and still 5·10⁻¹³ with Xavier, 1·10⁻⁴ for tanh and 4·10⁻⁷ for ReLU with the
 * default init; about 1 for tanh with Xavier, ReLU with He and the residual network; 18 with
 * BatchNorm (its gradient grows a little towards the input instead). The collapsed layer agrees
 * with the stack to 1·10⁻⁷. The zig-zag takes 305 steps with positive inputs, every one of them
 * (+, +) or (−, −), and 25 with centred ones.
 *
 * <p>Three PNGs: {@code vanishing.png} (log₁₀ of each layer's gradient norm, one line per
 * network), {@code dead-relu.png} (training losses) and {@code zigzag.png} (the two paths).
 *
 * <pre>
 *   ./jgrad pathologies --out plots [--depth 20] [--seed 1]
 * </pre>
 */
public final class PathologiesExample {

    static final int WIDTH = 64, BATCH = 128;
    /** Dead ReLUs: learning rates (full-batch gradient descent), steps, bias of the third run. */
    static final double NORMAL_LR = 0.05, LARGE_LR = 0.5, POSITIVE_BIAS = 0.1;
    static final int DEAD_STEPS = 300, DEAD_HIDDEN = 16, DEAD_POINTS = 256;
    /** Zig-zag: learning rate of the one-example SGD steps, distance to the optimum that counts as reached, step cap. */
    static final double ZIGZAG_LR = 0.5, ZIGZAG_TOL = 1e-2;
    static final int ZIGZAG_EXAMPLES = 32, ZIGZAG_MAX_STEPS = 20_000;
    /** The zig-zag's optimum, from the start (0, 0) in the (+, −) direction. */
    static final double[] W_STAR = {1, -1};

    /** One network of part 1: its name and the norm of each Linear layer's weight gradient, first to last. */
    public record Gradients(String name, double[] norms) {
        public double first() {
            return norms[0];
        }

        public double last() {
            return norms[norms.length - 1];
        }

        /** First layer's gradient norm over the last layer's: ≪ 1 when the gradient vanishes on its way back. */
        public double ratio() {
            return first() / last();
        }
    }

    /** Part 2: dead hidden units (of 2·16) after training, for each run, and the runs' loss curves. */
    public record DeadRelus(int normalLr, int largeLr, int largeLrPositiveBias, int[] atInit, Map<String, double[]> losses) {}

    /** One zig-zag run: the path of (w1, w2), the steps to reach the tolerance (−1 if never), and how the steps pointed. */
    public record Path2d(String name, double[] w1, double[] w2, int stepsToTol, int sameSignSteps, int mixedSignSteps,
                         int reversals, double conditionNumber, double[] hessian) {}

    /** Everything printed: part 1 by network name, part 2, part 3's max difference, part 4's two runs; the PNGs. */
    public record Result(Map<String, Gradients> gradients, DeadRelus dead, double collapseMaxDiff, Path2d positive, Path2d centred,
                         List<Path> files) {}

    private PathologiesExample() {}

    /** {@code pathologies}' options. */
    @Command(name = "pathologies")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--depth", paramLabel = "N",
                description = "Layers of the networks whose gradients are measured, at least 2 (default: ${DEFAULT-VALUE}).")
        int depth = 20;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return PathologiesExample.run(stdout, out.dir(), seed, depth);
        }
    }

    /** {@code pathologies [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    public static Result run(PrintStream out, Path dir, long seed, int depth) throws Exception {
        if (depth < 2) throw new IllegalArgumentException("pathologies: --depth must be at least 2, got " + depth);
        List<Path> files = new ArrayList<>();

        Map<String, Gradients> grads = vanishing(seed, depth);
        printVanishing(out, grads, depth);
        files.add(plotVanishing(grads, depth, dir));

        DeadRelus dead = deadRelus(seed);
        out.printf(Locale.ROOT, "%n2. dead ReLUs: 2-%d-%d-1, He init, %d full-batch GD steps on %d points of sin(πx₁)·cos(πx₂)%n",
                DEAD_HIDDEN, DEAD_HIDDEN, DEAD_STEPS, DEAD_POINTS);
        out.printf(Locale.ROOT, "  dead hidden units (output 0 on every point), of %d:   at init   after training%n", 2 * DEAD_HIDDEN);
        out.printf(Locale.ROOT, "    lr %-5s bias 0                                %2d          %2d%n", NORMAL_LR, dead.atInit()[0], dead.normalLr());
        out.printf(Locale.ROOT, "    lr %-5s bias 0                                %2d          %2d%n", LARGE_LR, dead.atInit()[1], dead.largeLr());
        out.printf(Locale.ROOT, "    lr %-5s bias %.1f                              %2d          %2d%n", LARGE_LR, POSITIVE_BIAS, dead.atInit()[2],
                dead.largeLrPositiveBias());
        out.println("  (the bias 0.1 meant against units that start dead is no defence against a step that is too large)");
        files.add(plotDead(dead, dir));

        double diff = collapse(seed, out);

        Path2d pos = zigzag("positive inputs σ(z)", seed, false), cen = zigzag("centred inputs tanh(z)", seed, true);
        out.printf(Locale.ROOT, "%n4. zig-zag: a linear neuron w₁x₁ + w₂x₂, one-example SGD (lr %s) from (0, 0) to the optimum (%s, %s)%n",
                ZIGZAG_LR, W_STAR[0], W_STAR[1]);
        for (Path2d p : List.of(pos, cen)) {
            out.printf(Locale.ROOT, "  %-24s steps to |w − w*| < %s: %5s; steps with gradient in (+,+)/(−,−): %5d, in (+,−)/(−,+): %5d;"
                            + " direction reversals %5d; condition number of the loss %.1f%n",
                    p.name(), ZIGZAG_TOL, p.stepsToTol() < 0 ? "never" : Integer.toString(p.stepsToTol()), p.sameSignSteps(),
                    p.mixedSignSteps(), p.reversals(), p.conditionNumber());
        }
        out.println("  (with positive inputs no step can point towards (+,−): the path is a staircase of (+,+) and (−,−) steps)");
        files.add(plotZigzag(pos, cen, dir));
        for (Path f : files) out.println("wrote " + f);
        return new Result(grads, dead, diff, pos, cen, files);
    }

    // ---------------------------------------------------------------- 1. vanishing gradients

    /** Builds each network from the same seed and returns its layers' weight-gradient norms after one backward. */
    static Map<String, Gradients> vanishing(long seed, int depth) {
        SplittableRandom data = new SplittableRandom(seed);
        Tensor x = Tensor.randn(data, BATCH, WIDTH), target = Tensor.randn(data, BATCH, WIDTH);
        Map<String, Gradients> result = new LinkedHashMap<>();
        for (var e : networks().entrySet()) {
            List<Linear> layers = new ArrayList<>();
            Module net = e.getValue().apply(new Net(depth, new SplittableRandom(seed + 1), layers));
            Tensor y = net.forward(x);
            y.sub(target).pow(2).mean().backward();   // MSE to random targets
            double[] norms = new double[depth];
            for (int i = 0; i < depth; i++) norms[i] = norm(layers.get(i).weight().gradData());
            result.put(e.getKey(), new Gradients(e.getKey(), norms));
        }
        return result;
    }

    /** What a network builder needs: the depth, a source of weights, and a list to record its Linear layers in. */
    record Net(int depth, SplittableRandom rng, List<Linear> layers) {
        /** The next 64→64 layer, with the library's default init, recorded. */
        Linear linear() {
            Linear l = new Linear(WIDTH, WIDTH, rng);
            layers.add(l);
            return l;
        }

        /** {@code depth} layers, initialised by {@code init}, an activation after every one but the last. */
        Sequential plain(Supplier<Module> activation, Function<Linear, Linear> init) {
            List<Module> m = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                m.add(init.apply(linear()));
                if (i < depth - 1) m.add(activation.get());
            }
            return new Sequential(m.toArray(new Module[0]));
        }
    }

    /** The seven networks of part 1, by name, in plotting order. */
    private static Map<String, Function<Net, Module>> networks() {
        Map<String, Function<Net, Module>> n = new LinkedHashMap<>();
        Function<Linear, Linear> asIs = l -> l;
        n.put("sigmoid, default init", net -> net.plain(Sigmoid::new, asIs));
        n.put("sigmoid, Xavier", net -> net.plain(Sigmoid::new, l -> xavier(l, net.rng())));
        n.put("tanh, default init", net -> net.plain(Tanh::new, asIs));
        n.put("tanh, Xavier", net -> net.plain(Tanh::new, l -> xavier(l, net.rng())));
        n.put("ReLU, default init", net -> net.plain(ReLU::new, asIs));
        n.put("ReLU, He", net -> net.plain(ReLU::new, l -> he(l, net.rng())));
        n.put("ReLU + BatchNorm, default init", net -> {
            List<Module> m = new ArrayList<>();
            for (int i = 0; i < net.depth(); i++) {
                m.add(net.linear());
                if (i < net.depth() - 1) {
                    m.add(new BatchNorm1d(WIDTH));   // training mode: each unit rescaled to mean 0, variance 1 over the batch
                    m.add(new ReLU());
                }
            }
            return new Sequential(m.toArray(new Module[0]));
        });
        n.put("ReLU residual, default init", net -> {
            List<Module> m = new ArrayList<>();
            // x + W·ReLU(x) + b: the identity path carries the gradient past every layer unchanged
            for (int i = 0; i < net.depth() - 1; i++) m.add(new Residual(new Sequential(new ReLU(), net.linear())));
            m.add(net.linear());
            return new Sequential(m.toArray(new Module[0]));
        });
        return n;
    }

    private static Linear xavier(Linear l, SplittableRandom rng) {
        Init.xavierUniform(l.weight(), rng);
        Init.zeros(l.bias());
        return l;
    }

    private static Linear he(Linear l, SplittableRandom rng) {
        Init.kaimingUniform(l.weight(), rng, "relu");
        Init.zeros(l.bias());
        return l;
    }

    private static void printVanishing(PrintStream out, Map<String, Gradients> grads, int depth) {
        int mid = depth / 2;
        out.printf(Locale.ROOT, "1. vanishing gradients: %d layers of width %d, batch of %d, one backward of an MSE to random targets%n",
                depth, WIDTH, BATCH);
        out.println("   default init = the library's (PyTorch's) U(−1/√in, 1/√in); Xavier = Glorot uniform, gain 1; He = Kaiming uniform for ReLU");
        out.printf(Locale.ROOT, "  %-31s %11s %11s %11s %13s%n", "network", "|∇W layer 1|", "layer " + mid, "layer " + depth, "first / last");
        for (Gradients g : grads.values()) {
            out.printf(Locale.ROOT, "  %-31s %11.3e %11.3e %11.3e %13.3e%n", g.name(), g.first(), g.norms()[mid - 1], g.last(), g.ratio());
        }
        out.printf(Locale.ROOT, "  σ′(x) = σ(x)(1 − σ(x)) ≤ 0.25: each sigmoid layer shrinks the gradient by 4× at least (unless W makes up for it);"
                + " over %d layers 0.25^%d = %.1e%n", depth - 1, depth - 1, Math.pow(0.25, depth - 1));
    }

    private static Path plotVanishing(Map<String, Gradients> grads, int depth, Path dir) throws Exception {
        double[] layer = new double[depth];
        for (int i = 0; i < depth; i++) layer[i] = i + 1;
        Plot p = Plot.of("Gradient norm per layer at initialisation (" + depth + " layers, width " + WIDTH + ")", "layer",
                "log10 |∇W|");
        for (Gradients g : grads.values()) {
            double[] y = new double[depth];
            for (int i = 0; i < depth; i++) y[i] = Math.log10(g.norms()[i]);
            p.line(g.name(), layer, y);
        }
        p.chart().getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        return p.save(dir.resolve("vanishing.png"));
    }

    // ---------------------------------------------------------------- 2. dead ReLUs

    static DeadRelus deadRelus(long seed) {
        return deadRelus(seed, NORMAL_LR, LARGE_LR);
    }

    static DeadRelus deadRelus(long seed, double normalLr, double largeLr) {
        SplittableRandom data = new SplittableRandom(seed);
        float[] xs = new float[2 * DEAD_POINTS], ys = new float[DEAD_POINTS];
        for (int i = 0; i < DEAD_POINTS; i++) {
            double a = data.nextDouble(-1, 1), b = data.nextDouble(-1, 1);
            xs[2 * i] = (float) a;
            xs[2 * i + 1] = (float) b;
            ys[i] = (float) (Math.sin(Math.PI * a) * Math.cos(Math.PI * b));
        }
        Tensor x = Tensor.of(xs, DEAD_POINTS, 2), y = Tensor.of(ys, DEAD_POINTS, 1);
        Map<String, double[]> losses = new LinkedHashMap<>();
        int[] dead = new int[3], atInit = new int[3];
        double[][] runs = {{normalLr, 0}, {largeLr, 0}, {largeLr, POSITIVE_BIAS}};
        for (int r = 0; r < runs.length; r++) {
            // the same initial weights in all three runs: only the learning rate or the bias differs
            Sequential net = deadNet(new SplittableRandom(seed + 1), (float) runs[r][1]);
            atInit[r] = deadUnits(net, x);
            double[] curve = new double[DEAD_STEPS + 1];
            SGD opt = new SGD(net.parameters(), (float) runs[r][0]);
            for (int s = 0; s < DEAD_STEPS; s++) {
                Tensor loss = net.forward(x).sub(y).pow(2).mean();
                curve[s] = loss.item();
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            try (var off = GradMode.off()) {
                curve[DEAD_STEPS] = net.forward(x).sub(y).pow(2).mean().item();
            }
            dead[r] = deadUnits(net, x);
            losses.put(String.format(Locale.ROOT, "lr %s, bias %s", runs[r][0], runs[r][1] == 0 ? "0" : runs[r][1]), curve);
        }
        return new DeadRelus(dead[0], dead[1], dead[2], atInit, losses);
    }

    /** 2-16-16-1, He-uniform weights, every bias set to {@code bias}. */
    private static Sequential deadNet(SplittableRandom rng, float bias) {
        Linear l1 = new Linear(2, DEAD_HIDDEN, rng), l2 = new Linear(DEAD_HIDDEN, DEAD_HIDDEN, rng), l3 = new Linear(DEAD_HIDDEN, 1, rng);
        for (Linear l : List.of(l1, l2, l3)) {
            Init.kaimingUniform(l.weight(), rng, "relu");
            Init.constant(l.bias(), bias);
        }
        return new Sequential(l1, new ReLU(), l2, new ReLU(), l3);
    }

    /** Hidden units of both ReLU layers that output 0 for every point of {@code x}. */
    static int deadUnits(Sequential net, Tensor x) {
        try (var off = GradMode.off()) {
            return deadUnits(net.slice(0, 2).forward(x)) + deadUnits(net.slice(0, 4).forward(x));
        }
    }

    /** Columns of a [points, units] ReLU output that are 0 on every row. */
    static int deadUnits(Tensor h) {
        int n = h.size(0), units = h.size(1), dead = 0;
        float[] v = h.toArray();
        for (int u = 0; u < units; u++) {
            boolean alive = false;
            for (int i = 0; i < n && !alive; i++) alive = v[i * units + u] > 0;
            if (!alive) dead++;
        }
        return dead;
    }

    private static Path plotDead(DeadRelus dead, Path dir) throws Exception {
        double[] step = new double[DEAD_STEPS + 1];
        for (int i = 0; i <= DEAD_STEPS; i++) step[i] = i;
        Plot p = Plot.of(String.format(Locale.ROOT, "Dead ReLUs: 2-%d-%d-1, dead units after training: %d, %d, %d", DEAD_HIDDEN, DEAD_HIDDEN,
                dead.normalLr(), dead.largeLr(), dead.largeLrPositiveBias()), "gradient-descent step", "training MSE").logY();
        int[] counts = {dead.normalLr(), dead.largeLr(), dead.largeLrPositiveBias()};
        int i = 0;
        for (var e : dead.losses().entrySet()) p.line(e.getKey() + ": " + counts[i++] + " dead of " + 2 * DEAD_HIDDEN, step, e.getValue());
        return p.save(dir.resolve("dead-relu.png"));
    }

    // ---------------------------------------------------------------- 3. a deep linear network is one matrix

    /** Five Linear layers 6→16→12→10→8→3 and the one layer they equal; prints and returns the largest output difference. */
    static double collapse(long seed, PrintStream out) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] sizes = {6, 16, 12, 10, 8, 3};
        Linear[] layers = new Linear[sizes.length - 1];
        for (int i = 0; i < layers.length; i++) layers[i] = new Linear(sizes[i], sizes[i + 1], rng);
        Sequential deep = new Sequential(layers);
        try (var off = GradMode.off()) {
            // W = W₅·W₄·W₃·W₂·W₁ and b = W₅(…(W₂b₁ + b₂)…) + b₅, composed from the first layer on
            Tensor w = layers[0].weight(), b = layers[0].bias();
            for (int i = 1; i < layers.length; i++) {
                w = layers[i].weight().matmul(w);
                b = Functional.linear(b, layers[i].weight(), layers[i].bias());
            }
            Linear one = new Linear(sizes[0], sizes[sizes.length - 1], rng);
            System.arraycopy(w.toArray(), 0, one.weight().data(), 0, w.numel());
            System.arraycopy(b.toArray(), 0, one.bias().data(), 0, b.numel());
            Tensor x = Tensor.randn(rng, 1000, sizes[0]);
            float[] a = deep.forward(x).toArray(), c = one.forward(x).toArray();
            double diff = 0;
            for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - c[i]));
            out.printf(Locale.ROOT, "%n3. five Linear layers 6→16→12→10→8→3 without activations (%d parameters) = one Linear 6→3 (%d parameters),"
                    + " W = W5·W4·W3·W2·W1:%n  largest |difference| of the outputs on 1000 random inputs: %.2e (float rounding)%n",
                    deep.numParameters(), one.numParameters(), diff);
            return diff;
        }
    }

    // ---------------------------------------------------------------- 4. zig-zag

    /** One-example SGD on ½(w·x − w*·x)², cycling through the examples, from (0, 0). */
    static Path2d zigzag(String name, long seed, boolean centred) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] xs = new float[ZIGZAG_EXAMPLES][2];
        for (float[] x : xs) {
            for (int j = 0; j < 2; j++) {
                double z = rng.nextGaussian();
                // the same z in both runs: sigmoid's outputs are all positive, tanh(z) = 2σ(2z) − 1 is centred on 0
                x[j] = (float) (centred ? Math.tanh(z) : 1 / (1 + Math.exp(-z)));
            }
        }
        Tensor w = Tensor.of(new float[] {0, 0}, 2).requiresGrad();
        List<double[]> path = new ArrayList<>();
        path.add(new double[] {0, 0});
        int reached = -1, same = 0, mixed = 0, reversals = 0, prevSign = 0;
        for (int s = 0; s < ZIGZAG_MAX_STEPS && reached < 0; s++) {
            float[] x = xs[s % xs.length];
            Tensor xi = Tensor.of(x.clone(), 2);
            float target = (float) (W_STAR[0] * x[0] + W_STAR[1] * x[1]);
            Tensor loss = w.mul(xi).sum().sub(target).pow(2).mul(0.5f);
            w.zeroGrad();
            loss.backward();
            float[] g = w.gradData();
            // (+,+) and (−,−) steps: both weights move together; (+,−) would point straight at the optimum
            if (g[0] * g[1] > 0) same++;
            else if (g[0] * g[1] < 0) mixed++;
            int sign = (int) Math.signum(g[0]);
            if (sign != 0 && prevSign != 0 && sign != prevSign) reversals++;
            if (sign != 0) prevSign = sign;
            float[] v = w.data();
            for (int j = 0; j < 2; j++) v[j] -= (float) (ZIGZAG_LR * g[j]);
            path.add(new double[] {v[0], v[1]});
            if (Math.hypot(v[0] - W_STAR[0], v[1] - W_STAR[1]) < ZIGZAG_TOL) reached = s + 1;
        }
        double[] w1 = new double[path.size()], w2 = new double[path.size()];
        for (int i = 0; i < path.size(); i++) {
            w1[i] = path.get(i)[0];
            w2[i] = path.get(i)[1];
        }
        double[] h = hessian(xs);
        double[] eig = eigen(h);
        return new Path2d(name, w1, w2, reached, same, mixed, reversals, eig[0] / eig[1], h);
    }

    /** The average of x·xᵀ, [h11, h12, h22]: the curvature of the mean loss ½(w − w*)ᵀH(w − w*). */
    private static double[] hessian(float[][] xs) {
        double[] h = new double[3];
        for (float[] x : xs) {
            h[0] += x[0] * x[0] / xs.length;
            h[1] += x[0] * x[1] / xs.length;
            h[2] += x[1] * x[1] / xs.length;
        }
        return h;
    }

    /** Eigenvalues (large, small) of the symmetric 2×2 matrix [h11 h12; h12 h22]. */
    private static double[] eigen(double[] h) {
        double mean = (h[0] + h[2]) / 2, r = Math.hypot((h[0] - h[2]) / 2, h[1]);
        return new double[] {mean + r, mean - r};
    }

    private static Path plotZigzag(Path2d pos, Path2d cen, Path dir) throws Exception {
        return Plot.saveGrid(dir.resolve("zigzag.png"), 2, List.of(pathChart(pos), pathChart(cen)));
    }

    private static Plot pathChart(Path2d p) {
        String steps = p.stepsToTol() < 0 ? "not reached" : p.stepsToTol() + " steps";
        Plot plot = Plot.of(p.name() + ": " + steps, "w1", "w2", 560, 560);
        contours(plot, p.hessian());
        plot.line(p.name(), p.w1(), p.w2());
        XYSeries path = plot.chart().getSeriesMap().get(p.name());
        path.setMarker(SeriesMarkers.CIRCLE);
        path.setLineColor(new Color(30, 80, 200));
        path.setMarkerColor(new Color(30, 80, 200));
        plot.points("start (0, 0)", new double[] {0}, new double[] {0}, Color.BLACK);
        plot.points("optimum w*", new double[] {W_STAR[0]}, new double[] {W_STAR[1]}, Color.RED);
        plot.chart().getStyler().setMarkerSize(3);
        plot.chart().getStyler().setXAxisMin(-0.5).setXAxisMax(1.5).setYAxisMin(-1.5).setYAxisMax(0.5);
        plot.chart().getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return plot;
    }

    /**
     * Level curves of the mean loss ½(w − w*)ᵀH(w − w*): ellipses around w* with axes along H's
     * eigenvectors, of half-lengths √(2c/λ), at fractions of the loss at the start.
     */
    private static void contours(Plot plot, double[] h) {
        double[] eig = eigen(h);
        double phi = 0.5 * Math.atan2(2 * h[1], h[0] - h[2]);   // direction of the large eigenvalue's eigenvector
        double start = 0.5 * (h[0] * W_STAR[0] * W_STAR[0] + 2 * h[1] * W_STAR[0] * W_STAR[1] + h[2] * W_STAR[1] * W_STAR[1]);
        int k = 0;
        for (double level : new double[] {1, 0.3, 0.1, 0.03, 0.01}) {
            double a = Math.sqrt(2 * level * start / eig[0]), b = Math.sqrt(2 * level * start / eig[1]);
            int n = 200;
            double[] x = new double[n + 1], y = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                double t = 2 * Math.PI * i / n, u = a * Math.cos(t), v = b * Math.sin(t);
                x[i] = W_STAR[0] + u * Math.cos(phi) - v * Math.sin(phi);
                y[i] = W_STAR[1] + u * Math.sin(phi) + v * Math.cos(phi);
            }
            XYSeries s = plot.chart().addSeries("level " + k++, x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Color.LIGHT_GRAY);
            s.setShowInLegend(false);
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) s += (double) f * f;
        return Math.sqrt(s);
    }
}
