package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random IDX files for {@link Idx}, plain and gzipped: valid files, then truncated,
 * bit-flipped, with forged header bytes (rank, type, huge or negative dimensions), values cut
 * short or extended, garbage or extra gzip members appended, and corrupted cache copies. Each
 * case must either load (exactly the values written, when the file was left intact; a
 * self-consistent tensor otherwise) or be refused with an {@link IOException} naming the file,
 * as the class documents: never an {@link OutOfMemoryError}, never another exception. The build
 * runs this class with {@code -Xmx256m} (surefire execution {@code fuzz} in nn-layers/pom.xml).
 */
class IdxFuzzTest {

    private static final long SEED = 0x1d8_f022L;
    private static final int CASES = 5000;
    private static final int[] DIMS = {0, 1, 2, 255, 256, 65536, 1 << 30, Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 2_000_000_000};

    @TempDir
    Path dir;

    static byte[] header(int type, int rank, int[] dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).put(new byte[] {0, 0, (byte) type, (byte) rank});
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) {
        var out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** A case: the file's bytes, what was done, and the shape and values it must load as (null when changed). */
    record Case(byte[] bytes, String how, int[] shape, byte[] values) {}

    static Case fuzzCase(long seed, int i) {
        SplittableRandom rng = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * i);
        int[] shape = new int[1 + rng.nextInt(4)];
        int n = 1;
        for (int d = 0; d < shape.length; d++) n *= shape[d] = rng.nextInt(rng.nextInt(10) == 0 ? 1 : 8);
        byte[] values = new byte[n];
        rng.nextBytes(values);
        byte[] plain = concat(header(8, shape.length, shape), values);
        boolean gz = rng.nextBoolean();
        String kind = gz ? "gzip" : "plain";
        int what = rng.nextInt(100);
        if (what < 8) {
            byte[] bytes = gz && rng.nextBoolean()                   // two gzip members are one stream
                    ? concat(gzip(Arrays.copyOf(plain, plain.length / 2)), gzip(Arrays.copyOfRange(plain, plain.length / 2, plain.length)))
                    : gz ? gzip(plain) : plain;
            return new Case(bytes, kind + " unchanged " + Arrays.toString(shape), shape, values);
        }
        if (what < 40) {                                            // forged header bytes, then maybe compressed
            byte[] c = plain.clone();
            String how;
            switch (rng.nextInt(4)) {
                case 0 -> {
                    c[3] = (byte) rng.nextInt(256);
                    how = "rank byte " + (c[3] & 0xff);
                }
                case 1 -> {
                    c[2] = (byte) rng.nextInt(256);
                    how = "type byte " + (c[2] & 0xff);
                }
                case 2 -> {
                    c[rng.nextInt(2)] = (byte) (1 + rng.nextInt(255));
                    how = "magic " + c[0] + "," + c[1];
                }
                default -> {
                    int d = rng.nextInt(shape.length), v = rng.nextBoolean() ? DIMS[rng.nextInt(DIMS.length)] : rng.nextInt();
                    ByteBuffer.wrap(c).putInt(4 + 4 * d, v);
                    how = "dimension " + d + " = " + v;
                }
            }
            return new Case(gz ? gzip(c) : c, kind + " " + how + " of " + Arrays.toString(shape), null, null);
        }
        if (what < 55) {                                            // fewer or more values than declared
            byte[] c = rng.nextBoolean()
                    ? Arrays.copyOf(plain, Math.max(0, plain.length - 1 - rng.nextInt(Math.max(1, values.length))))
                    : Arrays.copyOf(plain, plain.length + 1 + rng.nextInt(100));
            return new Case(gz ? gzip(c) : c, kind + " " + (c.length - plain.length) + " bytes of values", null, null);
        }
        if (what < 62) {                                            // huge declared shape, few bytes
            int[] dims = {2_000_000_000};
            if (rng.nextBoolean()) dims = new int[] {rng.nextInt(1 << 16), rng.nextInt(1 << 16), 1 + rng.nextInt(1 << 16), 1 + rng.nextInt(4)};
            byte[] c = concat(header(8, dims.length, dims), Arrays.copyOf(values, rng.nextInt(values.length + 1)));
            return new Case(gz ? gzip(c) : c, kind + " declares " + Arrays.toString(dims), null, null);
        }
        byte[] file = gz ? gzip(plain) : plain;
        if (what < 75) {
            int len = rng.nextInt(file.length);
            return new Case(Arrays.copyOf(file, len), kind + " truncated to " + len + " of " + file.length, null, null);
        }
        if (what < 92) {
            byte[] c = file.clone();
            int flips = 1 + rng.nextInt(3);
            StringBuilder how = new StringBuilder(kind + " flipped");
            for (int f = 0; f < flips; f++) {
                int pos = rng.nextInt(c.length), bit = rng.nextInt(8);
                c[pos] ^= (byte) (1 << bit);
                how.append(" bit ").append(bit).append(" of byte ").append(pos);
            }
            return new Case(c, how.toString(), null, null);
        }
        byte[] extra = new byte[1 + rng.nextInt(40)];               // garbage or a second member after the file
        rng.nextBytes(extra);
        if (gz && rng.nextBoolean()) extra = gzip(extra);
        return new Case(concat(file, extra), kind + " with " + extra.length + " bytes appended", null, null);
    }

    private int loaded, refused;
    private final List<String> failures = new ArrayList<>();

    /** Reads {@code p} one of three ways; checks the outcome. */
    private void check(Path p, Case c, String label, int how) {
        String name = p.toString();
        try {
            Idx.Raw raw = switch (how) {
                case 0 -> {
                    var t = Idx.read(p);
                    float[] v = t.data();
                    byte[] b = new byte[v.length];
                    for (int k = 0; k < v.length; k++) {
                        if (v[k] != (int) v[k] || v[k] < 0 || v[k] > 255) throw new AssertionError("value " + v[k] + " is not a byte");
                        b[k] = (byte) v[k];
                    }
                    yield new Idx.Raw(java.nio.ByteBuffer.wrap(b), 0, t.shape());
                }
                case 1 -> {
                    name = "stream " + p.getFileName();
                    try (InputStream in = Files.newInputStream(p)) {
                        var t = Idx.read(in, name);
                        byte[] b = new byte[t.numel()];
                        for (int k = 0; k < b.length; k++) b[k] = (byte) t.data()[k];
                        yield new Idx.Raw(java.nio.ByteBuffer.wrap(b), 0, t.shape());
                    }
                }
                default -> Idx.readRawCached(p, dir.resolve("cache"));
            };
            loaded++;
            long numel = 1;
            for (int d : raw.shape()) numel = d < 0 || numel > Integer.MAX_VALUE ? -1 : numel * d;   // no wrap-around to 0
            if (numel < 0 || numel != raw.count() || raw.offset() + numel > raw.data().capacity()) {
                failures.add(label + " (" + c.how() + "): loaded inconsistent: shape " + Arrays.toString(raw.shape()) + " with " + raw.data().capacity() + " bytes");
            }
            byte[] values = numel < 0 || raw.offset() + numel > raw.data().capacity() ? new byte[0] : new byte[raw.count()];
            if (values.length > 0) raw.data().get(raw.offset(), values, 0, values.length);
            if (c.values() != null && (!Arrays.equals(raw.shape(), c.shape()) || !Arrays.equals(values, c.values()))) {
                failures.add(label + " (" + c.how() + "): loaded other values or shape " + Arrays.toString(raw.shape()));
            }
        } catch (IOException e) {
            refused++;
            if (e.getMessage() == null || !e.getMessage().startsWith(name)) failures.add(label + " (" + c.how() + "): refused without naming it: " + e);
            if (c.values() != null) failures.add(label + " (" + c.how() + "): a valid file was refused: " + e.getMessage());
        } catch (Throwable t) {                                    // OutOfMemoryError, NegativeArraySize, AIOOBE, IllegalArgumentException...
            failures.add(label + " (" + c.how() + "): threw " + t);
        }
    }

    @Test
    void randomFilesLoadOrAreRefusedWithAnIOException(TestReporter reporter) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Case c = fuzzCase(SEED, i);
            Path p = Files.write(dir.resolve("case" + i + "-idx-ubyte" + (c.how().startsWith("gzip") ? ".gz" : "")), c.bytes());
            check(p, c, "seed " + Long.toHexString(SEED) + " case " + i, i % 3);
            Files.delete(p);                                      // (a new name each time: truncating a file on ext4 flushes it)
            if (failures.size() > 20) break;
        }
        report(reporter, "random", CASES, t0);
        assertThat(failures).as("cases that neither loaded right nor were refused with an IOException naming the file").isEmpty();
    }

    /** A cached copy that was cut, flipped or extended is never used: the read gives the source's values and rebuilds it. */
    @Test
    void corruptCacheCopiesAreRebuilt(TestReporter reporter) throws IOException {
        long t0 = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(SEED);
        Path cache = dir.resolve("cache");
        int cases = 500;
        for (int i = 0; i < cases; i++) {
            int[] shape = {1 + rng.nextInt(5), 1 + rng.nextInt(5)};
            byte[] values = new byte[shape[0] * shape[1]];
            rng.nextBytes(values);
            Path gz = Files.write(dir.resolve("c" + i + "-idx2-ubyte.gz"), gzip(concat(header(8, 2, shape), values)));
            Idx.readRawCached(gz, cache);
            Path copy = cache.resolve(Idx.cacheName(gz));
            byte[] good = Files.readAllBytes(copy), bad;
            String how;
            switch (rng.nextInt(3)) {
                case 0 -> {
                    bad = Arrays.copyOf(good, rng.nextInt(good.length));
                    how = "copy cut to " + bad.length;
                }
                case 1 -> {
                    bad = good.clone();
                    int pos = rng.nextInt(bad.length);
                    bad[pos] ^= (byte) (1 << rng.nextInt(8));
                    how = "copy flipped at " + pos;
                }
                default -> {
                    bad = concat(good, new byte[1 + rng.nextInt(20)]);
                    how = "copy extended";
                }
            }
            Files.delete(copy);                                   // (not truncated in place: on ext4 that flushes it)
            Files.write(copy, bad);
            check(gz, new Case(null, how, shape, values), "cache case " + i, 2);
            if (!Arrays.equals(Files.readAllBytes(copy), good)) failures.add("cache case " + i + " (" + how + "): copy not rebuilt");
            Files.delete(gz);
            Files.delete(copy);
        }
        report(reporter, "corrupt cache copies", cases, t0);
        assertThat(failures).isEmpty();
    }

    /**
     * The report's file: a 600 KiB .gz declaring shape [10] whose stream decompresses to 600 MiB
     * (gzip members of a MiB of zeros). It ran out of memory at 256 MiB; now it is refused one
     * byte past the declared values, however it is read.
     */
    @Test
    void theReportedGzipBombIsRefused(TestReporter reporter) throws IOException {
        long t0 = System.nanoTime();
        byte[] zeros = gzip(new byte[1 << 20]);
        Path gz = dir.resolve("bomb-idx1-ubyte.gz");
        try (OutputStream out = Files.newOutputStream(gz)) {
            out.write(gzip(concat(header(8, 1, new int[] {10}), new byte[10])));
            for (int i = 0; i < 600; i++) out.write(zeros);
        }
        assertThat(Files.size(gz)).isBetween(500_000L, 700_000L);
        assertThatThrownBy(() -> Idx.read(gz)).isInstanceOf(IOException.class).hasMessageStartingWith(gz.toString())
                .hasMessageContaining("[10]").hasMessageContaining("trailing bytes");
        assertThatThrownBy(() -> Idx.readRawCached(gz, dir.resolve("cache"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith(gz.toString()).hasMessageContaining("trailing bytes");
        refused += 2;
        report(reporter, "600 MiB gzip bomb", 2, t0);
    }

    private void report(TestReporter reporter, String what, int cases, long t0) {
        String line = String.format("Idx fuzz (%s): %d cases, %d loaded, %d refused with an IOException, %d other outcomes, %.1f s, max heap %d MiB",
                what, cases, loaded, refused, cases - loaded - refused, (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(line);
        reporter.publishEntry("fuzz", line);
    }
}
