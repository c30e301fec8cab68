package org.jgrad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    private Report() {}

    /**
     * {@code Report run|compare|peers ...}; exits with 0 when done (compare: no regression), 1 on a
     * regression, 2 for a bad command line or an unreadable input.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line {@code args} and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return code;
    }

    /**
     * The picocli command line: {@code run}, {@code compare}, {@code peers} and {@code help}; a bad
     * command line gets one line naming the command, the option or parameter and what was expected
     * (exit 2), as does a command that throws {@link IllegalArgumentException} or {@link IOException}
     * (an unreadable input file, a bad threshold).
     */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine top = new CommandLine(new Top());
        top.addSubcommand(new CommandLine(new RunCommand(out)));
        top.addSubcommand(new CommandLine(new CompareCommand(out)));
        top.addSubcommand(new CommandLine(new PeersCommand(out)));
        top.addSubcommand(new CommandLine(new KernelsCommand(out)));
        top.addSubcommand(new CommandLine(new CommandLine.HelpCommand()));
        // as in ./jgrad: a repeated option keeps its last value, no @file expansion, no ANSI colours
        top.setOverwrittenOptionsAllowed(true);
        top.setExpandAtFiles(false);
        top.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        top.setUsageHelpWidth(100);
        top.setOut(new PrintWriter(out, true));
        top.setErr(new PrintWriter(err, true));
        top.setParameterExceptionHandler((e, args) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println(message(e));
            if (e instanceof CommandLine.UnmatchedArgumentException u) CommandLine.UnmatchedArgumentException.printSuggestions(u, w);
            w.println("Try 'Report " + (e.getCommandLine() == top ? "" : e.getCommandLine().getCommandName() + " ") + "--help' for more information.");
            return USAGE;
        });
        top.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof IllegalArgumentException) cl.getErr().println("Report: " + e.getMessage());
            else if (e instanceof IOException) cl.getErr().println("Report: " + e);
            else throw e;
            return USAGE;
        });
        return top;
    }

    /**
     * One line for a bad command line: "Report: unknown command 'frobnicate'", "Report run: unknown
     * option '--fast'", "Report compare: --threshold needs a value", "Report compare: missing
     * CURRENT.json", "Report run: --threads: expected a positive integer, got '0'".
     */
    static String message(CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String who = "Report" + (cl.getParent() == null ? "" : " " + cl.getCommandName()) + ": ";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-")) return who + "unknown option '" + arg + "'";
            return who + (cl.getParent() == null ? "unknown command '" : "unexpected argument '") + arg + "'";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            return who + (missing instanceof OptionSpec o ? o.longestName() + " needs a value" : "missing " + missing.paramLabel());
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException t && e.getArgSpec() instanceof OptionSpec o) {
            return who + o.longestName() + ": " + t.getMessage();
        }
        return who + e.getMessage();
    }

    /** {@code Report}: only its help; a command is needed. */
    @Command(name = "Report", synopsisSubcommandLabel = "COMMAND",
            description = "The CI benchmark report: measure the suite, compare two reports, add NumPy/PyTorch ratios.",
            commandListHeading = "%nCommands:%n",
            footer = {"", "Exit codes: 0 done (for compare: no regression), 1 a regression beyond the threshold, 2 bad arguments "
                    + "or an unreadable input file (the message names the file)."})
    static final class Top implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            err.println("Report: missing command");
            spec.commandLine().usage(err);
            return USAGE;
        }
    }

    /** {@code Report run OUTDIR [--quick] [--threads N]}. */
    @Command(name = "run", sortOptions = false, sortSynopsis = false,
            description = "Measure the suite and write OUTDIR/benchmark.json (github-action-benchmark customBiggerIsBetter), "
                    + "benchmark.md and benchmark.svg.")
    static final class RunCommand implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "OUTDIR", description = "Where the report goes.")
        Path dir;

        @Option(names = "--quick", description = "The quick suite: under 3 minutes on 2 cores.")
        boolean quick;

        @Option(names = "--threads", paramLabel = "N", converter = Positive.class,
                description = "The \"all threads\" count (default: the available processors).")
        Integer threads;

        private final PrintStream out;

        RunCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws IOException {
            return runSuite(dir, quick, threads != null ? threads : Runtime.getRuntime().availableProcessors(), out);
        }
    }

    /** {@code Report kernels DIR [--quick] [--threads N]}: the suite's kernel figures only, for {@link #runSuite}'s child JVM. */
    @Command(name = "kernels", hidden = true, description = "The suite's kernel figures into DIR/benchmark.json (run's child JVM).")
    static final class KernelsCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(names = "--quick")
        boolean quick;

        @Option(names = "--threads", paramLabel = "N", converter = Positive.class)
        int threads = Runtime.getRuntime().availableProcessors();

        private final PrintStream out;

        KernelsCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws IOException {
            Timer.Settings settings = quick ? Timer.Settings.QUICK : Timer.Settings.FULL;
            List<Suite.Item> kernels = Suite.items(quick, threads).stream().filter(Suite.Item::kernel).toList();
            Environment env = Environment.current();
            ReportFiles.write(dir, Suite.run(kernels, settings, env, out), heading("kernels", env.withThreads(threads), 0, settings));
            return OK;
        }
    }

    /** {@code Report compare BASELINE.json CURRENT.json [--threshold PERCENT] [--alpha P]}. */
    @Command(name = "compare", sortOptions = false, sortSynopsis = false,
            description = {"Print what got slower or faster; exit 1 on a regression: median down by more than the threshold and samples "
                    + "lower with one-sided Mann-Whitney p below alpha. Reports without samples: a spread beyond the threshold passes as noisy."})
    static final class CompareCommand implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "BASELINE.json", description = "The report to compare with.")
        Path baseline;

        @Parameters(index = "1", paramLabel = "CURRENT.json", description = "The new report.")
        Path current;

        @Option(names = "--threshold", paramLabel = "PERCENT", converter = Percent.class,
                description = "Largest slowdown of a median in percent, '%%' allowed (default: ${DEFAULT-VALUE}).")
        double threshold = 10;

        @Option(names = "--alpha", paramLabel = "P", converter = Real.class,
                description = "Significance level of the Mann-Whitney test (default: ${DEFAULT-VALUE}).")
        double alpha = Compare.DEFAULT_ALPHA;

        private final PrintStream out;

        CompareCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            List<Figure> b = read("baseline", baseline), c = read("current", current);
            Compare.Result r = Compare.compare(b, c, threshold, alpha);
            out.print(Compare.format(r));
            return r.exitCode();
        }
    }

    /** {@code Report peers OUTDIR [--quick] [--peers DIR]}. */
    @Command(name = "peers", sortOptions = false, sortSynopsis = false,
            description = "Run NumPy/PyTorch on the same work (DIR/run.sh) and add jgrad/peer ratios to OUTDIR's report; "
                    + "skipped when python3 lacks numpy or torch.")
    static final class PeersCommand implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "OUTDIR", description = "The report to add the ratios to.")
        Path dir;

        @Option(names = "--quick", description = "Measure jgrad with the quick suite's settings.")
        boolean quick;

        @Option(names = "--peers", paramLabel = "DIR", description = "Where run.sh is (default: ../shared/peers).")
        String peers;

        private final PrintStream out;

        PeersCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws IOException {
            return Report.peers(dir, quick, peers, out);
        }
    }

    /** A whole number of at least 1. */
    static final class Positive implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("expected a positive integer, got '" + v + "'");
        }
    }

    /** A number. */
    static class Real implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String v) {
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("not a number: " + v);
            }
        }
    }

    /** A number of percent, with or without the '%'. */
    static final class Percent extends Real {
        @Override
        public Double convert(String v) {
            return super.convert(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
        }
    }

    private static int runSuite(Path dir, boolean quick, int all, PrintStream out) throws IOException {
        Environment env = Environment.current();
        out.printf(Locale.ROOT, "# jgrad %s suite: %s%n", quick ? "quick" : "full", env.withThreads(all).describe());
        long t0 = System.nanoTime();
        Timer.Settings settings = quick ? Timer.Settings.QUICK : Timer.Settings.FULL;
        List<Suite.Item> items = Suite.items(quick, all);
        // The kernels in a child JVM on a fixed, pre-touched heap: in a JVM whose heap grows, the same
        // pooling figure measured 1.1 to 36 GB/s from one repetition to the next (young collections on
        // big arrays and first-touch page faults); the training figures here, with the JVM's defaults.
        List<Figure> figures = new ArrayList<>(kernelFigures(quick, all, out));
        figures.addAll(Suite.run(items.stream().filter(it -> !it.kernel()).toList(), settings, env, out));
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

    /** JVM options of the kernels' child JVM: a heap that never grows, its pages touched before the first figure. */
    static final List<String> KERNEL_HEAP = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

    /** The kernel figures of the suite, measured by {@link KernelsCommand} in a child JVM with {@link #KERNEL_HEAP}. */
    private static List<Figure> kernelFigures(boolean quick, int all, PrintStream out) throws IOException {
        Path tmp = Files.createTempDirectory("jgrad-kernels");
        try {
            List<String> args = new ArrayList<>(List.of("kernels", tmp.toString(), "--threads", Integer.toString(all)));
            if (quick) args.add("--quick");
            int code = ChildJvm.run(KERNEL_HEAP, Report.class, args, out::println);
            if (code != 0) throw new IOException("the kernels' JVM exited with " + code);
            return ReportFiles.read(tmp.resolve(ReportFiles.JSON));
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(tmp);
        }
    }

    static String heading(String what, Environment env, double seconds, Timer.Settings s) {
        return String.format(Locale.ROOT, """
                ### jgrad benchmarks (%s, %.0f s)

                %s. Bigger is better. Each value is the median of %d timed repetitions after a JIT warm-up (kernels in a JVM of \
                their own on a fixed, pre-touched heap); \
                spread = ± half of min..max. Shared machines drift by ±20%% between runs: compare ratios and trends, not single values.""",
                what, seconds, env.describe().replace("threads " + env.threads(), "threads 1 and " + env.threads()), s.reps());
    }

    private static List<Figure> read(String role, Path p) {
        try {
            return ReportFiles.read(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " " + e.getMessage());
        }
    }

    private static int peers(Path dir, boolean quick, String peersDir, PrintStream out) throws IOException {
        Path peers = Peers.locate(peersDir);
        if (peers == null) {
            out.println("peers: skipped (no run.sh in " + (peersDir != null ? peersDir : "../shared/peers") + "; use --peers DIR)");
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
}
