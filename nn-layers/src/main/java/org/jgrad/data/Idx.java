package org.jgrad.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.jgrad.core.Tensor;

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
        if (bytes.length < 4) throw new IOException(name + ": not an IDX file (only " + bytes.length + " bytes)");
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
        if (bytes.length < header) throw new IOException(name + ": truncated IDX header");
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            int o = 4 + 4 * d;
            shape[d] = ((bytes[o] & 0xff) << 24) | ((bytes[o + 1] & 0xff) << 16) | ((bytes[o + 2] & 0xff) << 8) | (bytes[o + 3] & 0xff);
            if (shape[d] < 0) throw new IOException(name + ": negative dimension in IDX header " + Arrays.toString(shape));
            count *= shape[d];
        }
        if (bytes.length - header != count) {
            throw new IOException(name + ": IDX header says " + Arrays.toString(shape) + " (" + count + " values) but the file holds "
                    + (bytes.length - header) + (bytes.length - header < count ? " (truncated)" : " (trailing bytes)"));
        }
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) v[i] = bytes[header + i] & 0xff;
        return Tensor.of(v, shape);
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
