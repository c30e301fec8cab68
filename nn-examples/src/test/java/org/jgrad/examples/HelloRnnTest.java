package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HelloRnnTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void learnsToPredictElloFromHell(long seed) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = HelloRnn.run(new PrintStream(buf, true, StandardCharsets.UTF_8), 500, seed, 8);
        assertThat(r.predicted()).isEqualTo("ello");
        int[] targets = {1, 2, 2, 3};   // e, l, l, o in {h, e, l, o}
        for (int t = 0; t < 4; t++) {
            assertThat(r.probabilities()[t][targets[t]]).isGreaterThan((float) HelloRnn.TARGET_PROBABILITY);
            float sum = 0;
            for (float p : r.probabilities()[t]) sum += p;
            assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("the network predicts ello from hell", "P(h)");
    }

    @Test
    void optionsAreParsedAndTyposRefused() {
        var r = HelloRnn.main(new String[] {"--epochs", "2", "--seed", "5"}, new PrintStream(new ByteArrayOutputStream()));
        assertThat(r.epochs()).isEqualTo(2);
        assertThatThrownBy(() -> HelloRnn.main(new String[] {"--epoch", "2"}, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hello: unknown option '--epoch'");
        assertThatThrownBy(() -> HelloRnn.main(new String[] {"--epochs", "x"}, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hello: --epochs expects a whole number, got 'x'");
    }
}
