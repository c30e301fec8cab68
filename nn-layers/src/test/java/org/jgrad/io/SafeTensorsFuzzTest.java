package org.jgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random files for {@link SafeTensors#read}: valid files of every dtype, then truncated,
 * bit-flipped, with random edits of the header JSON, forged header lengths, and huge declared
 * shapes, offsets and counts. Each case must either load (and then be self-consistent) or be
 * refused with an {@link IOException} naming the file, as the class documents: never an
 * {@link OutOfMemoryError}, never another exception. The build runs this class in its own JVM
 * with {@code -Xmx256m} (surefire execution {@code fuzz} in nn-layers/pom.xml), so a forged size
 * that makes the reader allocate shows up as an OutOfMemoryError here.
 *
 * <p>A failure prints the seed and case number; {@link #dump} writes that one file to look at.
 */
class SafeTensorsFuzzTest {

    private static final long SEED = 0x5afe_7e45_0125L;
    private static final int CASES = 4000;
    private static final String[] DTYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"};
    private static final int[] BYTES = {8, 4, 2, 2, 8, 4, 2, 1, 1, 1};
    private static final String[] NUMBERS = {
        "0", "1", "-1", "7", "2147483647", "2147483648", "4294967296", "9007199254740993", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "1e308", "1.5", "-0", "0.0", "1E2",
        "4611686018427387904", "65", "64"
    };
    private static final String[] VALUES = {
        "null", "true", "[]", "{}", "\"\"", "\"F32\"", "\"Q4\"", "\"__metadata__\"", "[0]", "[[1]]", "[0,0,0]", "{\"a\":1}",
        "[2147483647,2147483647]", "[0,9223372036854775807]", "[-1]", "\"\\u0000\"", "\"\\ud800\"", "{\"dtype\":\"F32\"}"
    };

    @TempDir
    Path dir;

    /** A valid file: its bytes, and what reading it must give. */
    record Valid(byte[] bytes, Map<String, int[]> shapes, Map<String, String> metadata) {}

    /** A random valid file: 0–5 tensors of random dtypes and shapes (rank 0–4, dims 0–5), data in shuffled order. */
    static Valid validFile(SplittableRandom rng) {
        int k = rng.nextInt(6);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<Integer> dtypes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int[] shape = new int[rng.nextInt(5)];
            for (int d = 0; d < shape.length; d++) shape[d] = rng.nextInt(rng.nextInt(8) == 0 ? 1 : 6);
            String name = rng.nextBoolean() ? "layer" + i + ".weight" : "t" + i + "ü";
            shapes.put(name, shape);
            names.add(name);
            dtypes.add(rng.nextInt(DTYPES.length));
        }
        Integer[] order = new Integer[k];                         // data order differs from header order
        for (int i = 0; i < k; i++) order[i] = i;
        for (int i = k - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        long[] begin = new long[k], end = new long[k];
        long off = 0;
        for (int i : order) {
            long n = 1;
            for (int d : shapes.get(names.get(i))) n *= d;
            begin[i] = off;
            off += n * BYTES[dtypes.get(i)];
            end[i] = off;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        StringBuilder json = new StringBuilder("{");
        if (rng.nextBoolean()) {
            int m = rng.nextInt(4);
            for (int i = 0; i < m; i++) meta.put("key" + i, "value \"" + i + "\" é");
            json.append("\"__metadata__\":{");
            int i = 0;
            for (var e : meta.entrySet()) {
                json.append(i++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":\"").append(e.getValue().replace("\"", "\\\"")).append('"');
            }
            json.append("}");
        }
        for (int i = 0; i < k; i++) {
            if (json.length() > 1) json.append(',');
            json.append('"').append(names.get(i)).append("\":{\"dtype\":\"").append(DTYPES[dtypes.get(i)]).append("\",\"shape\":")
                    .append(Arrays.toString(shapes.get(names.get(i))).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(begin[i]).append(',').append(end[i]).append("]}");
        }
        json.append('}');
        while (rng.nextBoolean() && json.length() % 8 != 0) json.append(' ');
        byte[] data = new byte[(int) off];
        rng.nextBytes(data);
        return new Valid(TestFiles.raw(json.toString(), data), shapes, meta);
    }

    /** One case: a file and what was done to it. Unchanged files must read exactly. */
    record Case(byte[] bytes, String how, Valid expected) {}

    static Case fuzzCase(long seed, int i) {
        SplittableRandom rng = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * i);
        Valid v = validFile(rng);
        byte[] b = v.bytes();
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(b, 8 + (int) n, b.length);
        int kind = rng.nextInt(100);
        if (kind < 5) return new Case(b, "unchanged", v);
        if (kind < 20) {
            int len = rng.nextInt(b.length);
            return new Case(Arrays.copyOf(b, len), "truncated to " + len + " of " + b.length + " bytes", null);
        }
        if (kind < 40) {
            byte[] c = b.clone();
            int flips = 1 + rng.nextInt(4);
            StringBuilder how = new StringBuilder("flipped");
            for (int f = 0; f < flips; f++) {
                int pos = rng.nextInt(4) > 0 ? rng.nextInt((int) Math.min(c.length, 8 + n)) : rng.nextInt(c.length);
                int bit = rng.nextInt(8);
                c[pos] ^= (byte) (1 << bit);
                how.append(" bit ").append(bit).append(" of byte ").append(pos);
            }
            return new Case(c, how.toString(), null);
        }
        if (kind < 45) {
            byte[] c = b.clone();
            long forged = switch (rng.nextInt(6)) {
                case 0 -> rng.nextLong();
                case 1 -> n + 1 + rng.nextInt(16);
                case 2 -> Math.max(0, n - 1 - rng.nextInt(16));
                case 3 -> SafeTensors.MAX_HEADER_BYTES + rng.nextInt(2);
                case 4 -> Long.MAX_VALUE - rng.nextInt(2);
                default -> Integer.MAX_VALUE + (long) rng.nextInt(3) - 1;
            };
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(0, forged);
            return new Case(c, "header length " + Long.toUnsignedString(forged) + " instead of " + n, null);
        }
        if (kind < 48) {                                            // another encoding, which Jackson would guess from zero bytes
            String cs = new String[] {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE", "UTF-8"}[rng.nextInt(6)];
            byte[] h = json.getBytes(java.nio.charset.Charset.forName(cs));
            if (rng.nextBoolean()) {
                byte[][] boms = {{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE}, {0, 0, (byte) 0xFE, (byte) 0xFF}};
                byte[] bom = boms[rng.nextInt(boms.length)];
                byte[] c = new byte[bom.length + h.length];
                System.arraycopy(bom, 0, c, 0, bom.length);
                System.arraycopy(h, 0, c, bom.length, h.length);
                h = c;
                cs += " after a BOM " + Arrays.toString(bom);
            }
            return new Case(TestFiles.raw(h.length, h, data), "header in " + cs, null);
        }
        if (kind < 50) {
            byte[] extra = new byte[1 + rng.nextInt(64)];
            rng.nextBytes(extra);
            byte[] c = Arrays.copyOf(b, b.length + extra.length);
            System.arraycopy(extra, 0, c, b.length, extra.length);
            return new Case(c, extra.length + " bytes appended", null);
        }
        String edited;
        String how;
        if (kind < 85) {
            int edits = 1 + rng.nextInt(3);
            StringBuilder h = new StringBuilder();
            edited = json;
            for (int e = 0; e < edits; e++) {
                String[] r = editJson(edited, rng);
                edited = r[0];
                h.append(e > 0 ? "; " : "").append(r[1]);
            }
            how = h.toString();
        } else {
            String[] r = huge(json, rng);
            edited = r[0];
            how = r[1];
        }
        byte[] h = edited.getBytes(StandardCharsets.UTF_8);
        long declared = rng.nextInt(10) == 0 ? n : h.length;          // mostly a consistent length prefix
        return new Case(TestFiles.raw(declared, h, data), how + (declared != h.length ? " (length prefix kept at " + n + ")" : ""), null);
    }

    private static final String INSERTS = "{}[],:\"0 \\\u00e9\u0000";
    private static final Pattern TOKEN = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|\"(?:[^\"\\\\]|\\\\.)*\"|[\\[\\]{},:]");

    /** One random textual edit of the header: a token replaced, deleted or duplicated, or a character inserted. */
    static String[] editJson(String json, SplittableRandom rng) {
        List<int[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(json);
        while (m.find()) tokens.add(new int[] {m.start(), m.end()});
        if (tokens.isEmpty()) return new String[] {json + "}", "appended }"};
        int[] t = tokens.get(rng.nextInt(tokens.size()));
        String tok = json.substring(t[0], t[1]);
        String with = switch (rng.nextInt(6)) {
            case 0, 1 -> NUMBERS[rng.nextInt(NUMBERS.length)];
            case 2 -> VALUES[rng.nextInt(VALUES.length)];
            case 3 -> "";
            case 4 -> tok + (rng.nextBoolean() ? "," : "") + tok;
            default -> String.valueOf(INSERTS.charAt(rng.nextInt(INSERTS.length()))) + tok;
        };
        return new String[] {json.substring(0, t[0]) + with + json.substring(t[1]), "replaced '" + tok + "' at " + t[0] + " by '" + with + "'"};
    }

    /** Huge declared things: shapes of many dimensions or huge ones, huge offsets, many tensors or metadata entries. */
    static String[] huge(String json, SplittableRandom rng) {
        String body = json.strip();
        body = body.substring(1, body.length() - 1);
        String sep = body.isEmpty() ? "" : ",";
        switch (rng.nextInt(7)) {
            case 0 -> {
                int rank = new int[] {63, 64, 65, 200, 100_000}[rng.nextInt(5)];
                String shape = "[" + "1,".repeat(rank - 1) + "1]";
                return new String[] {"{\"big\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,4]}" + sep + body + "}",
                    "a tensor of rank " + rank};
            }
            case 1 -> {
                String dims = rng.nextBoolean() ? "[2147483647,2147483647,2147483647]" : "[65536,65536,65536,65536]";
                return new String[] {"{\"big\":{\"dtype\":\"U8\",\"shape\":" + dims + ",\"data_offsets\":[0,0]}" + sep + body + "}", "shape " + dims};
            }
            case 2 -> {
                String off = rng.nextBoolean() ? "[0,9223372036854775807]" : "[4611686018427387904,4611686018427387908]";
                return new String[] {"{\"big\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + off + "}" + sep + body + "}", "data_offsets " + off};
            }
            case 3 -> {
                int count = 1 + rng.nextInt(2000);                   // (the limits are fuzzed at scale below)
                StringBuilder b = new StringBuilder("{");
                for (int i = 0; i < count; i++) b.append("\"z").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},");
                return new String[] {b.append(body.isEmpty() ? "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}" : body).append('}').toString(),
                    count + " more empty tensors"};
            }
            case 4 -> {
                int count = 1 + rng.nextInt(2000);
                StringBuilder b = new StringBuilder("{\"__metadata__\":{");
                for (int i = 0; i < count; i++) b.append(i > 0 ? "," : "").append("\"m").append(i).append("\":\"v\"");
                return new String[] {b.append('}').append(sep).append(body.replaceFirst("\"__metadata__\":\\{[^}]*\\},?", "")).append('}').toString()
                        .replace(",}", "}"), count + " metadata entries"};
            }
            case 5 -> {
                int len = rng.nextInt(100_000);
                String meta = "{\"__metadata__\":{\"long\":\"" + "x".repeat(len) + "\"}";
                return new String[] {meta + (body.contains("__metadata__") ? "}" : sep + body + "}"), "a metadata value of " + len + " characters"};
            }
            default -> {
                int depth = 1 + rng.nextInt(5000);
                return new String[] {"{\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + sep + body + "}", "nested " + depth + " arrays deep"};
            }
        }
    }

    private int loaded, refused;
    private final List<String> failures = new ArrayList<>();

    private void check(Path p, Case c, String label) {
        try {
            var contents = SafeTensors.read(p);
            loaded++;
            for (var e : contents.tensors().entrySet()) {
                long numel = 1;
                for (int d : e.getValue().shape()) numel *= d;
                if (e.getValue().shape().length > SafeTensors.MAX_RANK || numel != e.getValue().numel() || numel != e.getValue().data().length) {
                    failures.add(label + " (" + c.how() + "): tensor '" + e.getKey() + "' loaded inconsistent: shape "
                            + Arrays.toString(e.getValue().shape()) + ", " + e.getValue().data().length + " values");
                }
            }
            if (c.expected() != null) {
                assertThat(contents.tensors().keySet()).as(label).containsExactlyElementsOf(c.expected().shapes().keySet());
                c.expected().shapes().forEach((k, s) -> assertThat(contents.tensors().get(k).shape()).as(label + " " + k).isEqualTo(s));
                assertThat(contents.metadata()).as(label).isEqualTo(c.expected().metadata());
            }
        } catch (IOException e) {
            refused++;
            if (e.getMessage() == null || !e.getMessage().startsWith(p.toString())) {
                failures.add(label + " (" + c.how() + "): refused without naming the file: " + e);
            }
            if (c.expected() != null) failures.add(label + " (" + c.how() + "): a valid file was refused: " + e.getMessage());
        } catch (Throwable t) {                                // OutOfMemoryError, AIOOBE, NPE, IllegalArgumentException...
            failures.add(label + " (" + c.how() + "): threw " + t);
        }
    }

    @Test
    void randomFilesLoadOrAreRefusedWithAnIOException(TestReporter reporter) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Case c = fuzzCase(SEED, i);
            Path p = Files.write(dir.resolve("case" + i + ".safetensors"), c.bytes());
            check(p, c, "seed " + Long.toHexString(SEED) + " case " + i);
            Files.delete(p);                                  // (a new name each time: truncating a file on ext4 flushes it)
            if (failures.size() > 20) break;
        }
        // the PyTorch-made files, truncated and flipped too
        int pytorch = 0;
        SplittableRandom rng = new SplittableRandom(SEED);
        for (String name : new String[] {"mlp_f32", "mlp_f16", "mlp_bf16", "mlp_f64", "cnn_f32", "bn_cnn", "bn_cnn_io"}) {
            byte[] good = Files.readAllBytes(TestFiles.resource(name + ".safetensors"));
            for (int j = 0; j < 100; j++) {
                byte[] c = j % 2 == 0 ? Arrays.copyOf(good, rng.nextInt(good.length)) : good.clone();
                if (j % 2 == 1) c[rng.nextInt(Math.min(c.length, 400))] ^= (byte) (1 << rng.nextInt(8));
                Path p = Files.write(dir.resolve(name + "-" + j + ".safetensors"), c);
                check(p, new Case(c, name + (j % 2 == 0 ? " truncated to " + c.length : " flipped"), null), name + " #" + j);
                Files.delete(p);
                pytorch++;
            }
        }
        report(reporter, "random", CASES + pytorch, System.nanoTime() - t0);
        assertThat(failures).as("cases that neither loaded nor were refused with an IOException naming the file").isEmpty();
    }

    /**
     * The three files of the report: 94 MiB headers of 1.67 M empty tensors, 7.15 M metadata
     * entries, or a shape of 49.5 M ones (the first two exhausted a 1 GiB heap, the third 256
     * MiB); and a metadata string as long. Now each stops at its limit. To keep this quick, the
     * items run for the first 32 MiB only, well past every limit (and past what exhausted the old
     * parser at 256 MiB); the rest of each file is a sparse tail the reader never gets to.
     */
    @Test
    void theReportedHeadersAreRefusedAtTheirLimits(TestReporter reporter) throws IOException {
        long t0 = System.nanoTime();
        int size = 94 << 20;
        String tensor = "{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
        String[][] files = {
            // name, header start, one item (# is its number), separator, header end, expected message
            {"tensors", "{", "\"t#\":" + tensor, ",", "}", "more than " + SafeTensors.MAX_TENSORS + " tensors"},
            {"metadata", "{\"__metadata__\":{", "\"m#\":\"\"", ",", "}}", "more than " + SafeTensors.MAX_METADATA_ENTRIES + " entries"},
            {"shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,0],\"shape\":[1", "1", ",", "]}}",
                "more than " + SafeTensors.MAX_RANK + " dimensions"},
            {"string", "{\"__metadata__\":{\"m\":\"", "xxxxxxxx", "", "\"}}", "/__metadata__/m"},
        };
        for (String[] f : files) {
            Path p = dir.resolve(f[0] + ".safetensors");
            writeHeader(p, size, f[1], f[2], f[3], f[4]);
            assertThat(Files.size(p)).isEqualTo(8L + size);
            assertThatThrownBy(() -> SafeTensors.read(p)).as("the reported %s file", f[0]).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(p.toString()).hasMessageContaining(f[5]);
            refused++;
            Files.delete(p);
        }
        report(reporter, "94 MiB headers", files.length, System.nanoTime() - t0);
    }

    /** A file whose header is {@code size} bytes: start, items (# numbered) for 32 MiB, end, then zeros. */
    private static void writeHeader(Path p, int size, String start, String item, String sep, String end) throws IOException {
        try (var f = new java.io.RandomAccessFile(p.toFile(), "rw"); OutputStream out = java.nio.channels.Channels.newOutputStream(f.getChannel())) {
            f.setLength(8L + size);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(size).array());
            StringBuilder b = new StringBuilder(1 << 21).append(start);
            long written = 0;
            int hash = item.indexOf('#');
            for (int i = 0; ; i++) {
                int len = b.length();
                if (i > 0) b.append(sep);
                if (hash < 0) b.append(item);
                else b.append(item, 0, hash).append(i).append(item, hash + 1, item.length());
                if (written + b.length() + end.length() > (32 << 20)) {
                    b.setLength(len);
                    break;
                }
                if (b.length() >= 1 << 20) {
                    out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
                    written += b.length();
                    b.setLength(0);
                }
            }
            out.write(b.append(end).toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void report(TestReporter reporter, String what, int cases, long nanos) {
        String line = String.format("SafeTensors fuzz (%s): %d cases, %d loaded, %d refused with an IOException, %d other outcomes, %.1f s, max heap %d MiB",
                what, cases, loaded, refused, cases - loaded - refused, nanos / 1e9, Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(line);
        reporter.publishEntry("fuzz", line);
    }

    /** To reproduce one case by hand: {@code SafeTensorsFuzzTest.dump(seed, i, path)}. */
    static void dump(long seed, int i, Path p) throws IOException {
        Files.write(p, fuzzCase(seed, i).bytes());
    }
}
