package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptExampleTest {

    @Test
    void learnsNamesSamplesNewOnesAndPlotsBesideTheLstm(@TempDir Path dir) throws Exception {
        var names = NameGenerator.loadNames();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var c = new GptExample.Config(32, 2, 4, 6, 0.005f, 32, 3);
        var r = GptExample.run(new PrintStream(buf, true, StandardCharsets.UTF_8), names, c, 30, 0.9, 10, dir);
        String text = buf.toString(StandardCharsets.UTF_8);

        assertThat(r.losses()).hasSize(6);
        assertThat(r.losses().get(0)).isLessThan(3.4f);                      // ln 27 ≈ 3.30 at the start
        assertThat(r.loss()).isLessThan(r.losses().get(0) - 0.5f).isLessThan(2.4f);
        assertThat(r.samples()).hasSize(30).allMatch(s -> s.matches("[a-z]{1,11}"));
        var known = new HashSet<>(names);
        assertThat(r.novel()).isEqualTo((int) r.samples().stream().filter(s -> !known.contains(s)).count()).isBetween(1, 29);
        assertThat(text).contains(r.novel() + " of 30 samples are new names").contains(r.parameters() + " parameters");

        // the LSTM beside it: a similar size, the same epochs, the gap printed
        assertThat(r.lstmLosses()).hasSize(6);
        assertThat(Math.abs(r.lstmParameters() - r.parameters())).isLessThan(r.parameters() / 20);
        assertThat(text).containsPattern(r.loss() <= r.lstmLosses().get(5) ? "reaches the LSTM's loss" : "does not reach the LSTM's loss: \\d\\.\\d{4} higher");
        assertThat(r.plot()).isEqualTo(dir.resolve("gpt_vs_lstm_loss.png"));
        assertThat(Files.size(r.plot())).isGreaterThan(10_000);
    }

    @Test
    void parameterCountIsTheSumOfTheParameterSizes() {
        var m = new GptExample.Gpt(27, 12, 48, 2, 4, new SplittableRandom(0));
        long sum = 0;
        for (Tensor p : m.parameters()) sum += p.numel();
        assertThat(m.numParameters()).isEqualTo(sum);
        // by hand: embeddings, per layer attention (4 d² + 4 d), feed-forward (8 d² + 5 d) and two norms (4 d), ln_f, head
        int d = 48;
        long perLayer = 4L * d * d + 4 * d + 8L * d * d + 5 * d + 4 * d;
        assertThat(sum).isEqualTo(27 * d + 12 * d + 2 * perLayer + 2 * d + d * 27 + 27).isEqualTo(59_835);
        assertThat(m.namedParameters().keySet()).contains("tok_emb.weight", "pos_emb.weight", "layers.0.self_attn.in_proj_weight",
                "layers.1.linear2.bias", "ln_f.weight", "head.weight");
        // the LSTM of the comparison is sized to match
        int h = NameGenerator.CharLstm.hiddenFor(sum, 27, NameGenerator.EMBEDDING);
        assertThat(h).isEqualTo(110);
    }

    @Test
    void memorisedLossIsTheEntropyOfTheNextCharacterGivenThePrefix() {
        // "ab." and "ac.": after "" always 'a' (0), after "a" 'b' or 'c' (2 ln 2), then '.' (0); 6 tokens
        assertThat(GptExample.memorisedLoss(List.of("ab", "ac"))).isCloseTo(2 * Math.log(2) / 6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(GptExample.memorisedLoss(NameGenerator.loadNames())).isBetween(0.8, 0.9);
    }

    @Test
    void isCausalAPrefixGivesTheSameLogits() {
        var m = new GptExample.Gpt(27, 12, 32, 2, 4, new SplittableRandom(1));
        m.eval();
        Tensor full = m.forward(Tensor.of(new float[] {0, 5, 13, 13, 1, 0, 0, 0}, 1, 8));
        Tensor prefix = m.forward(Tensor.of(new float[] {0, 5, 13}, 1, 3));
        float[] a = full.toArray(), b = prefix.toArray();
        for (int i = 0; i < b.length; i++) assertThat(a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void sameLossesOnOneAndTwoThreads() throws Exception {
        assertThat(losses(2)).isEqualTo(losses(1));
    }

    @Test
    void shakespeareLoadsAsItsSortedCharacters() {
        var c = CharCorpus.shakespeare();
        assertThat(c.tokens()).hasSize(300_360);
        assertThat(c.split()).isEqualTo(270_324);                                 // the last 10 % held out
        assertThat(c.vocabulary()).hasSize(62).startsWith("\n !").contains("ABCDEFGHIJKLMNOPQRSTUVWYZ", "abcdefghijklmnopqrstuvwxyz");
        assertThat(c.vocabulary().chars().toArray()).isSorted().doesNotHaveDuplicates();
        String text = c.decode(c.tokens());
        assertThat(text).startsWith("First Citizen:\nBefore we proceed any further, hear me speak.")
                .endsWith("These letters will resolve him of my mind. Farewell.\n");
        assertThat(text.lines().count()).isEqualTo(11_132);
    }

    @Test
    void windowsPredictTheNextCharacterAndValidationCoversTheTail() {
        var c = CharCorpus.of("abc", "abcabcabcabcabcabcabcabcabcabc", 0.2);   // 30 characters, the last 6 held out
        assertThat(c.vocabulary()).isEqualTo("abc");
        assertThat(c.split()).isEqualTo(24);
        var b = c.trainingBatch(new SplittableRandom(0), 5, 4);
        float[] in = b.input().toArray(), target = b.target().toArray();
        for (int i = 0; i < in.length; i++) assertThat(target[i]).isEqualTo((in[i] + 1) % 3);
        assertThat(b.tokens()).isEqualTo(20);
        var v = c.validationBatches(2, 2);                                        // windows at 24, 26 (28 has no next character after 29)
        assertThat(v).hasSize(1);
        assertThat(v.get(0).input().toArray()).containsExactly(0, 1, 2, 0);
        assertThat(v.get(0).target().toArray()).containsExactly(1, 2, 0, 1);
        assertThat(c.validationBatches(2, 6)).isEmpty();
    }

    @Test
    void learnsShakespeareBesideAnLstmOfTheSameSize(@TempDir Path dir) throws Exception {
        var corpus = CharCorpus.shakespeare();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var c = new GptExample.TextConfig(16, 32, 1, 4, 40, 20, 16, 0.01f, 0.01f, 3, false);
        var r = GptExample.runText(new PrintStream(buf, true, StandardCharsets.UTF_8), corpus, c, 120, 0.8, 10, dir);
        String text = buf.toString(StandardCharsets.UTF_8);

        assertThat(r.steps()).containsExactly(20, 40);
        for (var m : List.of(r.gpt(), r.lstm())) {
            assertThat(m.train()).hasSize(2);
            assertThat(m.validation()).hasSize(2);
            assertThat(m.train().get(0)).isLessThan(4.2f);                     // ln 62 ≈ 4.13 at the start
            assertThat(m.validation().get(1)).isLessThan(m.validation().get(0) - 0.1f).isLessThan(3.4f);
            assertThat(m.sample()).hasSize(120);
            assertThat(m.sample().chars().allMatch(ch -> corpus.vocabulary().indexOf(ch) >= 0)).isTrue();
        }
        assertThat(Math.abs(r.lstm().parameters() - r.gpt().parameters())).isLessThan(r.gpt().parameters() / 30);
        assertThat(text).contains(r.gpt().parameters() + " parameters", r.lstm().parameters() + " parameters", r.gpt().sample(), r.lstm().sample())
                .containsPattern("reaches the LSTM's validation loss|does not reach the LSTM's validation loss: \\d\\.\\d{4} higher");
        assertThat(r.plot()).isEqualTo(dir.resolve("gpt_vs_lstm_shakespeare.png"));
        assertThat(Files.size(r.plot())).isGreaterThan(10_000);
    }

    /** Sinusoidal positions: no position parameters (context · dModel fewer), and it still learns. */
    @Test
    void sinusoidalPositionsLearnWithoutPositionParameters(@TempDir Path dir) throws Exception {
        var corpus = CharCorpus.shakespeare();
        var out = new PrintStream(OutputStream.nullOutputStream());
        var learned = GptExample.runText(out, corpus, new GptExample.TextConfig(16, 32, 1, 4, 40, 20, 16, 0.01f, 0.01f, 3, false), 20, 0.8, 10, dir);
        var fixed = GptExample.runText(out, corpus, new GptExample.TextConfig(16, 32, 1, 4, 40, 20, 16, 0.01f, 0.01f, 3, true), 20, 0.8, 10, dir);
        assertThat(learned.gpt().parameters() - fixed.gpt().parameters()).isEqualTo(16 * 32);
        assertThat(fixed.gpt().validation().get(1)).isLessThan(fixed.gpt().validation().get(0) - 0.1f).isLessThan(3.4f);
        assertThatThrownBy(() -> GptExample.main(new String[] {"--corpus", "shakespeare", "--positions", "rotary"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gpt: --positions expects learned or sinusoidal, got 'rotary'");
    }

    @Test
    void shakespeareRunIsTheSameOnOneAndTwoThreads(@TempDir Path dir) throws Exception {
        assertThat(textRun(2, dir)).isEqualTo(textRun(1, dir));
    }

    @Test
    void badCorpusOrStepsAreRefusedByName() {
        assertThatThrownBy(() -> GptExample.main(new String[] {"--corpus", "hamlet"}, new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gpt: --corpus expects names or shakespeare, got 'hamlet'");
        assertThatThrownBy(() -> GptExample.main(new String[] {"--corpus", "shakespeare", "--steps", "0"},
                new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gpt: --steps expects a positive whole number, got 0");
        assertThatThrownBy(() -> GptExample.main(new String[] {"--corpus", "shakespeare", "--epochs", "3"},
                new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gpt: --epochs is an option of --corpus names only");
        assertThatThrownBy(() -> GptExample.main(new String[] {"--corpus", "shakespeare", "--heads", "5"},
                new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gpt: --d-model 64 must be divisible by --heads 5");
    }

    /** Losses and samples of a short text run on {@code threads} threads. */
    private static List<Object> textRun(int threads, Path dir) throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            var c = new GptExample.TextConfig(32, 32, 2, 4, 6, 3, 32, 0.01f, 0.01f, 5, false);
            var all = CharCorpus.shakespeare();
            var head = CharCorpus.of("shakespeare", all.decode(java.util.Arrays.copyOf(all.tokens(), 20_000)), 0.1);   // a short validation
            var r = GptExample.runText(new PrintStream(OutputStream.nullOutputStream()), head, c, 40, 0.8, 10, dir);
            return List.of(r.gpt().train(), r.gpt().validation(), r.gpt().sample(), r.lstm().train(), r.lstm().validation(), r.lstm().sample());
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static List<Float> losses(int threads) throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            var names = NameGenerator.loadNames().subList(0, 128);
            var c = new GptExample.Config(32, 2, 4, 2, 0.005f, 64, 5);
            var r = GptExample.run(new PrintStream(OutputStream.nullOutputStream()), names, c, 3, 0.9, 10, null);
            assertThat(r.samples()).hasSize(3);
            return r.losses();
        } finally {
            Parallel.setThreads(before);
        }
    }
}
