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
import org.jgrad.examples.Snippets.Piece;
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
 *
 * <p><b>Expected figures.</b> A notebook declares what its snippets must print in comment lines
 * starting {@code // expect}, placed after the snippet (before the next one); such a line checks
 * the text printed by the nearest snippet above it, and only that text. Being comments, they
 * change nothing in {@code jshell} or {@code notebooks/open.sh}. The forms:
 * <ul>
 *   <li>{@code // expect: tensor\(7\.\)}: a Java regex (multi-line mode) that must be found in the printed text;
 *   <li>{@code // expect = 9098 after "Total parameters:"}: the first number after each occurrence of
 *       the quoted text equals 9098; also {@code <}, {@code <=}, {@code >}, {@code >=}, and
 *       {@code // expect ~ 0.8528 ± 0.01 after "val acc"} for a tolerance ({@code +-} reads as ±);
 *   <li>{@code // expect falling after "loss"}: those numbers, in order, fall; {@code rising}: they
 *       rise (strictly, and there must be at least two).
 * </ul>
 * The text in quotes is literal and must occur at least once; every occurrence is checked. A
 * number is a decimal such as {@code -1.5e-3} (the minus sign may be {@code −}), {@code NaN} or
 * {@code Infinity}, and may come after other text or on a later line. A line starting
 * {@code // expect} that reads as none of these fails the notebook, so a typo cannot switch a
 * check off. All the expectations of a notebook are checked, and a failure names the notebook,
 * the snippet, the expectation's line and the text the snippet printed ({@link #EXPECTATIONS}).
 * The test runs the notebooks in small mode, so a figure that changes with {@code SMALL} is
 * declared for small mode (or as a range or alternatives that hold in both).
 * What the syntax cannot say (a relation between figures of different snippets, or a sequence
 * inside one line) stays in Java in {@link #FIGURES}.
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
            System.out.printf(Locale.ROOT, "==== %s: %d snippets, %d expectations in %.1fs; slowest: %s%n%s%n", nb.getFileName(),
                    run.snippets(), run.expectations(), run.seconds(), run.slowest(), run.output());
            assertThat(run.snippets()).as("snippets of %s", nb).isPositive();
            assertThat(run.expectations()).as("expected figures declared in %s", nb).isPositive();
            FIGURES.getOrDefault(nb.getFileName().toString(), output -> {}).accept(run.output());
        }));
    }

    // ---------------------------------------------------------------- the printed figures

    /**
     * Checks of figures that the {@code // expect} comments cannot state, by file name: relations
     * between numbers on one line, or with the largest of a series. Everything else a notebook
     * prints is checked by its own declarations.
     */
    static final Map<String, Consumer<String>> FIGURES = Map.of(
            "08-generative.jsh", NotebooksTest::ganGeneratorCatchesUp,
            "10-deepdream.jsh", NotebooksTest::dreamsExciteTheirUnits,
            "11-hopfield-rbm.jsh", NotebooksTest::hopfieldRecallsDownhill);

    /**
     * The notebook's GAN section: after D has learned (its loss below 2 ln 2, declared in the
     * notebook), G catches up: D's accuracy on generated images in the last epoch is below its peak.
     */
    static void ganGeneratorCatchesUp(String output) {
        List<Double> onFake = numbers(output, "D accuracy on generated (\\d+\\.\\d+)");
        assertThat(onFake).hasSize(3);
        double peak = onFake.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(onFake.get(2)).as("D accuracy on generated images in the last epoch vs its peak %.3f", peak).isLessThan(peak);
    }

    /** Each of the three units fires more on its dream than on the start image (both on one line). */
    static void dreamsExciteTheirUnits(String output) {
        List<Double> before = numbers(output, "unit \\d+: start (-?\\d+\\.\\d+)"), after = numbers(output, "-> dream (-?\\d+\\.\\d+)");
        assertThat(before).hasSize(3);
        assertThat(after).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(after.get(i)).as("unit %d: dream vs start", i).isGreaterThan(before.get(i) + 0.03);
    }

    /**
     * Every stored item is recalled exactly, with energies that never rise along its line (the
     * capacity sweep and the RBM are declared in the notebook).
     */
    static void hopfieldRecallsDownhill(String output) {
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

    @Test
    void expectationsReadTheirFormsAndATypoIsAnError() {
        var regex = Expectation.parse(3, "// expect: tensor\\(14\\.\\)");
        assertThat(regex.check("x @ y = tensor(14.)\n")).isNull();
        assertThat(regex.check("x @ y = tensor(15.)\n")).isEqualTo("no match of /tensor\\(14\\.\\)/");
        var near = Expectation.parse(4, "    // expect ~ 0.8528 ± 0.01 after \"val acc\"");
        assertThat(near.check("epoch 1: val acc 0.85\nepoch 2: val acc\n  0.8601\n")).as("every occurrence, the number may be on the next line").isNull();
        assertThat(near.check("val acc 0.86 | val acc 0.84")).isEqualTo("the number after \"val acc\" (occurrence 2 of 2) is 0.84, expected 0.8528 ± 0.01");
        assertThat(near.check("val acc NaN")).isEqualTo("the number after \"val acc\" is NaN, expected 0.8528 ± 0.01");
        assertThat(near.check("train acc 0.85")).isEqualTo("\"val acc\" was not printed");
        assertThat(near.check("val acc: none")).isEqualTo("no number after \"val acc\" (occurrence 1)");
        assertThat(Expectation.parse(5, "// expect ~ 1 +- 0.5 after \"x =\"").check("x = 1.4")).isNull();
        assertThat(Expectation.parse(5, "// expect < 1e-5 after \"at most\"").check("at most 3.8E-6")).isNull();
        assertThat(Expectation.parse(5, "// expect >= 0 after \"E =\"").check("E = −2.5")).isEqualTo("the number after \"E =\" is -2.5, expected >= 0.0");
        assertThat(Expectation.parse(5, "// expect = 9098 after \"library:\"").check("by hand: 9098, library: 9098")).isNull();
        var falling = Expectation.parse(6, "// expect falling after \"loss\"");
        assertThat(falling.check("loss 2.3\nloss 1.1\nloss 0.4\n")).isNull();
        assertThat(falling.check("loss 2.3\nloss 2.3\n")).isEqualTo("the numbers after \"loss\" are [2.3, 2.3], not falling (at the 2. one)");
        assertThat(falling.check("loss 2.3")).contains("only one number after \"loss\"");
        assertThat(Expectation.parse(6, "// expect rising after \"KL\"").check("KL 0.1, KL 0.5")).isNull();
        // a line that starts like an expectation but reads as none fails: a typo must not switch a check off
        assertThatThrownBy(() -> Expectation.parse(7, "// expect ~ 0.85 after \"acc\"")).hasMessageContaining("line 7")
                .hasMessageContaining("reads as no expectation");
        assertThatThrownBy(() -> Expectation.parse(8, "// expect > 0.3 aftr \"acc\"")).hasMessageContaining("reads as no expectation");
        assertThatThrownBy(() -> Expectation.parse(9, "// expect: tensor(")).hasMessageContaining("line 9").hasMessageContaining("a bad regex");
        assertThatThrownBy(() -> Expectation.parse(10, "// expect > x after \"acc\"")).hasMessageContaining("not a number");
        assertThat(EXPECTATIONS.matcher("// expected values below are for small mode").matches()).as("prose is not an expectation").isFalse();
    }

    @Test
    void aNotebooksDeclaredFiguresAreCheckedAgainstWhatEachSnippetPrinted(@TempDir Path dir) throws IOException {
        Path good = write(dir, "declares.jsh", """
                import org.jgrad.core.*;
                var x = Tensor.of(new float[] {1, 2, 3}, 3);
                System.out.println("x · x = " + x.mul(x).sum());
                // expect: x · x = tensor\\(14\\.\\)
                // expect = 14 after "tensor("
                for (int e = 1; e <= 3; e++) System.out.println("epoch " + e + ": loss " + 1.0 / e);
                // the loss falls
                // expect falling after "loss"
                // expect ~ 0.4 ± 0.1 after "epoch 3: loss"
                """);
        Run run = run(good, BUDGET_SECONDS);
        assertThat(run.snippets()).isEqualTo(4);
        assertThat(run.expectations()).isEqualTo(4);

        // an expectation sees only what its own snippet printed: "x · x = 14" was printed, but not by the loop;
        // every failed expectation of the notebook is reported, each with the snippet, its line and the printed text
        Path wrong = write(dir, "wrong.jsh", """
                System.out.println("x · x = 14");
                for (int e = 1; e <= 3; e++) System.out.println("epoch " + e + ": loss " + e);
                // expect: x · x = 14
                // expect falling after "loss"
                """);
        assertThatThrownBy(() -> run(wrong, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 expected figure(s) of notebook wrong.jsh not printed")
                .hasMessageContaining("notebook wrong.jsh, snippet 2 (line 2) `for (int e = 1; e <= 3; e++)")
                .hasMessageContaining("line 3 `// expect: x · x = 14` does not hold: no match of /x · x = 14/")
                .hasMessageContaining("line 4 `// expect falling after \"loss\"` does not hold: the numbers after \"loss\" are"
                        + " [1.0, 2.0, 3.0], not falling")
                .hasMessageContaining("--- what the snippet printed ---\nepoch 1: loss 1\nepoch 2: loss 2\nepoch 3: loss 3");

        Path typo = write(dir, "typo.jsh", "int a = 1;\n// expect ~ 1 after \"a\"\n");
        assertThatThrownBy(() -> run(typo, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("notebook typo.jsh, line 2").hasMessageContaining("reads as no expectation");
        Path early = write(dir, "early.jsh", "// expect: 1\nint a = 1;\n");
        assertThatThrownBy(() -> run(early, BUDGET_SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("notebook early.jsh, line 1 `// expect: 1` stands above every snippet");
    }

    // ---------------------------------------------------------------- the declared figures

    /** A line that declares an expected figure: {@code // expect} and what follows. */
    static final Pattern EXPECTATIONS = Pattern.compile("^\\s*//\\s*expect\\b(.*)$");

    private static final Pattern COMPARISON = Pattern.compile(
            "\\s*(~|=|<=|>=|<|>)\\s*(\\S+)(?:\\s*(?:±|\\+-)\\s*(\\S+))?\\s+after\\s+\"(.+)\"\\s*");
    private static final Pattern TREND = Pattern.compile("\\s*(falling|rising)\\s+after\\s+\"(.+)\"\\s*");
    private static final Pattern NUMBER = Pattern.compile("[-−+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-−]?Infinity|NaN");

    /**
     * One declared figure, from line {@code line} (1-based) of its notebook, whose comment reads
     * {@code text}: a regex to find ({@code op} ":"), a comparison of the number after each
     * occurrence of {@code label} ({@code op} one of = ~ &lt; &lt;= &gt; &gt;=, with {@code value}
     * and for ~ {@code tolerance}) or a trend of those numbers ({@code op} "falling" or "rising").
     */
    record Expectation(int line, String text, String op, Pattern regex, String label, double value, double tolerance) {

        /** Reads the comment {@code text} at {@code line}; throws IllegalArgumentException saying what it cannot read. */
        static Expectation parse(int line, String text) {
            String comment = text.strip();
            Matcher m = EXPECTATIONS.matcher(comment);
            if (!m.matches()) throw new IllegalArgumentException("line " + line + " `" + comment + "` is not an expectation");
            String rest = m.group(1);
            if (rest.startsWith(":")) {
                String regex = rest.substring(1).strip();
                if (regex.isEmpty()) throw new IllegalArgumentException("line " + line + " `" + comment + "`: no regex after `expect:`");
                try {
                    return new Expectation(line, comment, ":", Pattern.compile(regex, Pattern.MULTILINE), null, 0, 0);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("line " + line + " `" + comment + "`: a bad regex: " + e.getDescription(), e);
                }
            }
            Matcher t = TREND.matcher(rest);
            if (t.matches()) return new Expectation(line, comment, t.group(1), null, t.group(2), 0, 0);
            Matcher c = COMPARISON.matcher(rest);
            if (c.matches() && (c.group(1).equals("~") == (c.group(3) != null))) {
                try {
                    double value = number(c.group(2)), tolerance = c.group(3) == null ? 0 : number(c.group(3));
                    return new Expectation(line, comment, c.group(1), null, c.group(4), value, tolerance);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + line + " `" + comment + "`: not a number: " + e.getMessage(), e);
                }
            }
            throw new IllegalArgumentException("line " + line + " `" + comment + "` reads as no expectation; the forms are"
                    + " `// expect: REGEX`, `// expect OP NUMBER after \"TEXT\"` (OP one of = < <= > >=),"
                    + " `// expect ~ NUMBER ± TOLERANCE after \"TEXT\"` and `// expect falling|rising after \"TEXT\"`");
        }

        /** Null when {@code printed} (what the snippet printed) satisfies this expectation, else why not. */
        String check(String printed) {
            if (op.equals(":")) return regex.matcher(printed).find() ? null : "no match of /" + regex.pattern() + "/";
            List<Double> found = new ArrayList<>();
            for (int at = printed.indexOf(label); at >= 0; at = printed.indexOf(label, at + 1)) {
                Matcher n = NUMBER.matcher(printed);
                if (!n.find(at + label.length())) return "no number after \"" + label + "\" (occurrence " + (found.size() + 1) + ")";
                found.add(number(n.group()));
            }
            if (found.isEmpty()) return "\"" + label + "\" was not printed";
            if (op.equals("falling") || op.equals("rising")) {
                if (found.size() < 2) return "only one number after \"" + label + "\": " + found.get(0) + ", nothing to compare";
                for (int i = 1; i < found.size(); i++) {
                    boolean ok = op.equals("falling") ? found.get(i) < found.get(i - 1) : found.get(i) > found.get(i - 1);
                    if (!ok) return "the numbers after \"" + label + "\" are " + found + ", not " + op + " (at the " + (i + 1) + ". one)";
                }
                return null;
            }
            for (int i = 0; i < found.size(); i++) {
                double v = found.get(i);
                boolean ok = switch (op) {
                    case "=" -> v == value;
                    case "~" -> Math.abs(v - value) <= tolerance;
                    case "<" -> v < value;
                    case "<=" -> v <= value;
                    case ">" -> v > value;
                    case ">=" -> v >= value;
                    default -> throw new IllegalStateException(op);
                };
                if (!ok) {
                    String want = op.equals("~") ? value + " ± " + tolerance : op + " " + value;
                    return "the number after \"" + label + "\"" + (found.size() > 1 ? " (occurrence " + (i + 1) + " of " + found.size() + ")" : "")
                            + " is " + v + ", expected " + want;
                }
            }
            return null;
        }

        private static double number(String s) {
            return Double.parseDouble(s.replace('−', '-'));
        }
    }

    /**
     * The expectations of a notebook, one list per piece: each {@code // expect} line goes to the
     * last piece that starts above it. Fails on one that cannot be read or stands above every snippet.
     */
    static List<List<Expectation>> attach(String name, String text, List<Piece> pieces) {
        List<List<Expectation>> perPiece = new ArrayList<>();
        int[] startLine = new int[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            perPiece.add(new ArrayList<>());
            startLine[i] = lineOf(text, pieces.get(i).offset());
        }
        String[] lines = text.split("\n", -1);
        for (int k = 0; k < lines.length; k++) {
            if (!EXPECTATIONS.matcher(lines[k]).matches()) continue;
            int line = k + 1, owner = -1;
            while (owner + 1 < pieces.size() && startLine[owner + 1] < line) owner++;
            Expectation x;
            try {
                x = Expectation.parse(line, lines[k]);
            } catch (IllegalArgumentException e) {
                throw new AssertionError("notebook " + name + ", " + e.getMessage(), e);
            }
            if (owner < 0) throw new AssertionError("notebook " + name + ", line " + line + " `" + x.text() + "` stands above every snippet");
            perPiece.get(owner).add(x);
        }
        return perPiece;
    }

    /** The 1-based line of {@code offset} in {@code text}. */
    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** A snippet's output for a failure message: all of it, or its first and last 20 lines. */
    private static String shorten(String printed) {
        if (printed.isEmpty()) return "(nothing)";
        String[] lines = printed.split("\n");
        if (lines.length <= 40) return printed.stripTrailing();
        return String.join("\n", List.of(lines).subList(0, 20)) + "\n  ... " + (lines.length - 40) + " lines ...\n"
                + String.join("\n", List.of(lines).subList(lines.length - 20, lines.length));
    }

    // ---------------------------------------------------------------- the runner

    /**
     * What a notebook run did: the number of snippets and of expectations checked, its time, its
     * slowest snippet and everything it printed.
     */
    record Run(int snippets, int expectations, double seconds, String slowest, String output) {}

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
            List<Piece> pieces = Snippets.pieces(shell.sourceCodeAnalysis(), text);
            List<List<Expectation>> expected = attach(name, text, pieces);
            List<String> failures = new ArrayList<>();
            int expectations = 0;
            double slowestSeconds = -1;
            String slowest = "none";
            for (int i = 0; i < pieces.size(); i++) {
                Piece piece = pieces.get(i);
                String where = where(name, i + 1, text, piece.offset());
                out.flush();
                int printedBefore = printed.size();
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
                // what this snippet printed: in remote mode JShell forwards the output through the
                // same socket as the result and ahead of it, so it is all here once eval returns
                out.flush();
                String own = new String(printed.toByteArray(), printedBefore, printed.size() - printedBefore, StandardCharsets.UTF_8);
                for (Expectation x : expected.get(i)) {
                    expectations++;
                    String failure = x.check(own);
                    if (failure != null) failures.add(where + ": line " + x.line() + " `" + x.text() + "` does not hold: "
                            + failure + "\n--- what the snippet printed ---\n" + shorten(own));
                }
                if (secs > slowestSeconds) {
                    slowestSeconds = secs;
                    slowest = String.format(Locale.ROOT, "snippet %d %.1fs", i + 1, secs);
                }
            }
            out.flush();
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " expected figure(s) of notebook " + name + " not printed:\n"
                        + String.join("\n\n", failures));
            }
            return new Run(pieces.size(), expectations, (System.nanoTime() - start) / 1e9, slowest,
                    printed.toString(StandardCharsets.UTF_8));
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
