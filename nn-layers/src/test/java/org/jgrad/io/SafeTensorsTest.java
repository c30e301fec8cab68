package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.jgrad.io.TestFiles.f32;
import static org.jgrad.io.TestFiles.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private static final String GOOD_JSON =
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}";
    private static final byte[] GOOD_DATA = f32(1, 2, 3, 4, 5, 6, 7, 8);

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("t.safetensors"), bytes);
    }

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws IOException {
        var rng = new SplittableRandom(1);
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("z.weight", Tensor.randn(rng, 3, 4));
        in.put("a", Tensor.of(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE}));
        in.put("scalar", Tensor.scalar(2.5f));
        in.put("empty", Tensor.zeros(0, 5));
        in.put("big", Tensor.randn(rng, 700, 1000));                    // several read/write chunks
        Path p = dir.resolve("rt.safetensors");
        SafeTensors.write(p, in, Map.of("format", "pt", "note", "ünïcödé"));

        var c = SafeTensors.read(p);
        assertThat(c.tensors().keySet()).containsExactly("z.weight", "a", "scalar", "empty", "big");
        assertThat(c.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "note", "ünïcödé"));
        for (var e : in.entrySet()) {
            Tensor t = c.tensors().get(e.getKey());
            assertThat(t.shape()).isEqualTo(e.getValue().shape());
            for (int i = 0; i < t.numel(); i++) {
                assertThat(Float.floatToRawIntBits(t.data()[i])).isEqualTo(Float.floatToRawIntBits(e.getValue().data()[i]));
            }
        }
    }

    @Test
    void writesTheReferenceLayout() throws IOException {
        Path p = dir.resolve("l.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.of(new float[] {1, 2}, 2)), Map.of());
        byte[] b = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header.strip()).isEqualTo("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        assertThat(Arrays.copyOfRange(b, 8 + (int) n, b.length)).isEqualTo(f32(1, 2));
        assertThat(b.length).isEqualTo(8 + n + 8);
    }

    @Test
    void readsAHandMadeFile() throws IOException {
        var c = SafeTensors.read(file(raw(GOOD_JSON, GOOD_DATA)));
        assertThat(c.tensors().get("a").toArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(c.tensors().get("b").toArray()).containsExactly(7, 8);
        assertThat(c.metadata()).isEmpty();
    }

    @Test
    void convertsOtherDtypes() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 + 8 + 4 + 3 + 2).order(ByteOrder.LITTLE_ENDIAN);
        d.putDouble(0.1).putLong(-3).putInt(1 << 24).put((byte) 255).put((byte) 0).put((byte) 7).put((byte) 1).put((byte) -1);
        String json = "{\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[16,20]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[20,23]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[23,24]},"
                + "\"s\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[24,25]}}";
        var t = SafeTensors.read(file(raw(json, d.array()))).tensors();
        assertThat(t.get("d").shape()).isEmpty();
        assertThat(t.get("d").item()).isEqualTo(0.1f);
        assertThat(t.get("l").item()).isEqualTo(-3f);
        assertThat(t.get("i").item()).isEqualTo(16777216f);
        assertThat(t.get("u").toArray()).containsExactly(255, 0, 7);
        assertThat(t.get("b").item()).isEqualTo(1f);
        assertThat(t.get("s").item()).isEqualTo(-1f);
    }

    // ---------------------------------------------------------------- refused files

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        bad JSON           | {"a":{"dtype":"F32","shape":[2,3],                                         | not valid JSON
        not an object      | [1,2,3]                                                                    | must be a JSON object
        empty header       | '  '                                                                       | must be a JSON object
        trailing tokens    | {} {}                                                                      | not valid JSON
        duplicate name     | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} | Duplicate field 'a'
        unknown dtype      | {"a":{"dtype":"Q4","shape":[8],"data_offsets":[0,32]}}                     | unknown dtype "Q4"
        dtype not a string | {"a":{"dtype":4,"shape":[8],"data_offsets":[0,32]}}                        | unknown dtype 4
        negative shape     | {"a":{"dtype":"F32","shape":[-1,8],"data_offsets":[0,32]}}                 | dimensions must be integers
        fractional shape   | {"a":{"dtype":"F32","shape":[8.0],"data_offsets":[0,32]}}                  | dimensions must be integers
        dimension > int    | {"a":{"dtype":"F32","shape":[2147483648],"data_offsets":[0,32]}}           | dimensions must be integers
        product overflows  | {"a":{"dtype":"F32","shape":[2147483647,2147483647,2147483647,2147483647],"data_offsets":[0,32]}} | but data_offsets [0,32] hold 32 bytes
        size mismatch      | {"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,32]}}                  | (24 bytes) but data_offsets [0,32] hold 32 bytes
        out of range       | {"a":{"dtype":"F32","shape":[10],"data_offsets":[0,40]}}                   | beyond the data region (32 bytes)
        huge offset        | {"a":{"dtype":"F32","shape":[2],"data_offsets":[99999999999999999999,8]}}  | data_offsets must be two integers
        begin after end    | {"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}                     | need 0 ≤ begin ≤ end
        overlap            | {"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24]},"b":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}} | tensor 'b' [16, 32) overlaps tensor 'a' [0, 24)
        gap                | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}} | 16 unused bytes at data offset 8
        trailing data      | {"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}                    | 8 trailing bytes after the last tensor
        missing field      | {"a":{"dtype":"F32","shape":[8]}}                                          | needs dtype, shape and data_offsets
        unknown field      | {"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32],"x":1}}              | unknown field 'x'
        metadata not text  | {"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}} | __metadata__ entry 'k' must be a string
        """)
    void refusesBadHeaders(String problem, String json, String message) throws IOException {
        Path p = file(raw(json, GOOD_DATA));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString())
                .hasMessageContaining(message);
    }

    /** Jackson guesses UTF-16 or UTF-32 from zero bytes: such headers loaded, or threw a CharConversionException without the path. */
    @Test
    void refusesHeadersThatAreNotUtf8() throws IOException {
        byte[][] headers = {
            {0, 0, 0, '{', 0, 0, 0, '}'},                                      // UTF-32BE
            {'{', 0, 0, 0, '}', 0, 0, 0},                                      // UTF-32LE
            {0, '{', 0, 0, 0, '}', 0, 0},                                      // "UCS-4 3412"
            {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'},                        // UTF-16BE with its BOM
            {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},                        // UTF-16LE with its BOM
            {'{', 0, '}', 0},                                                  // UTF-16LE
        };
        for (byte[] h : headers) {
            Path p = file(raw(h.length, h, new byte[0]));
            assertThatThrownBy(() -> SafeTensors.read(p)).as(Arrays.toString(h)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(p.toString()).hasMessageContaining("not UTF-8");
        }
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};        // a UTF-8 byte order mark is skipped, as before
        assertThat(SafeTensors.read(file(raw(bom.length, bom, new byte[0]))).tensors()).isEmpty();
    }

    @Test
    void refusesHeaderLengthBeyondTheFile() throws IOException {
        byte[] h = GOOD_JSON.getBytes(StandardCharsets.UTF_8);
        Path p = file(raw(h.length + GOOD_DATA.length + 1, h, GOOD_DATA));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageContaining("runs past the end of the file");
        Path huge = file(raw(-1L, h, GOOD_DATA));                          // 2⁶⁴ − 1 unsigned
        assertThatThrownBy(() -> SafeTensors.read(huge)).isInstanceOf(IOException.class)
                .hasMessageContaining("declared header length 18446744073709551615 exceeds the limit");
        Path big = file(raw(SafeTensors.MAX_HEADER_BYTES + 1, h, GOOD_DATA));
        assertThatThrownBy(() -> SafeTensors.read(big)).isInstanceOf(IOException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void refusesEveryTruncation() throws IOException {
        byte[] good = raw(GOOD_JSON, GOOD_DATA);
        for (int len = 0; len < good.length; len++) {
            Path p = file(Arrays.copyOf(good, len));
            assertThatThrownBy(() -> SafeTensors.read(p)).as("truncated to %d bytes", len).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(p.toString());
        }
    }

    @Test
    void flippedHeaderBytesAreRefusedOrReadNeverAnythingElse() throws IOException {
        byte[] good = raw(GOOD_JSON, GOOD_DATA);
        var rng = new SplittableRandom(7);
        int refused = 0;
        for (int pos = 0; pos < 8 + GOOD_JSON.length(); pos++) {
            for (int bit : new int[] {0, 1 + rng.nextInt(7)}) {
                byte[] bad = good.clone();
                bad[pos] ^= (byte) (1 << bit);
                Path p = file(bad);
                try {
                    SafeTensors.read(p);
                } catch (IOException e) {
                    assertThat(e.getMessage()).startsWith(p.toString());
                    refused++;
                } catch (Throwable t) {
                    fail("flipping bit " + bit + " of byte " + pos + " threw " + t);
                }
            }
        }
        assertThat(refused).isGreaterThan(8 + GOOD_JSON.length());
    }

    // ---------------------------------------------------------------- limits, checked while parsing

    /** {"t0":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},...}: n tensors that need no data. */
    private static String emptyTensors(int n) {
        StringBuilder b = new StringBuilder(n * 56).append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(',');
            b.append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        return b.append('}').toString();
    }

    /** A 94 MiB file of 1.67 M such tensors exhausted a 1 GiB heap (a JsonNode tree of it all). */
    @Test
    void refusesMoreTensorsThanTheLimit() throws IOException {
        Path p = file(raw(emptyTensors(262_145), new byte[0]));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString())
                .hasMessageContaining("tensor 't262144'").hasMessageContaining("more than 262144 tensors");
        var c = SafeTensors.read(file(raw(emptyTensors(262_144), new byte[0])));
        assertThat(c.tensors()).hasSize(262_144);
        assertThat(c.tensors().get("t262143").shape()).containsExactly(0);
    }

    /** A shape of 49.5 M ones exhausted a 256 MiB heap. */
    @Test
    void refusesARankAboveTheLimit() throws IOException {
        String ones64 = "1" + ",1".repeat(63);
        var c = SafeTensors.read(file(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + ones64 + "],\"data_offsets\":[0,4]}}", f32(5))));
        assertThat(c.tensors().get("a").shape()).hasSize(64);
        assertThat(c.tensors().get("a").item()).isEqualTo(5f);
        Path p = file(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + ones64 + ",1],\"data_offsets\":[0,4]}}", f32(5)));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString())
                .hasMessageContaining("tensor 'a'").hasMessageContaining("more than 64 dimensions");
    }

    private static String metadata(int entries, String value) {
        StringBuilder b = new StringBuilder("{\"__metadata__\":{");
        for (int i = 0; i < entries; i++) {
            if (i > 0) b.append(',');
            b.append("\"k").append(i).append("\":\"").append(value).append('"');
        }
        return b.append("}}").toString();
    }

    /** A 94 MiB file of 7.15 M metadata entries exhausted a 1 GiB heap. */
    @Test
    void refusesMoreMetadataEntriesThanTheLimit() throws IOException {
        assertThat(SafeTensors.read(file(raw(metadata(65_536, ""), new byte[0]))).metadata()).hasSize(65_536);
        Path p = file(raw(metadata(65_537, ""), new byte[0]));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString())
                .hasMessageContaining("__metadata__ entry 'k65536'").hasMessageContaining("more than 65536 entries");
    }

    @Test
    void refusesMoreMetadataTextThanTheLimit() throws IOException {
        String nine = "x".repeat(9 << 20);                    // two of these: 18 Mi characters
        Path p = file(raw(metadata(2, nine), new byte[0]));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageStartingWith(p.toString())
                .hasMessageContaining("__metadata__ entry 'k1'").hasMessageContaining("more than 16777216 characters");
        assertThat(SafeTensors.read(file(raw(metadata(1, nine), new byte[0]))).metadata().get("k0")).hasSize(9 << 20);
        Path one = file(raw(metadata(1, "y".repeat((1 << 24) + 1)), new byte[0]));     // one string over the limit: the parser stops
        assertThatThrownBy(() -> SafeTensors.read(one)).isInstanceOf(IOException.class).hasMessageStartingWith(one.toString())
                .hasMessageContaining("/__metadata__/k0").hasMessageContaining("16777216");
    }

    @Test
    void writeRefusesWhatReadWouldRefuse() {
        int[] ones = new int[65];
        Arrays.fill(ones, 1);
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("r"), Map.of("a", Tensor.zeros(ones)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 'a' has 65 dimensions, more than the 64");
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i <= 65_536; i++) meta.put("k" + i, "");
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("m"), Map.of(), meta))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65537 metadata entries, more than the 65536");
        assertThat(dir.resolve("r")).doesNotExist();
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path p = dir.resolve("nope.safetensors");
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(IOException.class).hasMessageContaining(p.toString());
    }

    @Test
    void refusesTheReservedName() {
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x"), Map.of("__metadata__", Tensor.ones(1)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'__metadata__' is reserved");
    }

    @Test
    void readsThePyTorchFiles() throws IOException {
        var c = SafeTensors.read(TestFiles.resource("mlp_f32.safetensors"));
        assertThat(c.tensors().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(c.tensors().get("0.weight").shape()).containsExactly(8, 4);
        assertThat(c.metadata()).containsEntry("format", "pt");
    }
}
