package org.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.jgrad.core.Tensor;
import org.jgrad.data.Synthetic;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.nn.CrossEntropyLoss;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.optim.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The representation view of a layer: its weight Θ is, by the singular value decomposition
 * Θ = U·S·Vᵀ, a rotation (Vᵀ), a scaling along the axes (S) and another rotation (U), possibly
 * with a reflection; then the bias shifts the plane, and the nonlinearity bends it — ReLU folds
 * every point with a negative coordinate onto an axis (both negative: onto the origin), tanh
 * squashes the plane into the open square (−1, 1)². That is how a network re-represents its input
 * for the next layer.
 *
 * <p>The layer is the first Linear(2, 2) of a 2 → 2 → 3 tanh network trained on the 3-arm spiral
 * (full-batch Adam from a seeded initialisation; {@code --epochs 0} keeps the initialisation). A
 * two-unit bottleneck cannot classify the spiral well, but 50 steps make the weight large enough
 * for tanh to saturate (singular values about 2.4 and 1.8), which a freshly initialised layer
 * (weights within ±1/√2) does not show; much longer training grows one singular value far past
 * the other (7.8 against 0.8 after 300 steps), and the grid then collapses to a thin band. The
 * SVD is {@link Svd}'s one-sided Jacobi in double. The signs of the singular vectors are chosen so
 * that V is a pure rotation; U then needs a reflection exactly when det Θ is negative.
 *
 * <p>One PNG of eight panels: a square grid over [−1, 1]², coloured by position so each line can
 * be followed, after Vᵀ, after S·Vᵀ, after U·S·Vᵀ = Θ, after adding b, after ReLU and after tanh;
 * and a panel of the numbers. The example counts, at the grid's crossing points, how many ReLU
 * keeps inside the quadrant, sends onto an axis, or onto the origin, and the largest |tanh|.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=representation -Dexample.args="--out plots"
 * </pre>
 */
public final class RepresentationExample {

    static final int PANEL = 300, GAP = 8, TITLE = 30, CAPTION = 22, COLS = 4, ROWS = 2;
    /** The panels drawn (the eighth is text). */
    static final int STAGES = 7;
    /** Points along each grid line: enough for tanh's curves to look smooth. */
    static final int SAMPLES = 201;
    static final double LR = 0.05;

    /**
     * The layer (Θ row-major as {@code theta[out][in]}, b) after training with its final loss; its
     * SVD with the signs fixed so det V = +1; ‖Θ − U·S·Vᵀ‖ (Frobenius); the angles of V and U in
     * degrees and whether U reflects; the grid's crossing points {@code lattice[k] = (x1, x2)};
     * what ReLU does to them (kept in the open quadrant, onto the h2 axis because h1 ≤ 0, onto the
     * h1 axis because h2 ≤ 0, onto the origin); the largest |tanh| at them, the largest on the
     * square; and the PNG.
     */
    public record Result(double[][] theta, double[] bias, double loss, Svd svd, double reconstructionError, double angleV,
                         double angleU, boolean reflectU, double[][] lattice, int kept, int ontoH2Axis, int ontoH1Axis,
                         int ontoOrigin, double maxTanh, Path file) {}

    private RepresentationExample() {}

    /** {@code representation}'s options. */
    @Command(name = "representation")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Full-batch Adam steps on the spiral (0: the initial weights) (default: ${DEFAULT-VALUE}).")
        int epochs = 50;

        @Option(names = "--lines", paramLabel = "N",
                description = "Grid lines each way, 2..101 (default: ${DEFAULT-VALUE}).")
        int lines = 11;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return RepresentationExample.run(stdout, out.dir(), epochs, lines, seed);
        }
    }

    /** {@code representation [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Trains the network, decomposes its first layer, counts the folding and draws the grid through every stage. */
    public static Result run(PrintStream out, Path dir, int epochs, int lines, long seed) throws IOException {
        if (epochs < 0) throw new IllegalArgumentException("representation: --epochs must be at least 0, got " + epochs);
        if (lines < 2 || lines > 101) throw new IllegalArgumentException("representation: --lines must be between 2 and 101, got " + lines);
        Sequential net = network(seed);
        TensorDataset data = Synthetic.spiral(100, 3, 0.2, seed);
        double loss = train(net, data.features(), data.labels(), epochs);
        Linear first = (Linear) net.get(0);
        float[] w = first.weight().data(), bf = first.bias().data();
        double[][] theta = {{w[0], w[1]}, {w[2], w[3]}};
        double[] b = {bf[0], bf[1]};

        Svd svd = rotationFirst(Svd.of(theta));
        double err = distance(theta, svd.reconstruct());
        double angleV = Math.toDegrees(Math.atan2(svd.v()[1][0], svd.v()[0][0]));
        double angleU = Math.toDegrees(Math.atan2(svd.u()[1][0], svd.u()[0][0]));
        boolean reflectU = det(svd.u()) < 0;

        out.printf(Locale.ROOT, "representation: first layer of a 2 -> 2 -> 3 tanh network on the 3-arm spiral, %d full-batch Adam steps "
                + "(lr %.2f), seed %d, final loss %.4f%n", epochs, LR, seed, loss);
        out.println("  Theta = " + matrix(theta) + "   b = " + vector(b));
        out.println("  SVD by one-sided Jacobi in double, Theta = U * diag(S) * V^T:");
        out.println("  U = " + matrix(svd.u()));
        out.println("  S = " + vector(svd.s()));
        out.println("  V = " + matrix(svd.v()));
        out.printf(Locale.ROOT, "  ||Theta - U*diag(S)*V^T|| = %.1e (Frobenius; ||Theta|| = %.4f)%n", err, norm(theta));
        out.printf(Locale.ROOT, "  V is a rotation by %+.2f deg (det V = +1), so V^T rotates the plane by %+.2f deg%n", angleV, -angleV);
        out.printf(Locale.ROOT, "  S stretches axis 1 by %.4f and axis 2 by %.4f%n", svd.s()[0], svd.s()[1]);
        if (reflectU) {
            out.printf(Locale.ROOT, "  U = R(%+.2f deg) * diag(1, -1): det U = -1, a reflection (det Theta = %.4f < 0), then a rotation by %+.2f deg%n",
                    angleU, det(theta), angleU);
        } else {
            out.printf(Locale.ROOT, "  U is a rotation by %+.2f deg (det U = +1, no reflection: det Theta = %.4f)%n", angleU, det(theta));
        }

        double[][] lattice = lattice(lines);
        int[] fold = fold(theta, b, lattice);
        double maxTanh = maxTanh(theta, b, lattice);
        int saturated = 0;
        for (double[] p : lattice) {
            double[] z = affine(theta, b, p);
            if (Math.abs(Math.tanh(z[0])) > 0.9 || Math.abs(Math.tanh(z[1])) > 0.9) saturated++;
        }
        int n = lattice.length;
        out.printf(Locale.ROOT, "  grid: %d x %d lines over [-1, 1]^2, %d crossing points%n", lines, lines, n);
        out.printf(Locale.ROOT, "  ReLU(Theta x + b) folds: %d of %d points stay in the open quadrant, %d land on the h2 axis (h1 <= 0), "
                + "%d on the h1 axis (h2 <= 0), %d on the origin: %d folded%n", fold[0], n, fold[1], fold[2], fold[3], n - fold[0]);
        out.printf(Locale.ROOT, "  tanh(Theta x + b) squashes: largest |tanh| = %.6f (at a corner of the square), %d of %d points have a "
                + "coordinate beyond 0.9%n", maxTanh, saturated, n);

        Path file = draw(dir.resolve("representation.png"), theta, b, svd, angleV, angleU, reflectU, lines, fold, maxTanh, n);
        out.println("wrote " + file);
        return new Result(theta, b, loss, svd, err, angleV, angleU, reflectU, lattice, fold[0], fold[1], fold[2], fold[3], maxTanh, file);
    }

    /** 2 → 2 → 3 with tanh, Linear's default initialisation from the seed. */
    static Sequential network(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, 2, rng), new Tanh(), new Linear(2, 3, rng));
    }

    /** Full-batch Adam on cross-entropy; the loss after the last step (before any step when epochs is 0). */
    private static double train(Sequential net, Tensor x, Tensor y, int epochs) {
        Adam opt = new Adam(net.parameters(), (float) LR);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        for (int e = 0; e < epochs; e++) {
            Tensor l = ce.forward(net.forward(x), y);
            opt.zeroGrad();
            l.backward();
            opt.step();
        }
        try (var off = org.jgrad.core.GradMode.off()) {
            return ce.forward(net.forward(x), y).item();
        }
    }

    /**
     * The same decomposition with the second singular pair negated when det V = −1 (u2·σ2·v2ᵀ does
     * not change), so that V is a rotation and any reflection shows in U alone.
     */
    static Svd rotationFirst(Svd d) {
        if (det(d.v()) >= 0) return d;
        double[][] u = {{d.u()[0][0], -d.u()[0][1]}, {d.u()[1][0], -d.u()[1][1]}};
        double[][] v = {{d.v()[0][0], -d.v()[0][1]}, {d.v()[1][0], -d.v()[1][1]}};
        return new Svd(u, d.s().clone(), v);
    }

    /** The n × n crossing points of a grid of n lines each way over [−1, 1]², row by row from the bottom. */
    static double[][] lattice(int n) {
        double[][] p = new double[n * n][];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) p[i * n + j] = new double[] {at(j, n), at(i, n)};
        return p;
    }

    private static double at(int k, int n) {
        return -1 + 2.0 * k / (n - 1);
    }

    static double[] affine(double[][] theta, double[] b, double[] p) {
        return new double[] {theta[0][0] * p[0] + theta[0][1] * p[1] + b[0], theta[1][0] * p[0] + theta[1][1] * p[1] + b[1]};
    }

    /**
     * Where ReLU sends each point Θp + b: {kept in the open quadrant, onto the h2 axis (only h1
     * clipped), onto the h1 axis (only h2 clipped), onto the origin}. A coordinate of exactly 0 counts
     * as clipped, since ReLU's output is then on the axis as well.
     */
    static int[] fold(double[][] theta, double[] b, double[][] points) {
        int[] c = new int[4];
        for (double[] p : points) {
            double[] z = affine(theta, b, p);
            boolean off1 = z[0] <= 0, off2 = z[1] <= 0;
            c[off1 && off2 ? 3 : off1 ? 1 : off2 ? 2 : 0]++;
        }
        return c;
    }

    /** The largest |tanh| of either coordinate; over the square it is reached at a corner, since Θp + b is linear. */
    static double maxTanh(double[][] theta, double[] b, double[][] points) {
        double m = 0;
        for (double[] p : points) {
            double[] z = affine(theta, b, p);
            m = Math.max(m, Math.max(Math.abs(Math.tanh(z[0])), Math.abs(Math.tanh(z[1]))));
        }
        return m;
    }

    static double det(double[][] a) {
        return a[0][0] * a[1][1] - a[0][1] * a[1][0];
    }

    private static double norm(double[][] a) {
        double s = 0;
        for (double[] r : a) for (double x : r) s += x * x;
        return Math.sqrt(s);
    }

    /** ‖a − b‖, Frobenius. */
    private static double distance(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) s += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
        return Math.sqrt(s);
    }

    /** "[[a, b], [c, d]]" with nine decimals: enough to check the decomposition from the printed text. */
    static String matrix(double[][] a) {
        return String.format(Locale.ROOT, "[[%+.9f, %+.9f], [%+.9f, %+.9f]]", a[0][0], a[0][1], a[1][0], a[1][1]);
    }

    static String vector(double[] v) {
        return String.format(Locale.ROOT, "[%+.9f, %+.9f]", v[0], v[1]);
    }

    // ---- the picture ----

    /** Stage k of a point: x, Vᵀx, S·Vᵀx, U·S·Vᵀx, Θx + b, ReLU(Θx + b), tanh(Θx + b). */
    static UnaryOperator<double[]> stage(int k, double[][] theta, double[] b, Svd d) {
        double[][] u = d.u(), v = d.v();
        double[] s = d.s();
        UnaryOperator<double[]> vt = p -> new double[] {v[0][0] * p[0] + v[1][0] * p[1], v[0][1] * p[0] + v[1][1] * p[1]};
        UnaryOperator<double[]> svt = p -> {
            double[] q = vt.apply(p);
            return new double[] {s[0] * q[0], s[1] * q[1]};
        };
        return switch (k) {
            case 0 -> p -> p;
            case 1 -> vt;
            case 2 -> svt;
            case 3 -> p -> {
                double[] q = svt.apply(p);
                return new double[] {u[0][0] * q[0] + u[0][1] * q[1], u[1][0] * q[0] + u[1][1] * q[1]};
            };
            case 4 -> p -> affine(theta, b, p);
            case 5 -> p -> {
                double[] z = affine(theta, b, p);
                return new double[] {Math.max(0, z[0]), Math.max(0, z[1])};
            };
            case 6 -> p -> {
                double[] z = affine(theta, b, p);
                return new double[] {Math.tanh(z[0]), Math.tanh(z[1])};
            };
            default -> throw new IllegalArgumentException("stage " + k);
        };
    }

    /** The grid's lines, each as SAMPLES points: first the vertical lines (x1 fixed), then the horizontal ones. */
    static List<double[][]> gridLines(int n) {
        List<double[][]> lines = new ArrayList<>();
        for (int dir = 0; dir < 2; dir++) {
            for (int k = 0; k < n; k++) {
                double[][] pts = new double[SAMPLES][];
                for (int t = 0; t < SAMPLES; t++) {
                    double c = at(k, n), r = -1 + 2.0 * t / (SAMPLES - 1);
                    pts[t] = dir == 0 ? new double[] {c, r} : new double[] {r, c};
                }
                lines.add(pts);
            }
        }
        return lines;
    }

    /** A colour for an input position: red grows with x1, green with x2, blue falls with x1 — every line and crossing tells apart. */
    static Color colour(double x1, double x2) {
        float r = (float) ((x1 + 1) / 2), g = (float) ((x2 + 1) / 2);
        return new Color(0.85f * r, 0.75f * g, 0.85f * (1 - r));
    }

    private static Path draw(Path file, double[][] theta, double[] b, Svd d, double angleV, double angleU, boolean reflectU, int lines,
                             int[] fold, double maxTanh, int points) throws IOException {
        int w = COLS * PANEL + (COLS + 1) * GAP, h = TITLE + ROWS * (CAPTION + PANEL + GAP);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Images.canvas(img, true);

        List<double[][]> grid = gridLines(lines);
        double[][] lattice = lattice(lines);
        // one scale for S·Vᵀx through ReLU, so the stretch, the shift and the fold compare; the
        // input and its rotation share another (a rotated corner reaches √2)
        double big = 1;
        for (int k = 2; k <= 5; k++) {
            UnaryOperator<double[]> f = stage(k, theta, b, d);
            for (double[] p : lattice) {
                double[] q = f.apply(p);
                big = Math.max(big, Math.max(Math.abs(q[0]), Math.abs(q[1])));
            }
        }
        double[] extent = {1.5, 1.5, 1.1 * big, 1.1 * big, 1.1 * big, 1.1 * big, 1.25};
        String[] captions = {
            "input x: a grid on [-1, 1]², v1 and v2",
            String.format(Locale.ROOT, "Vᵀx: rotated by %+.1f°", -angleV),
            String.format(Locale.ROOT, "S·Vᵀx: axes stretched by %.2f, %.2f", d.s()[0], d.s()[1]),
            String.format(Locale.ROOT, "U·S·Vᵀx = Θx: %s%+.1f°", reflectU ? "reflected, rotated by " : "rotated by ", angleU),
            String.format(Locale.ROOT, "Θx + b: shifted by (%.2f, %.2f)", b[0], b[1]),
            String.format(Locale.ROOT, "ReLU(Θx + b): %d of %d points folded", points - fold[0], points),
            String.format(Locale.ROOT, "tanh(Θx + b): max |tanh| %.4f", maxTanh),
            "the numbers"};

        for (int k = 0; k < STAGES; k++) {
            int x0 = left(k), y0 = top(k);
            double e = extent[k];
            g.setClip(x0, y0, PANEL, PANEL);
            axes(g, x0, y0, e);
            if (k == 6) {   // the open square tanh cannot leave
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
                double a = px(x0, -1, e), c = py(y0, 1, e);
                g.draw(new Rectangle2D.Double(a, c, px(x0, 1, e) - a, py(y0, -1, e) - c));
            }
            UnaryOperator<double[]> f = stage(k, theta, b, d);
            g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (double[][] line : grid) {
                double[] prev = f.apply(line[0]);
                for (int t = 1; t < line.length; t++) {
                    double[] q = f.apply(line[t]);
                    double[] mid = {(line[t - 1][0] + line[t][0]) / 2, (line[t - 1][1] + line[t][1]) / 2};
                    g.setColor(colour(mid[0], mid[1]));
                    g.draw(new Line2D.Double(px(x0, prev[0], e), py(y0, prev[1], e), px(x0, q[0], e), py(y0, q[1], e)));
                    prev = q;
                }
            }
            for (double[] p : lattice) {   // the crossings: after ReLU, many pile up on the axes
                double[] q = f.apply(p);
                g.setColor(colour(p[0], p[1]).darker());
                double r = k == 5 && (q[0] == 0 || q[1] == 0) ? 3.5 : 2;
                g.fill(new java.awt.geom.Ellipse2D.Double(px(x0, q[0], e) - r, py(y0, q[1], e) - r, 2 * r, 2 * r));
            }
            arrows(g, k, x0, y0, e, d);
            g.setClip(null);
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x0, y0, PANEL - 1, PANEL - 1);
            g.setColor(Color.BLACK);
            g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
            center(g, captions[k], x0 + PANEL / 2, y0 - 7);
            g.setFont(g.getFont().deriveFont(Font.PLAIN, 10f));
            g.setColor(Color.GRAY);
            g.drawString(String.format(Locale.ROOT, "±%.2f", e), x0 + 4, y0 + PANEL - 5);
        }

        int x0 = left(7), y0 = top(7);
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
        center(g, captions[7], x0 + PANEL / 2, y0 - 7);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));   // the monospaced face draws Θ like a zero
        String[] text = {
            "Θ = U·S·Vᵀ",
            String.format(Locale.ROOT, "Θ = [%+.3f %+.3f]", theta[0][0], theta[0][1]),
            String.format(Locale.ROOT, "    [%+.3f %+.3f]", theta[1][0], theta[1][1]),
            String.format(Locale.ROOT, "b = (%+.3f, %+.3f)", b[0], b[1]),
            String.format(Locale.ROOT, "S = (%.4f, %.4f)", d.s()[0], d.s()[1]),
            String.format(Locale.ROOT, "V: rotation %+.2f°", angleV),
            String.format(Locale.ROOT, "U: %s %+.2f°", reflectU ? "reflect, rotate" : "rotation", angleU),
            String.format(Locale.ROOT, "det Θ = %+.4f", det(theta)),
            "",
            String.format(Locale.ROOT, "ReLU at the %d crossings:", points),
            String.format(Locale.ROOT, "   kept in the quadrant: %d", fold[0]),
            String.format(Locale.ROOT, "   onto the h2 axis: %d", fold[1]),
            String.format(Locale.ROOT, "   onto the h1 axis: %d", fold[2]),
            String.format(Locale.ROOT, "   onto the origin: %d", fold[3]),
            String.format(Locale.ROOT, "max |tanh| = %.6f", maxTanh)};
        for (int i = 0; i < text.length; i++) g.drawString(text[i], x0 + 14, y0 + 24 + 18 * i);
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x0, y0, PANEL - 1, PANEL - 1);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        center(g, "a layer re-represents the plane: rotate (Vᵀ), stretch (S), rotate (U), shift (b), then fold (ReLU) or squash (tanh)",
                w / 2, 20);
        g.dispose();
        return Images.save(img, file);
    }

    /** The singular directions through the linear stages: v_i, then e_i, then σ_i·e_i, then σ_i·u_i = Θv_i. */
    private static void arrows(Graphics2D g, int k, int x0, int y0, double e, Svd d) {
        if (k > 3) return;
        for (int i = 0; i < 2; i++) {
            double[] tip = switch (k) {
                case 0 -> new double[] {d.v()[0][i], d.v()[1][i]};
                case 1 -> new double[] {i == 0 ? 1 : 0, i == 1 ? 1 : 0};
                case 2 -> new double[] {i == 0 ? d.s()[0] : 0, i == 1 ? d.s()[1] : 0};
                default -> new double[] {d.s()[i] * d.u()[0][i], d.s()[i] * d.u()[1][i]};
            };
            double ax = px(x0, 0, e), ay = py(y0, 0, e), bx = px(x0, tip[0], e), by = py(y0, tip[1], e);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2.2f));
            g.draw(new Line2D.Double(ax, ay, bx, by));
            double len = Math.hypot(bx - ax, by - ay);
            if (len > 1e-9) {
                double ux = (bx - ax) / len, uy = (by - ay) / len;
                Path2D head = new Path2D.Double();
                head.moveTo(bx, by);
                head.lineTo(bx - 10 * ux + 4 * uy, by - 10 * uy - 4 * ux);
                head.lineTo(bx - 10 * ux - 4 * uy, by - 10 * uy + 4 * ux);
                head.closePath();
                g.fill(head);
                g.setFont(g.getFont().deriveFont(Font.BOLD, 13f));
                g.drawString(Integer.toString(i + 1), (float) (bx + 6 * ux - 4), (float) (by + 6 * uy + 4));
            }
        }
    }

    private static void axes(Graphics2D g, int x0, int y0, double e) {
        g.setColor(new Color(0xCCCCCC));
        g.setStroke(new BasicStroke(1));
        g.draw(new Line2D.Double(x0, py(y0, 0, e), x0 + PANEL, py(y0, 0, e)));
        g.draw(new Line2D.Double(px(x0, 0, e), y0, px(x0, 0, e), y0 + PANEL));
    }

    /** Left edge of panel p (four per row). */
    static int left(int p) {
        return GAP + (p % COLS) * (PANEL + GAP);
    }

    /** Top edge of panel p, below its caption. */
    static int top(int p) {
        return TITLE + (p / COLS) * (CAPTION + PANEL + GAP) + CAPTION;
    }

    private static double px(int x0, double x1, double e) {
        return x0 + (x1 + e) / (2 * e) * PANEL;
    }

    private static double py(int y0, double x2, double e) {
        return y0 + (e - x2) / (2 * e) * PANEL;
    }

    private static void center(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }
}
