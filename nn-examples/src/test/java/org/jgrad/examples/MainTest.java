package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The picocli command line of {@code ./jgrad}: help, typo suggestions, typed options, exit codes. */
class MainTest {

    /** Exit code, standard output and standard error of one {@code jgrad} command line. */
    record Outcome(int code, String out, String err) {}

    private static Outcome jgrad(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMisspeltExampleIsRefusedWithTheNearestName() throws Exception {
        var r = jgrad("trian");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("jgrad: unknown example 'trian'\nDid you mean: train?\n").contains("jgrad --help");
        assertThat(jgrad("spirl").err()).contains("Did you mean: spiral?");
        // nothing near: no suggestion, still exit code 2
        var far = jgrad("xyzzyx");
        assertThat(far.code()).isEqualTo(2);
        assertThat(far.err()).startsWith("jgrad: unknown example 'xyzzyx'\n").doesNotContain("Did you mean");
    }

    @Test
    void helpListsEveryExampleWithItsSummary() throws Exception {
        for (String help : List.of("--help", "-h", "help")) {
            var r = jgrad(help);
            assertThat(r.code()).as(help).isEqualTo(0);
            assertThat(r.err()).as(help).isEmpty();
            assertThat(r.out()).as(help).startsWith("Usage: jgrad [-h] <example>");
            for (Main.Example e : Main.EXAMPLES.values()) {
                assertThat(r.out()).as(help).containsPattern("(?m)^  " + e.name() + " +" + java.util.regex.Pattern.quote(
                        e.help().substring(0, 20)));
            }
        }
    }

    @Test
    void trainHelpListsItsOptionsAndDefaults() throws Exception {
        var r = jgrad("train", "--help");
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).startsWith("Usage: jgrad train ")
                .contains("--model=mlp|cnn", "--epochs=N", "--batch-size=N", "--lr=X", "--threads=N", "--seed=N", "--data=DIR",
                        "--shard-size=N", "--limit=N", "--out=FILE.safetensors", "--plots=DIR", "--no-progress", "--[no-]warmup")
                .contains("(default: 42)", "(default: 5 for mlp, 3 for cnn)");
        assertThat(jgrad("help", "train").out()).isEqualTo(r.out());
    }

    @Test
    void aBadValueNamesTheOptionTheValueAndWhatWasExpected() throws Exception {
        var r = jgrad("train", "--epochs", "abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("train: --epochs expects a whole number, got 'abc'\n").contains("jgrad train --help");
        assertThat(jgrad("train", "--lr", "fast").err()).startsWith("train: --lr expects a finite number, got 'fast'\n");
        assertThat(jgrad("train", "--seed", "1.5").err()).startsWith("train: --seed expects a whole number, got '1.5'\n");
        assertThat(jgrad("train", "--batch-size", "3000000000").err()).startsWith("train: --batch-size is out of range: 3000000000\n");
        assertThat(jgrad("train", "--limit").err()).startsWith("train: --limit needs a value\n");
        var model = jgrad("train", "--model", "rnn");
        assertThat(model.code()).isEqualTo(2);
        assertThat(model.err()).isEqualTo("train: --model must be mlp or cnn, got 'rnn'\n");
    }

    @Test
    void aMisspeltOptionOfTrainGetsASuggestion() throws Exception {
        var r = jgrad("train", "--epoch", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("train: unknown option '--epoch'\nDid you mean: --epochs?\n");
        assertThat(jgrad("train", "--bach-size", "3").err()).contains("Did you mean: --batch-size?");
        // the same through the API that nn-spark's SparkMain uses
        assertThatThrownBy(() -> TrainExample.Options.parse("--no-progres"))
                .hasMessageStartingWith("train: unknown option '--no-progres'\nDid you mean: --no-progress?\ntrain [-h] [--model=mlp|cnn]");
    }

    @Test
    void anExamplesHelpListsItsOptionsWithTheirDefaults() throws Exception {
        var help = jgrad("spiral", "--help");
        assertThat(help.code()).isEqualTo(0);
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: jgrad spiral [-h] [--out=DIR] [--epochs=N] ").contains("3-arm spiral")
                .containsPattern("--out=DIR +Where the pictures go \\(default: jgrad-out/spiral\\)")
                .containsPattern("--epochs=N +.*\\(default: 1000\\)")
                .containsPattern("--per-class=N +.*\\(default: 100\\)")
                .containsPattern("--noise=X +.*\\(default: 0.2\\)");
        assertThat(jgrad("help", "spiral").out()).isEqualTo(help.out());
        // options whose default depends on another option say so
        assertThat(jgrad("gpt", "--help").out()).contains("(default: 48 for names, 64 for shakespeare)", "--positions=learned|sinusoidal");
    }

    @Test
    void everyExampleHasHelpUnderItsOwnName() throws Exception {
        // the registry's name comes from the options' @Command, which also names the messages and the default --out
        for (Main.Example e : Main.EXAMPLES.values()) {
            var r = jgrad(e.name(), "-h");
            assertThat(r.code()).as(e.name()).isEqualTo(0);
            assertThat(r.out()).as(e.name()).startsWith("Usage: jgrad " + e.name() + " [-h]");
            if (e.name().equals("train")) continue;   // its description is its own, longer
            assertThat(r.out()).as(e.name()).contains(e.help().substring(0, 20));
            if (!List.of("autodiff", "hello", "names").contains(e.name())) {
                assertThat(r.out()).as(e.name()).contains("(default: jgrad-out/" + e.name() + ")");
            }
        }
    }

    @Test
    void aMisspeltOptionOfAnExampleGetsASuggestion() throws Exception {
        var r = jgrad("spiral", "--epoch", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("spiral: unknown option '--epoch'\nDid you mean: --epochs?\nTry 'jgrad spiral --help' for more information.\n");
        assertThat(jgrad("deepdream", "--octave", "2").err()).contains("Did you mean: --octaves?");
        assertThat(jgrad("gpt", "--dmodel", "2").err()).contains("Did you mean: --d-model?");
        // the same through the examples' own main, which tests and notebooks call
        assertThatThrownBy(() -> PathologiesExample.main(new String[] {"--depht", "3"}, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pathologies: unknown option '--depht'\nDid you mean: --depth?");
    }

    @Test
    void aBadValueOfAnExampleNamesTheExampleTheOptionAndTheValue() throws Exception {
        var r = jgrad("spiral", "--epochs", "abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("spiral: --epochs expects a whole number, got 'abc'\n").contains("jgrad spiral --help");
        assertThat(jgrad("spiral", "--lr", "fast").err()).startsWith("spiral: --lr expects a number, got 'fast'\n");
        assertThat(jgrad("spiral", "--lr", "Infinity").err()).startsWith("spiral: --lr expects a finite number, got 'Infinity'\n");
        assertThat(jgrad("regions", "--seed", "1.5").err()).startsWith("regions: --seed expects a whole number, got '1.5'\n");
        assertThat(jgrad("hello", "--epochs", "3000000000").err()).startsWith("hello: --epochs is out of range: 3000000000\n");
        assertThat(jgrad("spiral", "--epochs").err()).startsWith("spiral: --epochs needs a value\n");
        assertThat(jgrad("spiral", "extra").err()).startsWith("spiral: unexpected argument 'extra'\n");
        assertThat(jgrad("gpt", "--corpus", "shakespeare", "--steps", "0").err()).startsWith("gpt: --steps expects a positive whole number, got 0\n");
        // the checks an example makes itself: exit code 2 and its one line, no stack trace
        var zero = jgrad("spiral", "--hidden", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("spiral: --hidden must be at least 1, got 0\n");
    }

    @Test
    void anExampleRunsWithItsOptions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var r = jgrad("convgeometry", "--out=" + dir);
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("wrote " + dir.resolve("convgeometry.png"));
        assertThat(jgrad("autodiff").code()).isEqualTo(0);
        assertThat(jgrad("autodiff", "--out", "x").err()).startsWith("autodiff: unknown option '--out'\n");
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertThat(Cli.distance("trian", "train")).isEqualTo(1);
        assertThat(Cli.distance("train", "train")).isZero();
        assertThat(Cli.distance("gan", "trian")).isEqualTo(3);
        assertThat(Cli.nearest("trian", List.of("gan", "train", "siamese", "rbm"))).containsExactly("train");
        assertThat(Cli.nearest("--ep", List.of("--epochs", "--lr"))).containsExactly("--epochs");
        assertThat(Cli.nearest("qqqq", List.of("gan", "train"))).isEmpty();
    }
}
