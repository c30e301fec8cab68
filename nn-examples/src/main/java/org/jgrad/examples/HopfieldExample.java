package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.examples.plot.Plot;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A Hopfield network: N neurons s<sub>i</sub> = ±1, weights by the Hebbian rule
 * W<sub>ij</sub> = Σ<sub>μ</sub> ξ<sup>μ</sup><sub>i</sub> ξ<sup>μ</sup><sub>j</sub> (W<sub>ii</sub> = 0) for
 * the stored patterns ξ<sup>μ</sup>, and energy E(s) = −½ Σ<sub>ij</sub> s<sub>i</sub> W<sub>ij</sub> s<sub>j</sub> / N.
 * Recall is asynchronous: the neurons, one at a time in a seeded random order, take the sign of their
 * field h<sub>i</sub> = Σ<sub>j</sub> W<sub>ij</sub> s<sub>j</sub>. A flip changes E by −2|h<sub>i</sub>|/N ≤ 0, so the
 * energy never rises and the state settles in a minimum; the weights are whole numbers, so
 * this holds exactly, not only up to rounding.
 *
 * <p>Two experiments. Binarised Fashion-MNIST items (28×28 = 784 neurons, pixel &gt; ½ is +1)
 * are stored and recalled from copies with 20 % of their pixels flipped, with the energy after
 * each sweep. Then the capacity: random patterns on {@code --neurons} neurons, stored P at a
 * time, each recalled from a copy with 10 % of its bits flipped; the recall rate collapses near
 * P ≈ 0.14·N (Amit, Gutfreund and Sompolinsky's α<sub>c</sub> ≈ 0.138), while exact recall (every
 * bit right) is lost much earlier.
 *
 * <pre>
 *   ./jgrad hopfield --out plots --patterns 4 --neurons 500 --trials 4
 * </pre>
 */
public final class HopfieldExample {

    /** The storage capacity per neuron of the Hebbian rule for large N. */
    public static final double ALPHA_C = 0.138;

    private static final int SIDE = 28, PIXELS = SIDE * SIDE;
    /** Overlap m = s·ξ/N above which a recalled state counts as the pattern (at most 2.5 % of the bits wrong). */
    static final double RECALLED = 0.95;
    /** Fraction of bits flipped in the capacity experiment's probes. */
    static final double CAPACITY_NOISE = 0.10;
    /** At most this many stored patterns are probed per trial (the others behave alike). */
    private static final int PROBES = 20;

    /** One recall: the corrupted start, the state after each sweep and the energy before and after each sweep. */
    public record Recall(int[] start, List<int[]> states, double[] energies) {
        /** The state it settled in. */
        public int[] last() {
            return states.isEmpty() ? start : states.get(states.size() - 1);
        }
    }

    /** One row of the capacity table: P stored patterns on N neurons, the recall rate (m ≥ 0.95) and the exact recall rate. */
    public record CapacityRow(int patterns, int neurons, double recallRate, double exactRate) {
        public double load() {
            return (double) patterns / neurons;
        }
    }

    /** The recalls of the stored items (with their overlaps), the capacity table, and the PNGs. */
    public record Result(List<Recall> recalls, double[] finalOverlaps, List<CapacityRow> capacity, List<Path> files) {}

    private HopfieldExample() {}

    /** {@code hopfield}'s options. */
    @Command(name = "hopfield")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--patterns", paramLabel = "K",
                description = "Fashion-MNIST items stored, one per class, 1..10 (default: ${DEFAULT-VALUE}).")
        int patterns = 4;

        @Option(names = "--flip", paramLabel = "F",
                description = "Fraction of the pixels flipped in the copies recalled from, 0..0.5 (default: ${DEFAULT-VALUE}).")
        double flip = 0.2;

        @Option(names = "--neurons", paramLabel = "N",
                description = "Neurons of the capacity experiment, at least 10 (default: ${DEFAULT-VALUE}).")
        int neurons = 500;

        @Option(names = "--trials", paramLabel = "T",
                description = "Trials per number of patterns in the capacity experiment (default: ${DEFAULT-VALUE}).")
        int trials = 4;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (patterns < 1 || patterns > FashionMnist.CLASSES.length || neurons < 10 || trials < 1 || !(flip >= 0 && flip <= 0.5)) {
                throw new IllegalArgumentException("hopfield: need 1 ≤ --patterns ≤ 10, --neurons ≥ 10, --trials ≥ 1 and 0 ≤ --flip ≤ 0.5, got "
                        + patterns + ", " + neurons + ", " + trials + " and " + flip);
            }
            return HopfieldExample.run(TrainExample.embedded(), patterns, flip, neurons, trials, seed, out.dir(), stdout);
        }
    }

    /** {@code hopfield [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Stores {@code k} items of {@code data}, recalls them from {@code flip}-corrupted copies, then measures the capacity. */
    public static Result run(TensorDataset data, int k, double flip, int neurons, int trials, long seed, Path dir, PrintStream out)
            throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] items = leastOverlapping(data, k);
        List<int[]> stored = new ArrayList<>();
        for (int i : items) stored.add(binarise(data.features().data(), i * PIXELS));
        int[] w = hebbian(stored, PIXELS);
        out.printf(Locale.ROOT, "hopfield: %d binarised Fashion-MNIST items (%s) on %d neurons by the Hebbian rule; largest overlap"
                + " between two of them %.2f%n", k, names(data, items), PIXELS, maxOverlap(stored));

        List<Recall> recalls = new ArrayList<>();
        double[] overlaps = new double[k];
        for (int p = 0; p < k; p++) {
            int[] start = corrupt(stored.get(p), flip, rng);
            Recall r = recall(w, start, rng, 20);
            recalls.add(r);
            overlaps[p] = overlap(r.last(), stored.get(p));
            StringBuilder e = new StringBuilder();
            for (double v : r.energies()) e.append(String.format(Locale.ROOT, e.isEmpty() ? "%.1f" : " -> %.1f", v));
            out.printf(Locale.ROOT, "%-12s %2.0f%% flipped: overlap %.2f -> %.3f after %d sweeps; energy at the start and per sweep: %s%n",
                    FashionMnist.CLASSES[label(data, items[p])], 100 * flip, overlap(start, stored.get(p)), overlaps[p],
                    r.states().size(), e);
        }

        out.printf(Locale.ROOT, "capacity: random patterns on %d neurons, recalled from %.0f%% flipped bits (%d trials; recalled ="
                + " overlap >= %.2f)%n", neurons, 100 * CAPACITY_NOISE, trials, RECALLED);
        out.println("     P    P/N   recalled   exact");
        List<CapacityRow> table = new ArrayList<>();
        for (int step = 1; step <= 15; step++) {
            int p = Math.max(1, (int) Math.round(0.02 * step * neurons));
            CapacityRow row = capacity(neurons, p, trials, rng);
            table.add(row);
            out.printf(Locale.ROOT, "  %4d  %5.2f   %6.1f%%  %5.1f%%%n", p, row.load(), 100 * row.recallRate(), 100 * row.exactRate());
        }

        List<Path> files = List.of(drawRecalls(dir.resolve("recall.png"), data, items, stored, recalls, flip),
                drawEnergies(dir.resolve("energy.png"), data, items, recalls),
                drawCapacity(dir.resolve("capacity.png"), table, neurons, trials));
        for (Path f : files) out.println("wrote " + f);
        return new Result(recalls, overlaps, table, files);
    }

    /** W = Σ ξξᵀ with a zero diagonal, as whole numbers [n·n]. */
    static int[] hebbian(List<int[]> patterns, int n) {
        int[] w = new int[n * n];
        for (int[] xi : patterns) {
            for (int i = 0; i < n; i++) {
                int base = i * n, xii = xi[i];
                for (int j = 0; j < n; j++) w[base + j] += xii * xi[j];
            }
        }
        for (int i = 0; i < n; i++) w[i * n + i] = 0;
        return w;
    }

    /** E(s) = −½ sᵀWs / N. */
    static double energy(int[] w, int[] s) {
        int n = s.length;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long h = 0;
            for (int j = 0; j < n; j++) h += (long) w[i * n + j] * s[j];
            sum += s[i] * h;
        }
        return -0.5 * sum / n;
    }

    /**
     * Asynchronous recall from {@code start}: sweeps visit every neuron once in a fresh random order and set it to the
     * sign of its field (a zero field leaves it as it is), until a sweep flips nothing or after {@code maxSweeps}.
     * The fields are kept up to date by adding a flipped neuron's column, so a sweep costs N plus N per flip.
     */
    static Recall recall(int[] w, int[] start, SplittableRandom rng, int maxSweeps) {
        int n = start.length;
        int[] s = start.clone();
        long[] h = new long[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i] += (long) w[i * n + j] * s[j];
        List<int[]> states = new ArrayList<>();
        List<Double> energies = new ArrayList<>(List.of(energy(h, s)));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int sweep = 0; sweep < maxSweeps; sweep++) {
            shuffle(order, rng);
            int flips = 0;
            for (int i : order) {
                int want = h[i] > 0 ? 1 : h[i] < 0 ? -1 : s[i];
                if (want == s[i]) continue;
                s[i] = want;
                flips++;
                for (int j = 0; j < n; j++) h[j] += 2L * want * w[j * n + i];   // W is symmetric: column i is row i
            }
            states.add(s.clone());
            energies.add(energy(h, s));
            if (flips == 0) break;
        }
        return new Recall(start.clone(), states, energies.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double energy(long[] h, int[] s) {
        long sum = 0;
        for (int i = 0; i < s.length; i++) sum += s[i] * h[i];
        return -0.5 * sum / s.length;
    }

    /** m = s·ξ / N: 1 for the pattern itself, −1 for its negative, about 0 for an unrelated state. */
    static double overlap(int[] s, int[] xi) {
        long dot = 0;
        for (int i = 0; i < s.length; i++) dot += s[i] * xi[i];
        return (double) dot / s.length;
    }

    /** A copy with exactly round(fraction·N) bits flipped, chosen at random. */
    static int[] corrupt(int[] xi, double fraction, SplittableRandom rng) {
        int n = xi.length;
        int[] order = new int[n], s = xi.clone();
        for (int i = 0; i < n; i++) order[i] = i;
        shuffle(order, rng);
        for (int k = 0; k < Math.round(fraction * n); k++) s[order[k]] = -s[order[k]];
        return s;
    }

    /** Stores {@code p} random ±1 patterns on {@code n} neurons, {@code trials} times, and probes up to {@value #PROBES} of them each time. */
    static CapacityRow capacity(int n, int p, int trials, SplittableRandom rng) {
        int probes = 0, recalled = 0, exact = 0;
        for (int t = 0; t < trials; t++) {
            List<int[]> pats = new ArrayList<>();
            for (int mu = 0; mu < p; mu++) {
                int[] xi = new int[n];
                for (int i = 0; i < n; i++) xi[i] = rng.nextBoolean() ? 1 : -1;
                pats.add(xi);
            }
            int[] w = hebbian(pats, n);
            for (int mu = 0; mu < Math.min(p, PROBES); mu++) {
                int[] end = recall(w, corrupt(pats.get(mu), CAPACITY_NOISE, rng), rng, 50).last();
                double m = overlap(end, pats.get(mu));
                probes++;
                if (m >= RECALLED) recalled++;
                if (m == 1) exact++;
            }
        }
        return new CapacityRow(p, n, (double) recalled / probes, (double) exact / probes);
    }

    /** Pixel &gt; ½ is +1, else −1. */
    private static int[] binarise(float[] x, int offset) {
        int[] s = new int[PIXELS];
        for (int p = 0; p < PIXELS; p++) s[p] = x[offset + p] > 0.5f ? 1 : -1;
        return s;
    }

    /**
     * Of the first item of each class, {@code k} chosen greedily to keep their overlaps small: the Hebbian rule mixes
     * similar patterns into one another, and clothes share a lot of background.
     */
    static int[] leastOverlapping(TensorDataset data, int k) {
        int classes = FashionMnist.CLASSES.length;
        int[] first = TrainExample.firstOfEachClass(data.labels());
        List<int[]> cands = new ArrayList<>();
        for (int f : first) cands.add(binarise(data.features().data(), f * PIXELS));
        List<Integer> chosen = new ArrayList<>(List.of(0));
        while (chosen.size() < k) {
            int best = -1;
            double bestWorst = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                if (chosen.contains(c)) continue;
                double worst = 0;
                for (int d : chosen) worst = Math.max(worst, Math.abs(overlap(cands.get(c), cands.get(d))));
                if (worst < bestWorst) {
                    bestWorst = worst;
                    best = c;
                }
            }
            chosen.add(best);
        }
        return chosen.stream().mapToInt(c -> first[c]).toArray();
    }

    private static double maxOverlap(List<int[]> pats) {
        double m = 0;
        for (int a = 0; a < pats.size(); a++) for (int b = a + 1; b < pats.size(); b++) m = Math.max(m, Math.abs(overlap(pats.get(a), pats.get(b))));
        return m;
    }

    private static int label(TensorDataset data, int i) {
        return (int) data.labels().data()[i];
    }

    private static String names(TensorDataset data, int[] items) {
        List<String> n = new ArrayList<>();
        for (int i : items) n.add(FashionMnist.CLASSES[label(data, i)]);
        return String.join(", ", n);
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** One row per item: stored, corrupted, after sweeps 1, 2, 3 …, settled (rows padded with the settled state). */
    private static Path drawRecalls(Path file, TensorDataset data, int[] items, List<int[]> stored, List<Recall> recalls, double flip)
            throws IOException {
        int cols = 2 + recalls.stream().mapToInt(r -> r.states().size()).max().orElse(0);
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int p = 0; p < recalls.size(); p++) {
            Recall r = recalls.get(p);
            images.add(floats(stored.get(p)));
            captions.add("stored " + FashionMnist.CLASSES[label(data, items[p])]);
            images.add(floats(r.start()));
            captions.add(String.format(Locale.ROOT, "%.0f%% flipped", 100 * flip));
            for (int c = 0; c < cols - 2; c++) {
                int[] s = c < r.states().size() ? r.states().get(c) : r.last();
                images.add(floats(s));
                captions.add(c < r.states().size() ? String.format(Locale.ROOT, "sweep %d: m=%.2f", c + 1, overlap(s, stored.get(p))) : "settled");
            }
        }
        return Images.grid(file, String.format(Locale.ROOT, "Hopfield recall from %.0f%% flipped pixels, sweep by sweep", 100 * flip), images, SIDE, SIDE,
                cols, 4, captions);
    }

    private static Path drawEnergies(Path file, TensorDataset data, int[] items, List<Recall> recalls) throws IOException {
        Plot plot = Plot.of("Energy E = -1/2 s'Ws/N during recall (never rises)", "sweep (0 = corrupted copy)", "energy");
        for (int p = 0; p < recalls.size(); p++) {
            double[] e = recalls.get(p).energies(), x = new double[e.length];
            for (int i = 0; i < x.length; i++) x[i] = i;
            dotted(plot, FashionMnist.CLASSES[label(data, items[p])], x, e);
        }
        return plot.save(file);
    }

    private static Path drawCapacity(Path file, List<CapacityRow> table, int n, int trials) throws IOException {
        double[] x = table.stream().mapToDouble(CapacityRow::load).toArray();
        double[] rec = table.stream().mapToDouble(CapacityRow::recallRate).toArray();
        double[] ex = table.stream().mapToDouble(CapacityRow::exactRate).toArray();
        Plot plot = Plot.of("Hopfield capacity: " + n + " neurons, random patterns, " + trials + " trials", "stored patterns per neuron P/N",
                "fraction recalled from 10% flipped bits").yRange(0, 1.05);
        dotted(plot, "recalled (overlap >= " + RECALLED + ")", x, rec);
        dotted(plot, "every bit right", x, ex);
        plot.line("P/N = 0.138 (large-N limit)", new double[] {ALPHA_C, ALPHA_C}, new double[] {0, 1.05});
        plot.chart().getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return plot.save(file);
    }

    /** A line with a dot at each point. */
    private static void dotted(Plot plot, String name, double[] x, double[] y) {
        plot.line(name, x, y).chart().getSeriesMap().get(name).setMarker(SeriesMarkers.CIRCLE);
    }

    private static float[] floats(int[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) f[i] = s[i];
        return f;
    }
}
