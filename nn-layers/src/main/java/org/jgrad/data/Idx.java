package org.jgrad.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.FloatArray;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST, gzipped or not: two zero bytes, a type
 * byte (0x08, unsigned bytes, is the one these datasets use), the number of dimensions (1 to 4),
 * each dimension as a big-endian int, then the values.
 *
 * <p><b>Errors.</b> Every problem with a file is an {@link IOException} whose message starts
 * with the file's path (or the name given with a stream) and says what is wrong: not gzip nor
 * IDX, a truncated or corrupt gzip stream, an unsupported type or rank, dimensions whose product
 * exceeds {@link #MAX_VALUES}, fewer or more values than the header declares. Nothing else
 * escapes for a bad file, and never a silent wrong answer.
 *
 * <p><b>Memory.</b> The header is read and checked first, then exactly the declared values: a
 * plain file's length is checked before anything is allocated, and a gzip stream (whose length
 * is unknown until it ends) is read into an array that grows with the bytes that actually
 * arrive, so a short file declaring a huge shape costs what it holds. The stream must end right
 * after the declared values (reading on to its end also checks the gzip CRC); a file longer than
 * declared is refused after one extra byte, not decompressed in full.
 */
public final class Idx {

    /**
     * Most values a file may declare: what one Java array holds with the header, 2³¹ − 65.
     * Dimensions whose product (of the non-zero ones) exceeds it are refused before reading on.
     */
    public static final int MAX_VALUES = Integer.MAX_VALUE - 64;
    /** The first allocation for a stream of unknown length; it doubles as more values arrive. */
    private static final int FIRST_CHUNK = 1 << 20;

    private Idx() {}

    /**
     * Reads a file into a float tensor of the stored shape (bytes become 0..255).
     *
     * @param file an IDX file, gzipped or not
     * @return a new tensor of the stored shape
     * @throws IOException if the file cannot be read or is not a valid IDX file; the message starts with its path
     */
    public static Tensor read(Path file) throws IOException {
        return readRaw(file).toTensor();
    }

    /**
     * Reads from a stream; {@code name} is used in error messages.
     *
     * @param raw stream of an IDX file, gzipped or not; read to its end
     * @param name name of the source in error messages
     * @return a new tensor of the stored shape
     * @throws IOException if the stream cannot be read or does not hold a valid IDX file
     */
    public static Tensor read(InputStream raw, String name) throws IOException {
        return read(raw, name, -1).toTensor();
    }

    /**
     * Reads a file through a cache of its decompressed bytes: a gzipped file is decompressed once
     * into {@code cacheDir} and later reads map the plain copy into memory (decompressing
     * Fashion-MNIST's training images takes about a second; mapping and checking the copy a few
     * tens of milliseconds, and it fills no fresh heap memory: see {@link #readRawCached}).
     *
     * <p>The copy's name carries the source's path, size and modification time, so a changed
     * source gets a new copy (older copies of the same file are removed); its last 12 bytes are a
     * CRC-32 of the contents and a marker, so a truncated or corrupt copy is detected, deleted
     * and rebuilt, never used. Copies are written to a temporary file and renamed into place, so
     * two processes building one at once each see a whole file. A plain (not gzipped) file, a
     * null {@code cacheDir}, or a cache that cannot be written falls back to {@link #read(Path)}.
     *
     * @param file an IDX file, gzipped or not
     * @param cacheDir folder for decompressed copies, or null for none
     * @return a new tensor of the stored shape
     * @throws IOException if the file cannot be read or is not a valid IDX file
     */
    public static Tensor readCached(Path file, Path cacheDir) throws IOException {
        return readRawCached(file, cacheDir).toTensor();
    }

    /**
     * An IDX file's unsigned bytes as stored: {@code data.get(offset + i)} is value i (row-major)
     * of a tensor of {@code shape}. For callers that convert straight into their own arrays (a
     * shuffled split, {@link ByteImages}) instead of a full-size float tensor first. The buffer
     * is read-only; it wraps a heap array, or maps a cached copy of the file.
     *
     * @param data the bytes read, the values starting at {@code offset} (read with absolute gets,
     *             which several threads may do at once)
     * @param offset index in {@code data} of the first value (the header's length)
     * @param shape the stored shape
     */
    public record Raw(ByteBuffer data, int offset, int[] shape) {

        /**
         * Number of values (the array may hold more bytes after them).
         *
         * @return the product of the dimensions
         */
        public int count() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        /**
         * The values as floats 0..255, in a tensor of the stored shape.
         *
         * @return a new tensor
         */
        public Tensor toTensor() {
            float[] v = new float[count()];
            for (int i = 0; i < v.length; i++) v[i] = data.get(offset + i) & 0xff;
            return Tensor.wrap(new FloatArray(v, shape));
        }
    }

    /**
     * {@link #readCached} without the conversion to floats. A cached copy is mapped read-only,
     * not read into the heap: on virtual machines the first touch of fresh heap pages costs far
     * more than mapping pages the OS holds already (measured: reading Fashion-MNIST's 47 MB of
     * training images into a new array 100–300 ms in a fresh JVM, mapping and checking them
     * 25 ms), and the mapped pages are shared with the page cache instead of copied.
     *
     * @param file an IDX file, gzipped or not
     * @param cacheDir folder for decompressed copies, or null for none
     * @return the stored bytes and shape
     * @throws IOException if the file cannot be read or is not a valid IDX file
     */
    public static Raw readRawCached(Path file, Path cacheDir) throws IOException {
        Path copy = cacheDir != null && isGzip(file) ? cacheDir.resolve(cacheName(file)) : null;
        if (copy != null && Files.isRegularFile(copy)) {
            Raw t = readCopy(copy, file.toString());
            if (t != null) return t;
            Files.deleteIfExists(copy);                       // corrupt or truncated: rebuild it
        }
        Raw t = readRaw(file);
        if (copy != null) {
            try {
                writeCopy(copy, t.data());                    // header and values, exactly
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

    /** The contents of a cached copy, mapped read-only, or null when the copy is truncated or corrupt. */
    private static Raw readCopy(Path copy, String name) throws IOException {
        ByteBuffer bytes;
        try (FileChannel ch = FileChannel.open(copy)) {
            long size = ch.size();
            if (size < 4 + TRAILER || size > 4 + 16 + (long) MAX_VALUES + TRAILER) return null;   // no valid copy is that long or short
            bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);   // the mapping outlives the channel
        }
        int n = bytes.capacity() - TRAILER;
        byte[] trailer = new byte[TRAILER];
        bytes.get(n, trailer, 0, TRAILER);
        if (!Arrays.equals(trailer, 4, TRAILER, COPY_MARKER, 0, COPY_MARKER.length)) return null;
        CRC32 crc = new CRC32();
        crc.update(bytes.duplicate().limit(n));
        int stored = ((trailer[0] & 0xff) << 24) | ((trailer[1] & 0xff) << 16) | ((trailer[2] & 0xff) << 8) | (trailer[3] & 0xff);
        if ((int) crc.getValue() != stored) return null;
        try {
            return parse(bytes, n, name);
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeCopy(Path copy, ByteBuffer bytes) throws IOException {
        Path dir = copy.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, copy.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            crc.update(bytes.duplicate().clear());
            int c = (int) crc.getValue();
            try (var out = Files.newByteChannel(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ByteBuffer all = bytes.duplicate().clear();
                while (all.hasRemaining()) out.write(all);
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER).putInt(c).put(COPY_MARKER).flip();
                while (trailer.hasRemaining()) out.write(trailer);
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

    /** The shape an IDX header declares and the header's length in bytes. */
    private record Head(int[] shape, int bytes, int count) {}

    /**
     * Reads and checks an IDX header from {@code in}: magic, type, rank, dimensions, and that the
     * product of the dimensions is at most {@link #MAX_VALUES}. {@code gz} only words messages.
     */
    private static Head head(InputStream in, String name, boolean gz, byte[] into) throws IOException {
        int n = in.readNBytes(into, 0, 4);
        if (n < 4) throw new IOException(name + ": not an IDX file (only " + n + " bytes" + (gz ? " after decompressing" : "") + ")");
        if (into[0] != 0 || into[1] != 0) {
            String magic = String.format("0x%02x%02x%02x%02x", into[0], into[1], into[2], into[3]);
            if (!gz && name.endsWith(".gz")) {
                throw new IOException(name + ": not a gzip file (it starts with " + magic + ", not 0x1f8b) and not an IDX file either");
            }
            throw new IOException(name + ": not an IDX file (magic number " + magic + (gz ? " after decompressing" : "") + ")");
        }
        if (into[2] != 0x08) {
            throw new IOException(name + ": IDX value type 0x" + String.format("%02x", into[2]) + " is not supported (expected 0x08, unsigned bytes)");
        }
        int rank = into[3] & 0xff;
        if (rank < 1 || rank > 4) throw new IOException(name + ": IDX header has " + rank + " dimensions (expected 1 to 4)");
        int bytes = 4 + 4 * rank;
        n = in.readNBytes(into, 4, 4 * rank);
        if (n < 4 * rank) {
            throw new IOException(name + ": truncated IDX header (" + (4 + n) + " of its " + bytes + " bytes for " + rank + " dimensions)");
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            int o = 4 + 4 * d;
            shape[d] = ((into[o] & 0xff) << 24) | ((into[o + 1] & 0xff) << 16) | ((into[o + 2] & 0xff) << 8) | (into[o + 3] & 0xff);
        }
        for (int d : shape) {
            if (d < 0) throw new IOException(name + ": negative dimension in IDX header " + Arrays.toString(shape));
            if (d != 0) count *= d;                           // ≤ MAX_VALUES · 2³¹: no long overflow
            if (count > MAX_VALUES) {
                throw new IOException(name + ": IDX header declares dimensions " + Arrays.toString(shape) + ", more than " + MAX_VALUES
                        + " values (Idx.MAX_VALUES, what one Java array holds)");
            }
        }
        for (int d : shape) if (d == 0) count = 0;
        return new Head(shape, bytes, (int) count);
    }

    /** Parses the first {@code length} bytes as an IDX file (the values stay bytes). */
    private static Raw parse(ByteBuffer bytes, int length, String name) throws IOException {
        byte[] header = new byte[Math.min(length, 20)];
        bytes.get(0, header, 0, header.length);
        Head h = head(new java.io.ByteArrayInputStream(header), name, false, new byte[20]);
        if (length - h.bytes != h.count) throw mismatch(name, h, "file", length - h.bytes);
        return new Raw(bytes.asReadOnlyBuffer(), h.bytes, h.shape);   // (a cached copy's trailer stays after the values)
    }

    /** The header declares {@code h.count} values but {@code what} (the file, the decompressed data) holds {@code held}. */
    private static IOException mismatch(String name, Head h, String what, long held) {
        return new IOException(name + ": IDX header says " + Arrays.toString(h.shape) + " (" + h.count + " values) but the " + what
                + " holds " + held + (held < h.count ? " (truncated)" : " (trailing bytes)"));
    }

    private static Raw readRaw(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        }
    }

    /**
     * Reads an IDX file from {@code raw}, gzipped or not. {@code size} is the length of a plain
     * file when known (-1 otherwise), to refuse a short one before allocating for it.
     */
    private static Raw read(InputStream raw, String name, long size) throws IOException {
        var buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        boolean gz = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        try {
            InputStream in = gz ? new GZIPInputStream(buffered, 8192) : buffered;
            byte[] header = new byte[20];
            Head h = head(in, name, gz, header);
            long total = (long) h.bytes + h.count;
            boolean sized = !gz && size >= 0;
            if (sized && size != total) throw mismatch(name, h, "file", size - h.bytes);
            byte[] data = Arrays.copyOf(header, (int) (sized ? total : Math.min(total, h.bytes + FIRST_CHUNK)));
            int pos = h.bytes;
            while (pos < total) {
                if (pos == data.length) data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
                int r = in.read(data, pos, data.length - pos);
                if (r < 0) throw mismatch(name, h, gz ? "decompressed data" : "file", pos - h.bytes);
                pos += r;
            }
            if (in.read() >= 0) {                             // also makes a gzip stream check its CRC and length
                throw new IOException(name + ": IDX header says " + Arrays.toString(h.shape) + " (" + h.count
                        + " values) but the " + (gz ? "decompressed data goes on" : "file goes on") + " after them (trailing bytes)");
            }
            return new Raw(ByteBuffer.wrap(data).asReadOnlyBuffer(), h.bytes, h.shape);
        } catch (EOFException e) {
            String why = e.getMessage() != null ? e.getMessage() : "the file ends before the stream does";
            throw new IOException(name + (gz ? ": truncated gzip stream (" : ": ended early (") + why + ")", e);
        } catch (ZipException e) {
            throw new IOException(name + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes an unsigned-byte IDX file (values are rounded and must lie in 0..255).
     *
     * @param file destination
     * @param t values in 0..255, of any shape
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if a value rounds outside 0..255
     */
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
}
