package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every notebook in {@code notebooks/} top to bottom in a fresh JShell, in small mode
 * ({@code -Djgrad.small=true}), and fails on the first snippet that does not compile, throws or
 * refers to something undefined.
 *
 * <p>It goes through the {@code jdk.jshell} API rather than the {@code jshell} tool because the
 * tool exits 0 even when a snippet of a loaded script throws. The notebook is cut into snippets
 * exactly as the tool cuts a file ({@link #pieces}), and each snippet is evaluated on its own, so
 * a failure names the notebook, the snippet number, its line and its first line of code, with
 * the compiler's diagnostics or the exception and the last lines the notebook printed.
 */
class NotebooksTest {

    /** The notebooks folder, seen from the module directory where Surefire runs. */
    static final Path NOTEBOOKS = Path.of("..", "notebooks");

    /** Wall-clock budget of one notebook in small mode; a notebook that takes longer is stopped and fails. */
    static final long BUDGET_SECONDS = 60;

    /**
     * Where the snippets run: {@code local} (the default), inside the test's JVM; or
     * {@code remote} ({@code -Djgrad.notebooks.engine=remote}), a fresh JVM per notebook as the
     * {@code jshell} tool does. Remote is more isolated but pays a fixed ~0.2 s per snippet
     * (measured on JDK 17 and 25: the time is spent waiting on the agent's socket, not
     * computing), so this test takes about 2 minutes instead of 20 s; local shares the test
     * JVM's static state and System.out (swapped for the duration of a notebook).
     */
    static final boolean LOCAL = !System.getProperty("jgrad.notebooks.engine", "local").equals("remote");

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsTopToBottom() throws IOException {
        List<Path> notebooks = notebooks(NOTEBOOKS);
        return notebooks.stream().map(nb -> dynamicTest(nb.getFileName().toString(), nb.toUri(), () -> {
            Run run = run(nb, BUDGET_SECONDS);
            System.out.printf(Locale.ROOT, "==== %s: %d snippets in %.1fs; slowest: %s%n%s%n", nb.getFileName(),
                    run.snippets(), run.seconds(), run.slowest(), run.output());
            assertThat(run.snippets()).as("snippets of %s", nb).isPositive();
            FIGURES.getOrDefault(nb.getFileName().toString(), output -> {}).accept(run.output());
        }));
    }

    // ---------------------------------------------------------------- the printed figures

    /** Checks of the key figures a notebook prints in small mode, by file name. */
    static final Map<String, Consumer<String>> FIGURES = Map.of(
            "08-generative.jsh", output -> {
                elboFalls(output);
                ganDiscriminatorIsCaughtUp(output);
            },
            "09-metric-learning.jsh", NotebooksTest::retrievalAboveChance,
            "10-deepdream.jsh", NotebooksTest::dreamsExciteTheirUnits,
            "11-hopfield-rbm.jsh", NotebooksTest::hopfieldRecallsAndRbmLearns);

    /**
     * The notebook's GAN section: D learns (its loss below the chance level 2 ln 2 after the first
     * epoch) and then G catches up (D's accuracy on generated images comes down from its peak).
     */
    static void ganDiscriminatorIsCaughtUp(String output) {
        List<Double> dLoss = numbers(output, "GAN epoch \\d+: D loss (\\d+\\.\\d+)");
        List<Double> onFake = numbers(output, "D accuracy on generated (\\d+\\.\\d+)");
        assertThat(dLoss).hasSize(3);
        assertThat(dLoss.subList(1, 3)).allMatch(v -> v < 2 * Math.log(2), "below 2 ln 2");
        double peak = onFake.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(onFake.get(2)).as("D accuracy on generated images in the last epoch vs its peak %.3f", peak).isLessThan(peak);
    }

    /** Each of the three units fires more on its dream than on the start image. */
    static void dreamsExciteTheirUnits(String output) {
        List<Double> before = numbers(output, "unit \\d+: start (-?\\d+\\.\\d+)"), after = numbers(output, "-> dream (-?\\d+\\.\\d+)");
        assertThat(before).hasSize(3);
        assertThat(after).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(after.get(i)).as("unit %d: dream vs start", i).isGreaterThan(before.get(i) + 0.03);
        assertThat(output).contains("hidden output shape [1, 32, 14, 14]");
    }

    /** The test −ELBO falls every epoch, well below the untrained one, and KL has become positive. */
    static void elboFalls(String output) {
        double untrained = numbers(output, "untrained: test −ELBO (\\d+\\.\\d)").get(0);
        List<Double> perEpoch = numbers(output, "test −ELBO (\\d+\\.\\d) =");
        perEpoch.remove(0);   // the untrained line
        assertThat(perEpoch).as("test −ELBO per epoch").hasSize(3).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(perEpoch.get(perEpoch.size() - 1)).as("test −ELBO after training against %.1f untrained", untrained)
                .isLessThan(0.75 * untrained);
        assertThat(numbers(output, "KL (\\d+\\.\\d+)\\n").get(3)).as("test KL after the last epoch").isGreaterThan(1);
    }

    /** The twins' gradients add up, and both losses retrieve far above chance and above the untrained net. */
    static void retrievalAboveChance(String output) {
        assertThat(numbers(output, "through both\\| at most (\\S+)").get(0)).as("branch gradients A + B − both").isLessThan(1e-5);
        double untrained = numbers(output, "untrained f: (\\d+\\.\\d)%").get(0);
        List<Double> trained = numbers(output, "retrieval (\\d+\\.\\d)% \\(chance 10.0%\\)");
        assertThat(trained).as("retrieval %% of contrastive and triplet (untrained %.1f%%)", untrained).hasSize(2)
                .allSatisfy(acc -> assertThat(acc).isGreaterThan(Math.max(3 * 10.0, untrained + 10)));
    }

    /**
     * Every stored item is recalled exactly with energies that never rise; recall holds at low load and
     * collapses past α_c; the RBM's reconstruction error falls every epoch.
     */
    static void hopfieldRecallsAndRbmLearns(String output) {
        Matcher recall = Pattern.compile("-> (\\d\\.\\d{3}); energy per sweep: (.*)").matcher(output);
        int recalls = 0;
        while (recall.find()) {
            recalls++;
            assertThat(recall.group(1)).as("recall overlap in %s", recall.group()).isEqualTo("1.000");
            List<Double> energies = numbers(recall.group(2), "(-?\\d+\\.\\d)");
            assertThat(energies).as("energies in %s", recall.group()).hasSizeGreaterThan(1)
                    .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        }
        assertThat(recalls).as("recalled items").isEqualTo(4);
        List<Double> capacity = numbers(output, "\\d\\.\\d\\d +(\\d+\\.\\d)%");
        assertThat(capacity).as("recall %% by load").hasSize(6);
        assertThat(capacity.get(0)).as("recall at P/n = 0.04").isEqualTo(100.0);
        assertThat(capacity.get(5)).as("recall at P/n = 0.25").isLessThan(50.0);
        double untrained = numbers(output, "untrained: reconstruction error (\\d\\.\\d+)").get(0);
        List<Double> errors = numbers(output, "epoch \\d+: reconstruction error (\\d\\.\\d+)");
        assertThat(errors).as("RBM reconstruction error per epoch").hasSize(3).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(errors.get(0)).as("after one epoch, against %.4f untrained", untrained).isLessThan(untrained);
        assertThat(errors.get(2)).isLessThan(0.6 * untrained);
    }

    /** Group 1 of every match of {@code regex} in {@code text}, as numbers; fails when nothing matches. */
    static List<Double> numbers(String text, String regex) {
        List<Double> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) found.add(Double.parseDouble(m.group(1)));
        if (found.isEmpty()) throw new AssertionError("no figure matching /" + regex + "/ in the output:\n" + text);
        return found;
    }

    @Test
    void aSnippetThatThrowsFailsNamingTheNotebookAndTheSnippet(@TempDir Path dir) throws IOException {
        Path nb = write(dir, "throws.jsh", """
                // the first snippet is fine
                int a = 1;

                // the second one divides by zero
                int b = a / 0;
                System.out.println("never reached");
                """);
        assertThatThrownBy(() -> run(nb, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("throws.jsh")
                .hasMessageContaining("snippet 2 (line 5)")
                .hasMessageContaining("int b = a / 0;")
                .hasMessageContaining("java.lang.ArithmeticException: / by zero");
    }

    @Test
    void aSnippetThatDoesNotCompileOrRefersToNothingFails(@TempDir Path dir) throws IOException {
        Path typo = write(dir, "typo.jsh", """
                import org.jgrad.core.Tensor;
                var x = Tensor.scalar(2f);
                var y = x.squre();
                """);
        assertThatThrownBy(() -> run(typo, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("typo.jsh")
                .hasMessageContaining("snippet 3 (line 3)")
                .hasMessageContaining("var y = x.squre();")
                .hasMessageContaining("does not compile")
                .hasMessageContaining("cannot find symbol");

        // as in the jshell tool, a line that is complete on its own ends the snippet
        Path chain = write(dir, "chain.jsh", """
                var sb = new StringBuilder()
                        .append("x");
                """);
        assertThatThrownBy(() -> run(chain, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("chain.jsh, snippet 2 (line 2) `.append(\"x\");` does not compile");

        // a method may be declared before what it calls exists (JShell keeps it as RECOVERABLE_DEFINED);
        // a notebook must not end that way
        Path unresolved = write(dir, "unresolved.jsh", "void f() { helper(); }\n");
        assertThatThrownBy(() -> run(unresolved, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("unresolved.jsh")
                .hasMessageContaining("snippet 1 (line 1)")
                .hasMessageContaining("helper()");
    }

    @Test
    void aNotebookThatRunsTooLongIsStopped(@TempDir Path dir) throws IOException {
        // the budget counts from the first snippet, which also warms up the compiler: warm it first
        run(write(dir, "warm-up.jsh", "int warm = 1;\n"), BUDGET_SECONDS);
        Path nb = write(dir, "forever.jsh", """
                long spins = 0;
                while (true) spins++;
                """);
        assertThatThrownBy(() -> run(nb, 2)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("forever.jsh, snippet 2 (line 2)")
                .hasMessageContaining("longer than 2s");
    }

    @Test
    void aGoodNotebookPassesAndAnEmptyFolderIsAFailure(@TempDir Path dir) throws IOException {
        Path nb = write(dir, "good.jsh", """
                import org.jgrad.core.*;
                boolean SMALL = Boolean.getBoolean("jgrad.small");
                /* a block comment, then a method */
                float twice(float v) {
                    return 2 * v;
                }
                System.out.println("small=" + SMALL + " twice=" + twice(Tensor.scalar(21f).item()))
                """);
        Run run = run(nb, BUDGET_SECONDS);
        assertThat(run.snippets()).isEqualTo(4);
        assertThat(run.output()).contains("small=true twice=42.0");
        assertThatThrownBy(() -> notebooks(dir.resolve("nothing-here"))).hasMessageContaining("no *.jsh notebooks");
    }

    // ---------------------------------------------------------------- the runner

    /** What a notebook run did: the number of snippets, its time, its slowest snippet and everything it printed. */
    record Run(int snippets, double seconds, String slowest, String output) {}

    /** The {@code *.jsh} files of a folder, sorted; fails when there are none. */
    static List<Path> notebooks(Path folder) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(p -> p.getFileName().toString().endsWith(".jsh")).sorted().forEach(found::add);
            }
        }
        if (found.isEmpty()) throw new AssertionError("no *.jsh notebooks in " + folder.toAbsolutePath().normalize());
        return found;
    }

    /**
     * Evaluates the notebook snippet by snippet in a fresh JShell with {@code -Djgrad.small=true}
     * and this test's class path (see {@link #LOCAL} for where it runs); throws an AssertionError
     * describing the first failure.
     */
    static Run run(Path notebook, long budgetSeconds) throws IOException {
        String name = notebook.getFileName().toString();
        String text = Files.readString(notebook).replace("\r\n", "\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        Timer watchdog = new Timer("notebook watchdog", true);
        JShell.Builder builder = JShell.builder().out(out).err(out);
        PrintStream realOut = System.out, realErr = System.err;
        String realSmall = System.getProperty("jgrad.small");
        if (LOCAL) {
            // the classes are already loaded by the test's class loader: only the compiler needs
            // the class path (a second copy in JShell's own loader breaks once that loader closes)
            builder.executionEngine("local").compilerOptions("--class-path", System.getProperty("java.class.path"));
            System.setProperty("jgrad.small", "true");
            System.setOut(out);   // the local engine does not redirect the snippets' output
            System.setErr(out);
        } else {
            builder.remoteVMOptions("--add-modules", "jdk.incubator.vector", "-Djgrad.small=true", "-Djava.awt.headless=true");
        }
        try (JShell shell = builder.build()) {
            if (!LOCAL) {
                for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    if (!entry.isBlank()) shell.addToClasspath(entry);
                }
            }
            watchdog.schedule(new TimerTask() {
                @Override
                public void run() {
                    timedOut.set(true);
                    shell.stop();
                }
            }, budgetSeconds * 1000);
            List<Piece> pieces = pieces(shell.sourceCodeAnalysis(), text);
            double slowestSeconds = -1;
            String slowest = "none";
            for (int i = 0; i < pieces.size(); i++) {
                Piece piece = pieces.get(i);
                String where = where(name, i + 1, text, piece.offset());
                if (piece.source() == null) {
                    throw new AssertionError(where + " is incomplete at the end of the notebook" + tail(printed));
                }
                long t0 = System.nanoTime();
                List<SnippetEvent> events;
                try {
                    events = shell.eval(piece.source());
                } catch (IllegalStateException e) {
                    throw new AssertionError(where + ": the JShell VM died (" + e.getMessage() + ")" + tail(printed), e);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                if (timedOut.get()) {
                    throw new AssertionError(where + " was stopped: the notebook took longer than " + budgetSeconds + "s"
                            + tail(printed));
                }
                check(shell, where, events, printed);
                if (secs > slowestSeconds) {
                    slowestSeconds = secs;
                    slowest = String.format(Locale.ROOT, "snippet %d %.1fs", i + 1, secs);
                }
            }
            out.flush();
            return new Run(pieces.size(), (System.nanoTime() - start) / 1e9, slowest, printed.toString(StandardCharsets.UTF_8));
        } finally {
            watchdog.cancel();
            if (LOCAL) {
                System.setOut(realOut);
                System.setErr(realErr);
                if (realSmall == null) System.clearProperty("jgrad.small");
                else System.setProperty("jgrad.small", realSmall);
            }
        }
    }

    /** One snippet: the source to evaluate (null when the notebook ends inside it) and where it starts in the text. */
    record Piece(String source, int offset) {}

    /**
     * Cuts a notebook into snippets exactly as the {@code jshell} tool reads a file: it adds
     * lines until what it has is complete (or only comments), evaluates the first snippet of
     * it, and carries the rest over. So a line that is complete on its own ends the snippet
     * even if the next line starts with {@code .method()}: in the tool, that next line is a
     * syntax error, and here too.
     */
    static List<Piece> pieces(SourceCodeAnalysis analysis, String text) {
        String[] lines = text.split("\n", -1);
        List<Piece> pieces = new ArrayList<>();
        String src = "";
        int srcStart = 0, next = 0, lineStart = 0;
        while (true) {
            while (src.isEmpty() || !complete(analysis, src)) {
                if (next == lines.length) {
                    if (!src.isBlank()) pieces.add(new Piece(null, srcStart + leadingBlank(src)));
                    return pieces;
                }
                if (src.isEmpty()) srcStart = lineStart;
                src = src.isEmpty() ? lines[next] : src + "\n" + lines[next];
                lineStart += lines[next++].length() + 1;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(src);
            String snippet = src.substring(0, src.length() - info.remaining().length());
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                snippet = src;   // only comments and blanks: all consumed
            } else {
                pieces.add(new Piece(info.source(), srcStart + firstCodeLine(snippet)));
            }
            srcStart += snippet.length();
            src = info.remaining();
        }
    }

    private static boolean complete(SourceCodeAnalysis analysis, String src) {
        SourceCodeAnalysis.Completeness c = analysis.analyzeCompletion(src).completeness();
        return c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY;
    }

    private static int leadingBlank(String s) {
        return s.length() - s.stripLeading().length();
    }

    /** Fails on a rejected snippet, an exception, or a declaration left with unresolved references. */
    private static void check(JShell shell, String where, List<SnippetEvent> events, ByteArrayOutputStream printed) {
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue; // a dependent snippet re-evaluated, not this one
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                String diags = shell.diagnostics(s).filter(Diag::isError)
                        .map(d -> "  " + d.getMessage(Locale.ROOT) + "  [at: " + at(s.source(), d) + "]")
                        .collect(Collectors.joining("\n"));
                throw new AssertionError(where + " does not compile:\n" + diags + tail(printed));
            }
            if (e.exception() != null) {
                throw new AssertionError(where + " threw " + describe(shell, e.exception()) + tail(printed), e.exception());
            }
            if (e.status() != Snippet.Status.VALID) {
                String missing = s instanceof DeclarationSnippet d
                        ? String.join(", ", shell.unresolvedDependencies(d).collect(Collectors.toList())) : "?";
                throw new AssertionError(where + " is " + e.status() + ": it refers to something not defined: "
                        + missing + "; in " + s.source().strip() + tail(printed));
            }
        }
    }

    /** "notebook 03-x.jsh, snippet 7 (line 42) `first code line`", for the snippet starting at {@code offset}. */
    private static String where(String name, int number, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        int eol = text.indexOf('\n', offset);
        String code = text.substring(offset, eol < 0 ? text.length() : eol).strip();
        return "notebook " + name + ", snippet " + number + " (line " + line + ") `" + code + "`";
    }

    /** Offset of the first line of a snippet's raw text that is neither blank nor a comment. */
    private static int firstCodeLine(String raw) {
        int pos = 0;
        boolean inBlock = false;
        while (pos < raw.length()) {
            int eol = raw.indexOf('\n', pos);
            String line = raw.substring(pos, eol < 0 ? raw.length() : eol).strip();
            if (inBlock) {
                inBlock = !line.contains("*/");
            } else if (line.startsWith("/*")) {
                inBlock = !line.contains("*/");
            } else if (!line.isEmpty() && !line.startsWith("//")) {
                return pos + leadingBlank(raw.substring(pos));
            }
            if (eol < 0) break;
            pos = eol + 1;
        }
        return 0;
    }

    private static String at(String source, Diag d) {
        long p = Math.max(0, Math.min(source.length(), d.getStartPosition()));
        int from = source.lastIndexOf('\n', (int) p - 1) + 1, to = source.indexOf('\n', (int) p);
        return source.substring(from, to < 0 ? source.length() : to).strip();
    }

    /** The exception as the user sees it: class, message, the snippet frames, and its causes. */
    private static String describe(JShell shell, JShellException x) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = x; t != null; t = t.getCause()) {
            if (t != x) sb.append("\n  caused by ");
            if (t instanceof EvalException ee) {
                sb.append(ee.getExceptionClassName()).append(": ").append(ee.getMessage());
            } else if (t instanceof UnresolvedReferenceException ure) {
                sb.append("an unresolved reference: ").append(ure.getSnippet().source().strip()).append(" needs ")
                        .append(String.join(", ", shell.unresolvedDependencies(ure.getSnippet()).collect(Collectors.toList())));
            } else {
                sb.append(t);
            }
            StackTraceElement[] trace = t.getStackTrace();
            for (int i = 0; i < Math.min(6, trace.length); i++) sb.append("\n      at ").append(trace[i]);
        }
        return sb.toString();
    }

    /** The last lines the notebook printed, to show what it had done before failing. */
    private static String tail(ByteArrayOutputStream printed) {
        String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
        int from = Math.max(0, lines.length - 15);
        if (lines.length == 0 || (lines.length == 1 && lines[0].isEmpty())) return "";
        return "\n--- last lines printed by the notebook ---\n" + String.join("\n", List.of(lines).subList(from, lines.length));
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
