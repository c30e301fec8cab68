package org.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.nn.Linear;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Linear regions of a shallow ReLU network with two inputs, y_o = φ_o0 + Σ_d φ_od·ReLU(θ_d0 +
 * θ_d1·x1 + θ_d2·x2), for D hidden units and two outputs.
 *
 * <p>Hidden unit d is switched on on one side of the line θ_d0 + θ_d1·x1 + θ_d2·x2 = 0 and off on
 * the other. The D lines cut the plane into convex polygons; inside one of them every unit is
 * either on or off (one <em>activation pattern</em>), so each output is a single plane there:
 * its gradient is Σ_{d on} φ_od·(θ_d1, θ_d2). The lines belong to the hidden layer, not to an
 * output, so both outputs bend on the same lines ("share their joints") — only the heights of
 * the planes differ. The picture shows the patterns and both outputs side by side.
 *
 * <p>How many regions? D lines in general position (no two parallel, no three through a point)
 * make 1 + D + C(D, 2) regions: each new line is cut by the earlier ones into pieces, and each
 * piece splits a region in two. In Di dimensions (Zaslavsky) the count is Σ_{j=0..Di} C(D, j).
 * The example counts the regions twice without that formula — distinct patterns on a fine grid,
 * and distinct patterns around every crossing point — and prints the formula beside them. Then
 * it evaluates the formula for large networks with {@link BigInteger}.
 *
 * <pre>
 *   mvn -q -pl nn-examples -am compile exec:exec -Dexample=regions -Dexample.args="--out plots"
 * </pre>
 */
public final class RegionsExample {

    /** Pixels per panel side, and the half-width of the drawn square [−BOX, BOX]². */
    static final int PANEL = 360, GAP = 8, TITLE = 30, CAPTION = 22;
    static final double BOX = 1.5;
    /** Side of the counting grid, in points: fine enough for the thin regions of small D. */
    static final int GRID = 2001;
    /** The network in the lecture's figures has K = 5 hidden layers. */
    static final int LAYERS = 5;

    /**
     * The hidden size; regions by the formula 1 + D + C(D, 2), by distinct patterns around the
     * crossing points, and on the grid over [−countBox, countBox]²; the largest spread of an
     * output's finite-difference gradient inside one region; for each output o and line d, the
     * measured jump of the gradient across line d and the jump |φ_od|·|(θ_d1, θ_d2)| it should be;
     * and the PNG written.
     */
    public record Result(int hidden, long formula, int byCrossings, int onGrid, double countBox, double gradientSpread,
                         double[][] jumps, double[][] expectedJumps, Path file) {}

    private RegionsExample() {}

    /** {@code regions}' options. */
    @Command(name = "regions")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--hidden", paramLabel = "D",
                description = "Hidden units of the drawn network, 1..62 (default: ${DEFAULT-VALUE}).")
        int hidden = 8;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws Exception {
            return RegionsExample.run(stdout, out.dir(), hidden, seed);
        }
    }

    /** {@code regions [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws Exception {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Counts and draws the regions of a random network with {@code hidden} units, then prints the big figures. */
    public static Result run(PrintStream out, Path dir, int hidden, long seed) throws IOException {
        // a pattern is a long with one bit per unit
        if (hidden < 1 || hidden > 62) throw new IllegalArgumentException("regions: --hidden must be between 1 and 62, got " + hidden);
        Sequential net = network(hidden, seed);
        double[][] th = lines((Linear) net.get(0));
        double[][] phi = outputs((Linear) net.get(2));
        long formula = 1 + hidden + (long) hidden * (hidden - 1) / 2;
        int byCrossings = regionsByCrossings(th);
        double box = countBox(th);
        int onGrid = regionsOnGrid(th, box, GRID);
        out.printf(Locale.ROOT, "regions: shallow ReLU network, 2 inputs, D = %d hidden units, 2 outputs (seed %d)%n", hidden, seed);
        out.printf(Locale.ROOT, "  the %d lines theta_d0 + theta_d1*x1 + theta_d2*x2 = 0 are in general position: %s%n", hidden,
                generalPosition(th));
        out.printf(Locale.ROOT, "  distinct activation patterns on a %dx%d grid over [-%.2f, %.2f]^2 (all crossings inside): %d%n",
                GRID, GRID, box, box, onGrid);
        out.printf(Locale.ROOT, "  distinct activation patterns around the %d crossing points:                      %d%n",
                hidden * (hidden - 1) / 2, byCrossings);
        out.printf(Locale.ROOT, "  formula 1 + D + C(D,2) = 1 + %d + %d = %d  (Zaslavsky: sum_{j=0..Di} C(D,j) with Di = 2)%n",
                hidden, (long) hidden * (hidden - 1) / 2, formula);
        if (onGrid < byCrossings) out.println("  (the grid missed " + (byCrossings - onGrid) + " thin region(s) between its points)");

        Gradients g = gradients(net, th, phi);
        out.printf(Locale.ROOT, "  inside each region the finite-difference gradient of each output is constant: largest spread %.1e%n",
                g.spread());
        double worst = 0;
        for (int o = 0; o < 2; o++) {
            for (int d = 0; d < hidden; d++) worst = Math.max(worst, Math.abs(g.jumps()[o][d] - g.expected()[o][d]));
        }
        out.printf(Locale.ROOT, "  both outputs bend on every line: gradient jumps across line d = |phi_od|*|(theta_d1, theta_d2)| "
                + "(largest error %.1e)%n", worst);
        Path file = draw(dir.resolve("regions.png"), net, th, hidden, formula, box);
        figures(out);
        out.println("wrote " + file);
        return new Result(hidden, formula, byCrossings, onGrid, box, g.spread(), g.jumps(), g.expected(), file);
    }

    /** 2 → D → 2 with ReLU, Linear's default initialisation from the seed. */
    static Sequential network(int hidden, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(2, hidden, rng), new ReLU(), new Linear(hidden, 2, rng));
    }

    /** Row d is (θ_d0, θ_d1, θ_d2): the bias and the two input weights of hidden unit d. */
    static double[][] lines(Linear first) {
        float[] w = first.weight().data(), b = first.bias().data();
        double[][] th = new double[b.length][];
        for (int d = 0; d < b.length; d++) th[d] = new double[] {b[d], w[2 * d], w[2 * d + 1]};
        return th;
    }

    /** Row o is (φ_o0, φ_o1, ..., φ_oD). */
    static double[][] outputs(Linear second) {
        float[] w = second.weight().data(), b = second.bias().data();
        int hidden = w.length / b.length;
        double[][] phi = new double[b.length][hidden + 1];
        for (int o = 0; o < b.length; o++) {
            phi[o][0] = b[o];
            for (int d = 0; d < hidden; d++) phi[o][d + 1] = w[o * hidden + d];
        }
        return phi;
    }

    /** Bit d is set when unit d is on at (x1, x2). */
    static long pattern(double[][] th, double x1, double x2) {
        long p = 0;
        for (int d = 0; d < th.length; d++) if (th[d][0] + th[d][1] * x1 + th[d][2] * x2 > 0) p |= 1L << d;
        return p;
    }

    /** Distance from (x1, x2) to line d. */
    private static double distance(double[] t, double x1, double x2) {
        return Math.abs(t[0] + t[1] * x1 + t[2] * x2) / Math.hypot(t[1], t[2]);
    }

    /** Where lines i and j cross, or null when they are parallel. */
    static double[] crossing(double[] a, double[] b) {
        double det = a[1] * b[2] - a[2] * b[1];
        if (Math.abs(det) < 1e-12 * Math.hypot(a[1], a[2]) * Math.hypot(b[1], b[2])) return null;
        return new double[] {(-a[0] * b[2] + a[2] * b[0]) / det, (-a[1] * b[0] + a[0] * b[1]) / det};
    }

    /** No two lines parallel and no third line through a crossing: what the formula assumes. */
    static boolean generalPosition(double[][] th) {
        for (int i = 0; i < th.length; i++) {
            for (int j = i + 1; j < th.length; j++) {
                double[] v = crossing(th[i], th[j]);
                if (v == null) return false;
                for (int k = 0; k < th.length; k++) if (k != i && k != j && distance(th[k], v[0], v[1]) < 1e-9) return false;
            }
        }
        return true;
    }

    /**
     * Regions as distinct patterns seen just around each crossing point. With two or more lines,
     * none parallel, every region has a crossing on its border (each of its edges ends at one), and
     * the four corners around a crossing of lines i and j are four regions: stepping ε along line
     * i changes no sign for i, stepping along j none for j, so the four steps ±u_i ± u_j reach all
     * four sign combinations. ε stays below the distance to every other line.
     */
    static int regionsByCrossings(double[][] th) {
        if (th.length < 2) return th.length + 1;
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < th.length; i++) {
            for (int j = i + 1; j < th.length; j++) {
                double[] v = crossing(th[i], th[j]);
                if (v == null) continue;
                double near = Double.POSITIVE_INFINITY;
                for (int k = 0; k < th.length; k++) if (k != i && k != j) near = Math.min(near, distance(th[k], v[0], v[1]));
                double eps = Math.min(near, 1) / 4;
                double[] ui = direction(th[i]), uj = direction(th[j]);
                for (int s = -1; s <= 1; s += 2) {
                    for (int t = -1; t <= 1; t += 2) {
                        seen.add(pattern(th, v[0] + eps * (s * ui[0] + t * uj[0]), v[1] + eps * (s * ui[1] + t * uj[1])));
                    }
                }
            }
        }
        return seen.size();
    }

    /** A unit vector along the line. */
    private static double[] direction(double[] t) {
        double n = Math.hypot(t[1], t[2]);
        return new double[] {-t[2] / n, t[1] / n};
    }

    /**
     * Half-width of a square holding every crossing with room to spare: outside the last crossing
     * the unbounded regions only widen, so each of them shows on the square's border. (With a
     * single line there is no crossing: the square then holds the line's point nearest the origin.)
     */
    static double countBox(double[][] th) {
        double far = 1;
        for (double[] t : th) far = Math.max(far, Math.max(Math.abs(foot(t)[0]), Math.abs(foot(t)[1])));
        for (int i = 0; i < th.length; i++) {
            for (int j = i + 1; j < th.length; j++) {
                double[] v = crossing(th[i], th[j]);
                if (v != null) far = Math.max(far, Math.max(Math.abs(v[0]), Math.abs(v[1])));
            }
        }
        return 1.25 * far;
    }

    /** Regions as distinct patterns at the n × n points of a grid over [−box, box]². */
    static int regionsOnGrid(double[][] th, double box, int n) {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            double x2 = -box + 2 * box * i / (n - 1);
            for (int j = 0; j < n; j++) seen.add(pattern(th, -box + 2 * box * j / (n - 1), x2));
        }
        return seen.size();
    }

    private record Gradients(double spread, double[][] jumps, double[][] expected) {}

    /**
     * Finite differences of the network itself (float). Inside a region: at points of a grid over
     * the drawn square whose stencil stays clear of every line, the gradient of each output must
     * be the same for all points with the same pattern. Across a line d: the gradient on the two
     * sides differs by φ_od·(θ_d1, θ_d2), measured at the point of the line farthest from all other
     * lines — for both outputs, because the line is the hidden unit's.
     */
    private static Gradients gradients(Sequential net, double[][] th, double[][] phi) {
        double h = 1e-2;
        List<double[]> at = new ArrayList<>();
        List<Long> patterns = new ArrayList<>();
        int n = 60;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x1 = -BOX + 2 * BOX * (j + 0.5) / n, x2 = -BOX + 2 * BOX * (i + 0.5) / n;
                if (clear(th, x1, x2, -1) > 3 * h) {
                    at.add(new double[] {x1, x2});
                    patterns.add(pattern(th, x1, x2));
                }
            }
        }
        double[][] grads = gradientsAt(net, at, h);
        Map<Long, double[]> first = new HashMap<>();
        double spread = 0;
        for (int k = 0; k < at.size(); k++) {
            double[] ref = first.get(patterns.get(k));
            if (ref == null) {
                first.put(patterns.get(k), grads[k]);
                continue;
            }
            for (int c = 0; c < 4; c++) spread = Math.max(spread, Math.abs(grads[k][c] - ref[c]));
        }

        int hidden = th.length;
        double[][] jumps = new double[2][hidden], expected = new double[2][hidden];
        List<double[]> sides = new ArrayList<>();
        double[] steps = new double[hidden];
        for (int d = 0; d < hidden; d++) {
            double[] u = direction(th[d]), foot = foot(th[d]), best = foot;
            double room = 0;
            for (int s = -200; s <= 200; s++) {   // along the line, within the drawn square's reach
                double x1 = foot[0] + s * BOX / 100 * u[0], x2 = foot[1] + s * BOX / 100 * u[1];
                double r = clear(th, x1, x2, d);
                if (r > room) {
                    room = r;
                    best = new double[] {x1, x2};
                }
            }
            double step = Math.min(room, 1) / 3, nx = u[1], ny = -u[0];   // (nx, ny) normal to the line
            steps[d] = step;
            sides.add(new double[] {best[0] + step * nx, best[1] + step * ny});
            sides.add(new double[] {best[0] - step * nx, best[1] - step * ny});
            for (int o = 0; o < 2; o++) expected[o][d] = Math.abs(phi[o][d + 1]) * Math.hypot(th[d][1], th[d][2]);
        }
        // a smaller step near lines whose clear room is small; the same h for all keeps one batch
        double hs = Math.min(h, java.util.Arrays.stream(steps).min().orElse(h) / 3);
        double[][] side = gradientsAt(net, sides, hs);
        for (int d = 0; d < hidden; d++) {
            for (int o = 0; o < 2; o++) {
                jumps[o][d] = Math.hypot(side[2 * d][2 * o] - side[2 * d + 1][2 * o], side[2 * d][2 * o + 1] - side[2 * d + 1][2 * o + 1]);
            }
        }
        return new Gradients(spread, jumps, expected);
    }

    /** Distance from (x1, x2) to the nearest line other than {@code skip}. */
    private static double clear(double[][] th, double x1, double x2, int skip) {
        double r = Double.POSITIVE_INFINITY;
        for (int d = 0; d < th.length; d++) if (d != skip) r = Math.min(r, distance(th[d], x1, x2));
        return r;
    }

    /** The point of the line nearest the origin. */
    private static double[] foot(double[] t) {
        double nn = t[1] * t[1] + t[2] * t[2];
        return new double[] {-t[0] * t[1] / nn, -t[0] * t[2] / nn};
    }

    /** Central differences of both outputs at each point: rows (∂y1/∂x1, ∂y1/∂x2, ∂y2/∂x1, ∂y2/∂x2). */
    private static double[][] gradientsAt(Sequential net, List<double[]> at, double h) {
        float[] in = new float[at.size() * 8];
        float[] hf = new float[2];
        for (int k = 0; k < at.size(); k++) {
            double[] p = at.get(k);
            // the four stencil points: x1 + h, x1 − h, x2 + h, x2 − h
            in[k * 8] = (float) (p[0] + h);
            in[k * 8 + 1] = (float) p[1];
            in[k * 8 + 2] = (float) (p[0] - h);
            in[k * 8 + 3] = (float) p[1];
            in[k * 8 + 4] = (float) p[0];
            in[k * 8 + 5] = (float) (p[1] + h);
            in[k * 8 + 6] = (float) p[0];
            in[k * 8 + 7] = (float) (p[1] - h);
        }
        float[] y = forward(net, in);
        double[][] g = new double[at.size()][4];
        for (int k = 0; k < at.size(); k++) {
            // the float inputs differ from p ± h by rounding: divide by the step actually taken
            double dx = (double) in[k * 8] - in[k * 8 + 2], dy = (double) in[k * 8 + 5] - in[k * 8 + 7];
            for (int o = 0; o < 2; o++) {
                g[k][2 * o] = (y[(k * 4) * 2 + o] - y[(k * 4 + 1) * 2 + o]) / dx;
                g[k][2 * o + 1] = (y[(k * 4 + 2) * 2 + o] - y[(k * 4 + 3) * 2 + o]) / dy;
            }
        }
        return g;
    }

    /** The network's two outputs for points (x1, x2) given row-major, without recording a graph. */
    private static float[] forward(Sequential net, float[] xy) {
        try (var off = GradMode.off()) {
            return net.forward(Tensor.of(xy, xy.length / 2, 2)).toArray();
        }
    }

    /**
     * Four panels: the activation patterns (one colour each) and the D lines over a square holding
     * every crossing, with the zoomed square marked; the same over [−BOX, BOX]²; then each output
     * there as a heat map (red positive, blue negative) with contour lines, which kink only where
     * they meet one of the lines.
     */
    private static Path draw(Path file, Sequential net, double[][] th, int hidden, long formula, double all) throws IOException {
        int w = 4 * PANEL + 5 * GAP, hgt = TITLE + CAPTION + PANEL + GAP, top = TITLE + CAPTION;
        BufferedImage img = new BufferedImage(w, hgt, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Images.canvas(img, true);

        int inAll = patterns(img, th, all, x(0), top), inZoom = patterns(img, th, BOX, x(1), top);
        float[] xy = new float[PANEL * PANEL * 2];
        for (int i = 0; i < PANEL; i++) {
            for (int j = 0; j < PANEL; j++) {
                xy[2 * (i * PANEL + j)] = (float) at(j, BOX);
                xy[2 * (i * PANEL + j) + 1] = (float) -at(i, BOX);   // row 0 at the top
            }
        }
        float[] y = forward(net, xy);
        for (int o = 0; o < 2; o++) heatMap(img, y, o, x(o + 2), top);

        for (int p = 0; p < 4; p++) {
            double box = p == 0 ? all : BOX;
            g.setClip(x(p), top, PANEL, PANEL);
            g.setColor(p < 2 ? Color.BLACK : new Color(0, 0, 0, 150));
            g.setStroke(p < 2 ? new BasicStroke(1.4f) : new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {5, 4}, 0));
            for (double[] t : th) {
                double[] f = foot(t), u = direction(t);
                double far = 100 * box;
                g.draw(new Line2D.Double(px(x(p), f[0] - far * u[0], box), py(top, f[1] - far * u[1], box),
                        px(x(p), f[0] + far * u[0], box), py(top, f[1] + far * u[1], box)));
            }
            if (p == 0) {   // where the other panels look
                g.setColor(Color.RED);
                g.setStroke(new BasicStroke(1.5f));
                double a = px(x(0), -BOX, all), b = py(top, BOX, all);
                g.draw(new java.awt.geom.Rectangle2D.Double(a, b, px(x(0), BOX, all) - a, py(top, -BOX, all) - b));
            }
            g.setClip(null);
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x(p), top, PANEL - 1, PANEL - 1);
        }

        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        center(g, String.format(Locale.ROOT, "2 inputs, D = %d ReLU units, 2 outputs: %d lines make 1 + D + C(D,2) = %d linear regions;"
                + " both outputs bend on the same lines", hidden, hidden, formula), w / 2, 20);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
        String zoom = String.format(Locale.ROOT, " on [-%.1f, %.1f]²", BOX, BOX);
        center(g, String.format(Locale.ROOT, "all crossings, [-%.1f, %.1f]²: %d of %d regions", all, all, inAll, formula),
                x(0) + PANEL / 2, TITLE + 14);
        center(g, "activation patterns" + zoom + ": " + inZoom + " regions", x(1) + PANEL / 2, TITLE + 14);
        center(g, "output y1" + zoom + ", contours", x(2) + PANEL / 2, TITLE + 14);
        center(g, "output y2" + zoom + ": the same joints", x(3) + PANEL / 2, TITLE + 14);
        g.dispose();
        return Images.save(img, file);
    }

    /** Left edge of panel p. */
    private static int x(int p) {
        return GAP + p * (PANEL + GAP);
    }

    /** The plane coordinate of the centre of pixel k of a panel over [−box, box]. */
    private static double at(int k, double box) {
        return -box + 2 * box * (k + 0.5) / PANEL;
    }

    /** Colours a panel over [−box, box]² by activation pattern; returns how many patterns show. */
    private static int patterns(BufferedImage img, double[][] th, double box, int x0, int top) {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < PANEL; i++) {
            for (int j = 0; j < PANEL; j++) {
                long p = pattern(th, at(j, box), -at(i, box));
                seen.add(p);
                img.setRGB(x0 + j, top + i, colour(p).getRGB());
            }
        }
        return seen.size();
    }

    private static double px(int x0, double x1, double box) {
        return x0 + (x1 + box) / (2 * box) * PANEL;
    }

    private static double py(int top, double x2, double box) {
        return top + (box - x2) / (2 * box) * PANEL;
    }

    /**
     * Output o as a diverging colour map, blue − white − red over ±max|y_o|, darkened on 16
     * evenly spaced contour levels (a pixel whose level differs from its right or lower neighbour's).
     */
    private static void heatMap(BufferedImage img, float[] y, int o, int x0, int top) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < PANEL * PANEL; k++) {
            lo = Math.min(lo, y[2 * k + o]);
            hi = Math.max(hi, y[2 * k + o]);
        }
        double scale = Math.max(Math.abs(lo), Math.abs(hi)), step = (hi - lo) / 16;
        for (int i = 0; i < PANEL; i++) {
            for (int j = 0; j < PANEL; j++) {
                double v = y[2 * (i * PANEL + j) + o];
                float t = (float) (v / scale);   // −1 .. 1
                Color c = t >= 0 ? new Color(1f, 1 - 0.8f * t, 1 - 0.8f * t) : new Color(1 + 0.8f * t, 1 + 0.8f * t, 1f);
                long level = (long) Math.floor((v - lo) / step);
                boolean edge = (j + 1 < PANEL && (long) Math.floor((y[2 * (i * PANEL + j + 1) + o] - lo) / step) != level)
                        || (i + 1 < PANEL && (long) Math.floor((y[2 * ((i + 1) * PANEL + j) + o] - lo) / step) != level);
                img.setRGB(x0 + j, top + i, edge ? c.darker().darker().getRGB() : c.getRGB());
            }
        }
    }

    /**
     * A pale colour per pattern. Neighbouring regions differ in one unit d, so crossing line d
     * turns the hue by ±c_d with c_d between a quarter and three quarters of the circle, and
     * flips the saturation (the number of units on changes parity): neighbours never look alike.
     */
    static Color colour(long pattern) {
        double hue = 0;
        for (int d = 0; d < 64; d++) if ((pattern >>> d & 1) != 0) hue += 0.25 + 0.5 * ((d + 1) * 0.6180339887 % 1);
        return Color.getHSBColor((float) (hue % 1), Long.bitCount(pattern) % 2 == 0 ? 0.3f : 0.55f, 0.97f);
    }

    private static void center(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }

    // ---- the formula for big networks ----

    /** Σ_{j=0..di} C(d, j): regions of d hyperplanes in general position in di dimensions (Zaslavsky). */
    static BigInteger shallowRegions(int di, int d) {
        BigInteger sum = BigInteger.ZERO, c = BigInteger.ONE;   // c = C(d, j)
        for (int j = 0; j <= Math.min(di, d); j++) {
            sum = sum.add(c);
            c = c.multiply(BigInteger.valueOf(d - j)).divide(BigInteger.valueOf(j + 1));
        }
        return sum;
    }

    /** Parameters of di → d → 1: d·(di + 1) weights and biases into the hidden layer, d + 1 out. */
    static long shallowParams(int di, int d) {
        return (long) d * (di + 1) + d + 1;
    }

    /** Parameters of di → d → ... → d → 1 with k hidden layers. */
    static long deepParams(int di, int d, int k) {
        return (long) d * (di + 1) + (long) (k - 1) * d * (d + 1) + d + 1;
    }

    /**
     * An upper bound on the regions of k hidden layers of d ≥ di units (Serra, Tjandraatmadja and
     * Ramalingam 2018): each layer multiplies by at most Σ_{j=0..di} C(d, j). For di = 1 it is
     * (d + 1)^k, and that many are reached.
     */
    static BigInteger deepUpper(int di, int d, int k) {
        return shallowRegions(di, d).pow(k);
    }

    /** A lower bound that some network reaches (Montúfar et al. 2014): ⌊d/di⌋^{di·(k−1)} · Σ_{j=0..di} C(d, j). */
    static BigInteger deepLower(int di, int d, int k) {
        return BigInteger.valueOf(d / di).pow(di * (k - 1)).multiply(shallowRegions(di, d));
    }

    /** All (di, d) with shallowParams(di, d) = params: d·(di + 2) = params − 1. */
    static List<int[]> shallowWithParams(long params) {
        List<int[]> found = new ArrayList<>();
        for (int d = 1; d < params; d++) {
            if ((params - 1) % d == 0 && (params - 1) / d - 2 >= 1) found.add(new int[] {(int) ((params - 1) / d - 2), d});
        }
        found.sort((a, b) -> Integer.compare(a[0], b[0]));
        return found;
    }

    /** "1.22e38 (39 digits)" or the whole number when it is short. */
    static String magnitude(BigInteger n) {
        int digits = n.toString().length();
        if (digits <= 12) return String.format(Locale.ROOT, "%,d", n);
        return String.format(Locale.ROOT, "%.2fe%d (%d digits)", new java.math.BigDecimal(n).movePointLeft(digits - 1).doubleValue(),
                digits - 1, digits);
    }

    /** The lecture's figures, from the formulas; a figure the formulas do not give is said so. */
    private static void figures(PrintStream out) {
        out.println("regions of larger networks, from sum_{j=0..Di} C(D,j) (one hidden layer, Di inputs, D units, 1 output):");
        out.printf(Locale.ROOT, "  Di = 10, D = 50: %d parameters, %s regions%n", shallowParams(10, 50), magnitude(shallowRegions(10, 50)));
        for (long params : new long[] {471, 10_801}) {
            StringBuilder sb = new StringBuilder();
            BigInteger most = BigInteger.ZERO;
            for (int[] p : shallowWithParams(params)) {
                BigInteger r = shallowRegions(p[0], p[1]);
                if (r.compareTo(most) > 0) most = r;
                if (params < 1000) sb.append(String.format(Locale.ROOT, "%s(Di %d, D %d) %s", sb.length() == 0 ? "" : "; ", p[0], p[1],
                        magnitude(r)));
            }
            out.printf(Locale.ROOT, "  %,d parameters in one hidden layer: %s%s%n", params,
                    sb.length() > 0 ? sb + "; " : "", "at most " + magnitude(most) + " regions");
        }
        out.printf(Locale.ROOT, "the figures 471 and 10,801 are K = %d hidden layers of D units (one output):%n", LAYERS);
        out.printf(Locale.ROOT, "  Di = 1,  D = 10: %d parameters, (D+1)^K = %s regions%n", deepParams(1, 10, LAYERS),
                magnitude(deepUpper(1, 10, LAYERS)));
        out.printf(Locale.ROOT, "  Di = 10, D = 50: %,d parameters, some network has at least %s regions, none more than %s%n", deepParams(10, 50, LAYERS),
                magnitude(deepLower(10, 50, LAYERS)), magnitude(deepUpper(10, 50, LAYERS)));
        out.println("  note: the formulas give 161,051 (= 11^5), not 161,501, and neither bound for 10,801 parameters is near 10^134");
    }
}
