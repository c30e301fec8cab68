package org.jgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SparkMain's command line: {@code --spark MASTER} parsed by picocli with the main job's options. Nothing is trained here. */
class SparkMainTest {

    @Test
    void sparkIsAnOptionBesideTheMainJobs() {
        var job = SparkMain.parse("train", "--model", "cnn", "--spark", "local[2]", "--epochs", "2");
        assertThat(job.master()).isEqualTo("local[2]");
        assertThat(job.options().model()).isEqualTo("cnn");
        assertThat(job.options().epochs()).isEqualTo(2);
        // shards of 32 on Spark unless given, in either form
        assertThat(job.options().shardSize()).isEqualTo(32);
        assertThat(SparkMain.parse("--spark=local[1]", "--shard-size", "64").options().shardSize()).isEqualTo(64);
        assertThat(SparkMain.parse("--spark", "cluster", "--shard-size=16").options().shardSize()).isEqualTo(16);
    }

    @Test
    void badCommandLinesAreRefusedInOneLine() {
        assertThatThrownBy(() -> SparkMain.parse("train", "--epochs", "2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("SparkMain: expected --spark MASTER (e.g. local[2])");
        assertThatThrownBy(() -> SparkMain.parse("--spark"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("train: --spark needs a value");
        assertThatThrownBy(() -> SparkMain.parse("--sprak", "local[2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("train: unknown option '--sprak'\nDid you mean: --spark?\n")
                .hasMessageContaining("[--spark=MASTER]");
        assertThatThrownBy(() -> SparkMain.parse("--spark", "local[2]", "--epochs", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("train: --epochs expects a whole number, got 'x'");
    }
}
