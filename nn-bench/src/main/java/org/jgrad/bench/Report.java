package org.jgrad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CI benchmark report.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.jgrad.bench.Report run OUTDIR [--quick] [--threads N]
 * java -cp nn-bench/target/benchmarks.jar org.jgrad.bench.Report compare BASELINE.json CURRENT.json [--threshold 10] [--alpha 0.01]
 * java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar org.jgrad.bench.Report peers OUTDIR [--quick] [--peers DIR]
 * </pre>
 *
 * Exit codes: 0 done (for compare: no regression), 1 a regression beyond the threshold, 2 bad
 * arguments or an unreadable input file (the message names the file).
 */
public final class Report {

    static final int OK = 0, REGRESSION = 1, USAGE = 2;

    private static final String RATIOS_NOTE = "Ratios jgrad/peer";

    static final String USAGE_TEXT = """
            usage: Report run OUTDIR [--quick] [--threads N]
                     measure the suite (--quick: under 3 minutes on 2 cores) and write OUTDIR/benchmark.json
                     (github-action-benchmark customBiggerIsBetter), benchmark.md and benchmark.svg
                   Report compare BASELINE.json CURRENT.json [--threshold PERCENT] [--alpha P]
                     print what got slower or faster; exit 1 on a regression: median down by more than the
                     threshold (default 10) and samples lower with one-sided Mann-Whitney p below alpha
                     (default 0.01); reports without samples: a spread beyond the threshold passes as noisy
                   Report peers OUTDIR [--quick] [--peers DIR]
                     run NumPy/PyTorch on the same work (DIR/run.sh, default ../shared/peers) and add
                     jgrad/peer ratios to OUTDIR's report; skipped when python3 lacks numpy or torch
            """;

    private Report() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) throw new IllegalArgumentException("missing command");
            return switch (args[0]) {
                case "run" -> runSuite(args, out);
                case "compare" -> compare(args, out);
                case "peers" -> peers(args, out);
                case "help", "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    yield OK;
                }
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            err.println("Report: " + e.getMessage());
            if (e.getMessage() != null && (e.getMessage().startsWith("missing") || e.getMessage().startsWith("unknown"))) err.print(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("Report: " + e);
            return USAGE;
        }
    }

    /** Positional arguments and --options (each option takes one value unless it is a flag). */
    record Args(List<String> positional, Map<String, String> options) {
        static Args parse(String[] args, int from, List<String> flags, List<String> valued) {
            List<String> pos = new ArrayList<>();
            Map<String, String> opt = new LinkedHashMap<>();
            for (int i = from; i < args.length; i++) {
                String a = args[i];
                if (flags.contains(a)) opt.put(a, "true");
                else if (valued.contains(a)) {
                    if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                    opt.put(a, args[++i]);
                } else if (a.startsWith("--")) throw new IllegalArgumentException("unknown option '" + a + "'");
                else pos.add(a);
            }
            return new Args(pos, opt);
        }

        String need(int i, String what) {
            if (positional.size() <= i) throw new IllegalArgumentException("missing " + what);
            return positional.get(i);
        }
    }

    private static int runSuite(String[] argv, PrintStream out) throws IOException {
        Args a = Args.parse(argv, 1, List.of("--quick"), List.of("--threads"));
        Path dir = Path.of(a.need(0, "OUTDIR"));
        boolean quick = a.options().containsKey("--quick");
        int all = a.options().containsKey("--threads") ? positiveInt("--threads", a.options().get("--threads"))
                : Runtime.getRuntime().availableProcessors();
        Environment env = Environment.current();
        out.printf(Locale.ROOT, "# jgrad %s suite: %s%n", quick ? "quick" : "full", env.withThreads(all).describe());
        long t0 = System.nanoTime();
        List<Figure> figures = new java.util.ArrayList<>(
                Suite.run(Suite.items(quick, all), quick ? Timer.Settings.QUICK : Timer.Settings.FULL, env, out));
        // start-up: a fresh JVM per run, 1 thread as in the warm-start targets
        for (String model : List.of("mlp", "cnn")) {
            try {
                figures.addAll(Startup.figures(model, 1, model.equals("mlp") ? 8192 : 1024, quick ? 3 : 5, out));
            } catch (IOException | RuntimeException e) {
                out.println("# " + model + " start-up figures failed: " + e.getMessage());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ReportFiles.write(dir, figures, heading(quick ? "quick suite" : "full suite", env.withThreads(all), seconds, quick ? Timer.Settings.QUICK : Timer.Settings.FULL));
        out.printf(Locale.ROOT, "# %d figures in %.0f s -> %s%n", figures.size(), seconds, dir.resolve(ReportFiles.JSON));
        return OK;
    }

    static String heading(String what, Environment env, double seconds, Timer.Settings s) {
        return String.format(Locale.ROOT, """
                ### jgrad benchmarks (%s, %.0f s)

                %s. Bigger is better. Each value is the median of %d timed repetitions after a JIT warm-up; \
                spread = ± half of min..max. Shared machines drift by ±20%% between runs: compare ratios and trends, not single values.""",
                what, seconds, env.describe().replace("threads " + env.threads(), "threads 1 and " + env.threads()), s.reps());
    }

    private static int compare(String[] argv, PrintStream out) {
        Args a = Args.parse(argv, 1, List.of(), List.of("--threshold", "--alpha"));
        Path base = Path.of(a.need(0, "BASELINE.json")), cur = Path.of(a.need(1, "CURRENT.json"));
        double threshold = 10;
        if (a.options().containsKey("--threshold")) {
            try {
                threshold = Double.parseDouble(a.options().get("--threshold").replace("%", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--threshold: not a number: " + a.options().get("--threshold"));
            }
        }
        double alpha = Compare.DEFAULT_ALPHA;
        if (a.options().containsKey("--alpha")) {
            try {
                alpha = Double.parseDouble(a.options().get("--alpha"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--alpha: not a number: " + a.options().get("--alpha"));
            }
        }
        List<Figure> b = read("baseline", base), c = read("current", cur);
        Compare.Result r = Compare.compare(b, c, threshold, alpha);
        out.print(Compare.format(r));
        return r.exitCode();
    }

    private static List<Figure> read(String role, Path p) {
        try {
            return ReportFiles.read(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " " + e.getMessage());
        }
    }

    private static int peers(String[] argv, PrintStream out) throws IOException {
        Args a = Args.parse(argv, 1, List.of("--quick"), List.of("--peers"));
        Path dir = Path.of(a.need(0, "OUTDIR"));
        boolean quick = a.options().containsKey("--quick");
        Path peers = Peers.locate(a.options().get("--peers"));
        if (peers == null) {
            out.println("peers: skipped (no run.sh in " + (a.options().containsKey("--peers") ? a.options().get("--peers") : "../shared/peers") + "; use --peers DIR)");
            return OK;
        }
        if (!Peers.pythonReady()) {
            out.println("peers: skipped (/usr/bin/python3 cannot import numpy and torch; see " + peers.resolve("README.md") + ")");
            return OK;
        }
        String sh = peers.resolve("run.sh").toString();
        Map<String, Double> peer = new LinkedHashMap<>();
        Map<String, String> who = new LinkedHashMap<>();
        StringBuilder raw = new StringBuilder();
        record Job(List<String> cmd, String who, int kind) {}
        List<Job> jobs = List.of(new Job(List.of("bash", sh, "gemm", "1"), "OpenBLAS", 0),
                new Job(List.of("bash", sh, "conv", "1"), "PyTorch", 1),
                new Job(List.of("bash", sh, "mlp", "1", "1"), "PyTorch", 2),
                new Job(List.of("bash", sh, "cnn", "1", "1"), "PyTorch", 2));
        for (Job j : jobs) {
            out.println("peers: " + String.join(" ", j.cmd()));
            Peers.Output o = Peers.run(j.cmd(), 900, out);
            raw.append("$ ").append(String.join(" ", j.cmd())).append('\n').append(o.text());
            if (o.exit() != 0) out.println("peers: exit " + o.exit() + ", figures of this run are skipped where missing");
            Map<String, Double> got = switch (j.kind()) {
                case 0 -> Peers.parseGemm(o.text(), 1);
                case 1 -> Peers.parseConv(o.text(), 1);
                default -> Peers.parseTrain(o.text(), 1);
            };
            peer.putAll(got);
            for (String k : got.keySet()) who.put(k, j.who());
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("peers.txt"), raw);

        Environment env = Environment.current();
        List<Suite.Item> items = new ArrayList<>();
        for (String name : peer.keySet()) {
            Suite.Item it = jgradItem(name, quick);
            if (it != null) items.add(it);
        }
        out.println("peers: measuring jgrad on the same work, 1 thread");
        List<Figure> mine = Suite.run(items, quick ? Timer.Settings.QUICK : Timer.Settings.FULL, env, out);
        List<Figure> ratios = Peers.ratios(mine, peer, who, env.withThreads(1).describe());
        for (Figure r : ratios) out.printf(Locale.ROOT, "%-64s %6.2f%n", r.name(), r.value());

        Path json = dir.resolve(ReportFiles.JSON);
        List<Figure> all = Files.exists(json) ? ReportFiles.read(json) : List.of();
        all = ReportFiles.merge(ReportFiles.merge(all, mine), ratios);
        String old = Files.exists(dir.resolve(ReportFiles.MARKDOWN)) ? Files.readString(dir.resolve(ReportFiles.MARKDOWN)) : "";
        String heading = old.contains("\n|") ? old.substring(0, old.indexOf("\n|")).strip()
                : heading("peers", env.withThreads(1), 0, quick ? Timer.Settings.QUICK : Timer.Settings.FULL);
        if (heading.contains(RATIOS_NOTE)) heading = heading.substring(0, heading.indexOf(RATIOS_NOTE)).strip(); // an earlier peers run
        ReportFiles.write(dir, all, heading + "\n\n" + RATIOS_NOTE + " (NumPy/OpenBLAS, PyTorch) on 1 thread, peers measured in the same session"
                + " (faster of OPENBLAS_* as set / unset); training: jgrad's Trainer step on synthetic data against PyTorch's Fashion-MNIST epoch.");
        out.println("peers: " + ratios.size() + " ratios added to " + json);
        return OK;
    }

    /** The jgrad figure matching a peer figure name (all at 1 thread), or null when there is none. */
    static Suite.Item jgradItem(String name, boolean quick) {
        if (name.startsWith("sgemm ")) {
            Matcher sq = Pattern.compile("sgemm n=(\\d+) T=1").matcher(name);
            Matcher rect = Pattern.compile("sgemm \\((\\d+)x(\\d+)\\)\\(\\d+x(\\d+)\\) T=1").matcher(name);
            if (sq.matches()) {
                int n = Integer.parseInt(sq.group(1));
                if (quick && n != 256 && n != 1024) return null;
                return Suite.gemm(false, false, n, n, n, 1);
            }
            if (rect.matches()) return Suite.gemm(false, false, Integer.parseInt(rect.group(1)), Integer.parseInt(rect.group(2)), Integer.parseInt(rect.group(3)), 1);
            return null;
        }
        if (name.equals(Suite.convName(false, false, 1))) return Suite.conv(false, false, 1);
        if (name.equals(Suite.convName(false, true, 1))) return Suite.conv(false, true, 1);
        if (name.equals(Suite.mlpEpochName(1))) return Suite.mlpEpoch(1);
        if (name.equals(Suite.cnnEpochName(1))) return Suite.cnnEpoch(1);
        return null;
    }

    private static int positiveInt(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a positive integer, got '" + v + "'");
    }
}
