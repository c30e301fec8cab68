package org.jgrad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class NameGeneratorTest {

    @Test
    void shipsAPlainNamesList() {
        var names = NameGenerator.loadNames();
        assertThat(names).hasSizeGreaterThan(300).doesNotHaveDuplicates().contains("emma", "james");
    }

    @Test
    void learnsLetterStatisticsAndCountsNewNames() {
        var names = NameGenerator.loadNames();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var r = NameGenerator.run(new PrintStream(buf, true, StandardCharsets.UTF_8), names, 12, 3, 30, 0.9, 32);
        assertThat(r.loss()).isLessThan(2.4f);   // uniform over 27 symbols is ln 27 ≈ 3.30
        assertThat(r.samples()).hasSize(30).allMatch(s -> s.matches("[a-z]{0,20}"));
        var known = new HashSet<>(names);
        assertThat(r.novel()).isEqualTo((int) r.samples().stream().filter(s -> !known.contains(s)).count());
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains(r.novel() + " of 30 samples are new names");
    }
}
