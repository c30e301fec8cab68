package org.jgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and messages of compare, usage errors. No benchmark is run here. */
class ReportTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Report.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path json(String name, Figure... figures) throws IOException {
        return Files.writeString(dir.resolve(name), ReportFiles.json(List.of(figures)));
    }

    @Test
    void compareExitsOneOnARegression() throws IOException {
        Path base = json("base.json", new Figure("a", "GFLOPS", 100, "±1.0%", null));
        Path cur = json("cur.json", new Figure("a", "GFLOPS", 80, "±1.0%", null));
        assertThat(run("compare", base.toString(), cur.toString())).isEqualTo(1);
        assertThat(out()).contains("regression", "-20.0%", "FAIL");
    }

    @Test
    void compareExitsZeroWithinAWiderThreshold() throws IOException {
        Path base = json("base.json", new Figure("a", "GFLOPS", 100, "±1.0%", null));
        Path cur = json("cur.json", new Figure("a", "GFLOPS", 80, "±1.0%", null));
        assertThat(run("compare", base.toString(), cur.toString(), "--threshold", "25")).isZero();
        assertThat(out()).contains("unchanged", "threshold 25.0%", "OK");
    }

    @Test
    void compareExitsZeroOnNoiseImprovementAndMissingEntries() throws IOException {
        Path base = json("base.json", new Figure("noisy", "x", 100, "±40%", null), new Figure("gone", "x", 1, null, null),
                new Figure("up", "x", 1, null, null));
        Path cur = json("cur.json", new Figure("noisy", "x", 50, "±1%", null), new Figure("up", "x", 2, null, null));
        assertThat(run("compare", base.toString(), cur.toString())).isZero();
        assertThat(out()).contains("noisy", "missing", "improvement");
    }

    @Test
    void compareFailsOnAHalvingDespiteItsSpreadWhenTheReportsHaveSamples() throws IOException {
        Path base = json("base.json", new Figure("a", "GFLOPS", 100, "±40.0%", null, List.of(60.0, 98.0, 100.0, 102.0, 140.0)));
        Path cur = json("cur.json", new Figure("a", "GFLOPS", 50, "±40.0%", null, List.of(30.0, 49.0, 50.0, 52.0, 70.0)));
        assertThat(run("compare", base.toString(), cur.toString())).isEqualTo(1);
        assertThat(out()).contains("regression", "-50.0%", "0.008", "FAIL");
        assertThat(run("compare", base.toString(), cur.toString(), "--alpha", "0.005")).as("U = 1 is not enough at 0.005").isZero();
        assertThat(run("compare", base.toString(), cur.toString(), "--alpha", "1.5")).isEqualTo(2);
        assertThat(err()).contains("compare: alpha must be between 0 and 1, got 1.5");
    }

    @Test
    void malformedBaselineIsAClearErrorNamingTheFile() throws IOException {
        Path base = Files.writeString(dir.resolve("base.json"), "this is not json");
        Path cur = json("cur.json", new Figure("a", "x", 1, null, null));
        assertThat(run("compare", base.toString(), cur.toString())).isEqualTo(2);
        assertThat(err()).startsWith("Report: baseline " + base + ": not valid JSON");
        assertThat(out()).isEmpty();
    }

    @Test
    void missingCurrentFileIsAClearError() throws IOException {
        Path base = json("base.json", new Figure("a", "x", 1, null, null));
        assertThat(run("compare", base.toString(), dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err()).contains("Report: current " + dir.resolve("nope.json") + ": no such file");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).startsWith("Report: missing command\nUsage: Report [-h] COMMAND").contains("run", "compare", "peers");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("Report: unknown command 'frobnicate'");
        assertThat(run("compare", "only-one.json")).isEqualTo(2);
        assertThat(err()).contains("missing CURRENT.json");
        assertThat(run("compare", "a.json", "b.json", "--threshold")).isEqualTo(2);
        assertThat(err()).contains("--threshold needs a value");
        assertThat(run("compare", "a.json", "b.json", "--threshold", "ten")).isEqualTo(2);
        assertThat(err()).contains("--threshold: not a number: ten");
        assertThat(run("run", "out", "--fast")).isEqualTo(2);
        assertThat(err()).contains("Report run: unknown option '--fast'", "Try 'Report run --help'");
        assertThat(run("run", "out", "--threads", "0")).isEqualTo(2);
        assertThat(err()).contains("--threads: expected a positive integer, got '0'");
    }

    @Test
    void eachCommandRefusesAnUnknownOptionWithASuggestion() {
        for (String command : List.of("run OUT", "compare A.json B.json", "peers OUT")) {
            err.reset();
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            args.add("--bogus");
            assertThat(run(args.toArray(String[]::new))).as(command).isEqualTo(2);
            assertThat(err()).as(command).startsWith("Report " + args.get(0) + ": unknown option '--bogus'\n");
        }
        err.reset();
        assertThat(run("compare", "a.json", "b.json", "--threshol", "5")).isEqualTo(2);
        assertThat(err()).startsWith("Report compare: unknown option '--threshol'\nPossible solutions: --threshold\n");
        err.reset();
        assertThat(run("run", "out", "--quick", "extra")).isEqualTo(2);
        assertThat(err()).startsWith("Report run: unexpected argument 'extra'\n");
    }

    @Test
    void helpPrintsUsage() {
        for (String help : List.of("help", "--help", "-h")) {
            out.reset();
            assertThat(run(help)).as(help).isZero();
            assertThat(out()).as(help).startsWith("Usage: Report [-h] COMMAND").contains("run", "compare", "peers", "Exit codes");
        }
        out.reset();
        assertThat(run("compare", "--help")).isZero();
        assertThat(out()).startsWith("Usage: Report compare [-h] [--threshold=PERCENT] [--alpha=P] BASELINE.json CURRENT.json")
                .contains("'%' allowed (default: 10.0)", "(default: 0.01)");
        out.reset();
        assertThat(run("help", "run")).isZero();
        assertThat(out()).contains("--threads=N", "--quick");
    }

    @Test
    void peersSkipsWithAMessageWhenTheScriptsAreAbsent() {
        assertThat(run("peers", dir.toString(), "--peers", dir.resolve("none").toString())).isZero();
        assertThat(out()).startsWith("peers: skipped (no run.sh in ");
    }
}
