package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsPlainAndGzipped() throws IOException {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 255, 7, 9}, 2, 3);
        Path plain = dir.resolve("a-idx3-ubyte");
        Idx.write(plain, t);
        assertThat(Idx.read(plain).shape()).containsExactly(2, 3);
        assertThat(Idx.read(plain).toArray()).containsExactly(t.toArray());
        Path gz = dir.resolve("a.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        assertThat(Idx.read(gz).toArray()).containsExactly(t.toArray());
    }

    @Test
    void refusesTruncatedForeignAndOddFilesNamingThem() throws IOException {
        Path good = dir.resolve("good");
        Idx.write(good, Tensor.ones(4, 5));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Idx.read(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated").hasMessageContaining(truncated.toString()).hasMessageContaining("[4, 5]");
        Path trailing = dir.resolve("trailing");
        Files.write(trailing, Arrays.copyOf(bytes, bytes.length + 2));
        assertThatThrownBy(() -> Idx.read(trailing)).hasMessageContaining("trailing bytes");
        Path magic = dir.resolve("magic");
        byte[] wrong = bytes.clone();
        wrong[0] = 0x50;
        Files.write(magic, wrong);
        assertThatThrownBy(() -> Idx.read(magic)).hasMessageContaining("not an IDX file").hasMessageContaining("magic");
        Path type = dir.resolve("type");
        byte[] floats = bytes.clone();
        floats[2] = 0x0D;
        Files.write(type, floats);
        assertThatThrownBy(() -> Idx.read(type)).hasMessageContaining("value type 0x0d is not supported");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {0, 0});
        assertThatThrownBy(() -> Idx.read(tiny)).hasMessageContaining("only 2 bytes");
    }

    @Test
    void csvReadsFeaturesAndLabel() throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,4,1\n");
        TensorDataset ds = Csv.read(csv, true, -1);
        assertThat(ds.features().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
        Files.writeString(csv, "1,2,0\n3,x,1\n");
        assertThatThrownBy(() -> Csv.read(csv, false, 2)).hasMessageContaining("line 2, column 2: 'x' is not a number");
    }
}
