package org.jgrad.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.NDArray;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST, gzipped or not: two zero bytes, a type
 * byte (0x08, unsigned bytes, is the one these datasets use), the number of dimensions, each
 * dimension as a big-endian int, then the values. The header is checked against the file
 * length, so a truncated or foreign file is refused with a message that names it.
 */
public final class Idx {

    private Idx() {}

    /** Reads a file into a float tensor of the stored shape (bytes become 0..255). */
    public static Tensor read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads from a stream; {@code name} is used in error messages. */
    public static Tensor read(InputStream raw, String name) throws IOException {
        byte[] bytes = unzipIfNeeded(new BufferedInputStream(raw)).readAllBytes();
        return parse(bytes, bytes.length, name).toTensor();
    }

    /**
     * Reads a file through a cache of its decompressed bytes: a gzipped file is decompressed once
     * into {@code cacheDir} and later reads read the plain copy (decompressing Fashion-MNIST's
     * training images takes about a second; reading the copy a few tens of milliseconds).
     *
     * <p>The copy's name carries the source's path, size and modification time, so a changed
     * source gets a new copy (older copies of the same file are removed); its last 12 bytes are a
     * CRC-32 of the contents and a marker, so a truncated or corrupt copy is detected, deleted
     * and rebuilt, never used. Copies are written to a temporary file and renamed into place, so
     * two processes building one at once each see a whole file. A plain (not gzipped) file, a
     * null {@code cacheDir}, or a cache that cannot be written falls back to {@link #read(Path)}.
     */
    public static Tensor readCached(Path file, Path cacheDir) throws IOException {
        return readRawCached(file, cacheDir).toTensor();
    }

    /**
     * An IDX file's unsigned bytes as stored: {@code data[offset + i]} is value i (row-major) of a
     * tensor of {@code shape}. For callers that convert straight into their own arrays (a shuffled
     * split) instead of a full-size float tensor first.
     */
    public record Raw(byte[] data, int offset, int[] shape) {

        /** Number of values (the array may hold more bytes after them). */
        public int count() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        /** The values as floats 0..255, in a tensor of the stored shape. */
        public Tensor toTensor() {
            float[] v = new float[count()];
            for (int i = 0; i < v.length; i++) v[i] = data[offset + i] & 0xff;
            return Tensor.wrap(new NDArray(v, shape));
        }
    }

    /** {@link #readCached} without the conversion to floats. */
    public static Raw readRawCached(Path file, Path cacheDir) throws IOException {
        Path copy = cacheDir != null && isGzip(file) ? cacheDir.resolve(cacheName(file)) : null;
        if (copy != null && Files.isRegularFile(copy)) {
            Raw t = readCopy(copy, file.toString());
            if (t != null) return t;
            Files.deleteIfExists(copy);                       // corrupt or truncated: rebuild it
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = unzipIfNeeded(new BufferedInputStream(in)).readAllBytes();
        }
        Raw t = parse(bytes, bytes.length, file.toString());
        if (copy != null) {
            try {
                writeCopy(copy, bytes);
            } catch (IOException | UncheckedIOException | SecurityException e) {
                // a cache is an optimisation: a read-only or full disk must not fail the read
            }
        }
        return t;
    }

    /** Marker ending every cached copy, after the CRC-32 of the contents. */
    private static final byte[] COPY_MARKER = "jgIDXv1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = 4 + COPY_MARKER.length;

    /** {@code <file name without .gz>-<hash of path, size and mtime>.idx}. */
    static String cacheName(Path file) throws IOException {
        String base = file.getFileName().toString().replaceFirst("\\.gz$", "");
        String key = file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return base + "-" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(key.hashCode()) + ".idx";
    }

    /** The contents of a cached copy, or null when the copy is truncated or corrupt. */
    private static Raw readCopy(Path copy, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(copy);
        int n = bytes.length - TRAILER;
        if (n < 4 || !Arrays.equals(bytes, n + 4, bytes.length, COPY_MARKER, 0, COPY_MARKER.length)) return null;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, n);
        int stored = ((bytes[n] & 0xff) << 24) | ((bytes[n + 1] & 0xff) << 16) | ((bytes[n + 2] & 0xff) << 8) | (bytes[n + 3] & 0xff);
        if ((int) crc.getValue() != stored) return null;
        try {
            return parse(bytes, n, name);
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeCopy(Path copy, byte[] bytes) throws IOException {
        Path dir = copy.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, copy.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length);
            int c = (int) crc.getValue();
            try (var out = Files.newOutputStream(tmp)) {
                out.write(bytes);
                out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
                out.write(COPY_MARKER);
            }
            Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        // copies of older versions of the same file (other size or time) are stale now
        String stem = copy.getFileName().toString().replaceFirst("-[0-9a-f]+-[0-9a-f]+\\.idx$", "-");
        try (var others = Files.newDirectoryStream(dir, stem + "*.idx")) {
            for (Path other : others) {
                if (!other.equals(copy) && other.getFileName().toString().matches(java.util.regex.Pattern.quote(stem) + "[0-9a-f]+-[0-9a-f]+\\.idx")) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Parses the first {@code length} bytes as an IDX file (the values stay bytes). */
    private static Raw parse(byte[] bytes, int length, String name) throws IOException {
        if (length < 4) throw new IOException(name + ": not an IDX file (only " + length + " bytes)");
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IOException(name + ": not an IDX file (magic number 0x"
                    + String.format("%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3]) + ")");
        }
        if (bytes[2] != 0x08) {
            throw new IOException(name + ": IDX value type 0x" + String.format("%02x", bytes[2]) + " is not supported (expected 0x08, unsigned bytes)");
        }
        int rank = bytes[3] & 0xff;
        if (rank < 1 || rank > 4) throw new IOException(name + ": IDX header has " + rank + " dimensions (expected 1 to 4)");
        int header = 4 + 4 * rank;
        if (length < header) throw new IOException(name + ": truncated IDX header");
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            int o = 4 + 4 * d;
            shape[d] = ((bytes[o] & 0xff) << 24) | ((bytes[o + 1] & 0xff) << 16) | ((bytes[o + 2] & 0xff) << 8) | (bytes[o + 3] & 0xff);
            if (shape[d] < 0) throw new IOException(name + ": negative dimension in IDX header " + Arrays.toString(shape));
            count *= shape[d];
        }
        if (length - header != count) {
            throw new IOException(name + ": IDX header says " + Arrays.toString(shape) + " (" + count + " values) but the file holds "
                    + (length - header) + (length - header < count ? " (truncated)" : " (trailing bytes)"));
        }
        return new Raw(bytes, header, shape);          // (a cached copy's trailer stays after the values)
    }

    /** Writes an unsigned-byte IDX file (values are rounded and must lie in 0..255). */
    public static void write(Path file, Tensor t) throws IOException {
        int[] shape = t.shape();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0x08, (byte) shape.length});
        for (int d : shape) out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        for (float f : t.data()) {
            int b = Math.round(f);
            if (b < 0 || b > 255) throw new IllegalArgumentException("Idx.write: value " + f + " does not fit an unsigned byte");
            out.write(b);
        }
        Files.write(file, out.toByteArray());
    }

    private static InputStream unzipIfNeeded(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
    }
}
