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
                        Main.summary(e.help()).substring(0, 20)));
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
                .hasMessageStartingWith("train: unknown option '--no-progres'\nDid you mean: --no-progress?\ntrain [--model mlp|cnn]");
    }

    @Test
    void theOtherExamplesHaveHelpAndStillRefuseUnknownOptions() throws Exception {
        var help = jgrad("spiral", "--help");
        assertThat(help.code()).isEqualTo(0);
        assertThat(help.out()).startsWith("Usage: jgrad spiral [-h] [--option value ...]").contains("--per-class N", "3-arm spiral");
        var unknown = jgrad("spiral", "--bogus", "1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("spiral: unknown option(s) [bogus]\n");
        // options still reach the example's own parser, in order
        assertThat(jgrad("spiral", "--epochs", "x").err()).isEqualTo("spiral: --epochs expects a whole number, got 'x'\n");
        assertThat(jgrad("spiral", "--epochs").err()).isEqualTo("spiral: expected options as --name value, got '--epochs'\n");
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
