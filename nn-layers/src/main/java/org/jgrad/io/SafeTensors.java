package org.jgrad.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.FloatArray;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files,
 * the format PyTorch users share weights in: an 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON mapping each name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus
 * an optional {@code "__metadata__"} object of strings), then the raw little-endian data, each
 * tensor at its offsets relative to the end of the header.
 *
 * <p><b>Errors.</b> Every problem with a file — unreadable, truncated, corrupt, inconsistent —
 * is an {@link IOException} whose message starts with the file's path and names the problem
 * (and the tensor, when there is one). Nothing else escapes for a bad file: no
 * {@code IllegalArgumentException}, no {@code OutOfMemoryError} from a forged size, since every
 * declared size is checked against the file's length before anything is allocated. A read
 * either returns every tensor or throws. Bad arguments to {@link #write} (a reserved name, more
 * than a limit below) are an {@link IllegalArgumentException}.
 *
 * <p><b>Limits.</b> The header is parsed token by token straight from the file, and each count is
 * checked before what it counts is stored, so a forged header costs no more memory than a valid
 * file at a limit: a header of at most {@link #MAX_HEADER_BYTES} (and no longer than the file),
 * at most {@link #MAX_TENSORS} tensors, {@link #MAX_RANK} dimensions per shape, and
 * {@link #MAX_METADATA_ENTRIES} metadata entries of {@link #MAX_METADATA_CHARS} characters in
 * all. Tensor data costs what it holds: each tensor's bytes must lie in the file, and a float
 * takes at most four times its stored size (U8, I8 and BOOL are one byte). {@link #write} refuses
 * what {@link #read} would refuse.
 *
 * <p><b>Types.</b> {@link #write} stores F32. {@link #read} returns float32 tensors, converting
 * F16, BF16 and F64 (and I64, I32, I16, I8, U8, BOOL) as it reads.
 *
 * <p><b>Memory.</b> Reading streams each tensor through a small buffer into its float array, so
 * the heap holds the tensors plus a megabyte, never the raw file as well.
 *
 * <pre>{@code
 * jshell> SafeTensors.write(Path.of("w.safetensors"), Map.of("w", Tensor.ones(2, 3)), Map.of("format", "pt"));
 * jshell> SafeTensors.read(Path.of("w.safetensors")).tensors().get("w").shape()
 * $3 ==> int[2] { 2, 3 }
 * }</pre>
 */
public final class SafeTensors {

    /** Headers larger than this are refused, like the reference implementation does. */
    public static final long MAX_HEADER_BYTES = 100_000_000;
    /**
     * Most tensors one file may hold: 2¹⁸ = 262,144. A shard of a large language model holds a
     * few thousand, a whole mixture-of-experts model under 100,000; each tensor costs a few
     * hundred bytes of heap even when empty, so this bounds a forged header's cost to ~100 MB.
     */
    public static final int MAX_TENSORS = 1 << 18;
    /**
     * Most dimensions a shape may have: 64, NumPy's limit since 2.0 (32 before); PyTorch's
     * kernels stop at 25. jgrad's own models use at most 4.
     */
    public static final int MAX_RANK = 64;
    /** Most {@code __metadata__} entries: 65,536 (files in the wild carry a few dozen). */
    public static final int MAX_METADATA_ENTRIES = 1 << 16;
    /**
     * Most characters in {@code __metadata__}, names and values together: 16 Mi (the largest
     * metadata in the wild, training tag counts and UI workflows, is a few megabytes).
     */
    public static final int MAX_METADATA_CHARS = 1 << 24;
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {}

    /**
     * What a file holds: tensors in header order and the {@code __metadata__} strings (empty when
     * absent). Both maps are unmodifiable; the tensors are fresh and owned by the caller.
     *
     * @param tensors the tensors by name, in header order
     * @param metadata the {@code __metadata__} entries, empty when the file has none
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /**
     * Reads and checks {@code file} whole; see the class comment for what is refused.
     *
     * @param file a safetensors file
     * @return its tensors and metadata
     * @throws IOException if the file is unreadable, malformed or over a limit
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new IOException(file + ": " + size + " bytes, too short for the 8-byte header length");
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, ch, len, 0);
            long n = len.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new IOException(file + ": declared header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) throw new IOException(file + ": declared header length " + n + " runs past the end of the file (" + size + " bytes)");
            Header header = Header.parse(file, new Region(file, ch, 8, 8 + n), size - 8 - n);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Header.Entry e : header.entries) {
                tensors.put(e.name(), Tensor.wrap(new FloatArray(readTensor(file, ch, buf, e, 8 + n), e.shape())));
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(header.metadata));
        }
    }

    private static float[] readTensor(Path file, FileChannel ch, ByteBuffer buf, Header.Entry e, long dataStart) throws IOException {
        float[] out = new float[e.numel()];
        int perChunk = CHUNK / e.dtype().bytes, done = 0;
        long pos = dataStart + e.begin();
        while (done < out.length) {
            int n = Math.min(perChunk, out.length - done);
            buf.clear().limit(n * e.dtype().bytes);
            readFully(file, ch, buf, pos);
            e.dtype().decode(buf, out, done, n);
            pos += (long) n * e.dtype().bytes;
            done += n;
        }
        return out;
    }

    /** Bytes {@code [pos, end)} of a channel as a stream, for the JSON parser (which buffers them itself). */
    private static final class Region extends InputStream {
        private final Path file;
        private final FileChannel ch;
        private long pos;
        private final long end;

        Region(Path file, FileChannel ch, long pos, long end) {
            this.file = file;
            this.ch = ch;
            this.pos = pos;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pos >= end) return -1;
            int r = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
            if (r < 0) throw new IOException(file + ": file ended at byte " + pos + " while reading the header (was it truncated while being read?)");
            pos += r;
            return r;
        }
    }

    /** Fills {@code buf} from {@code pos} on and flips it for reading. */
    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw new IOException(file + ": file ended at byte " + pos + " while reading (was it truncated while being read?)");
            pos += r;
        }
        buf.flip();
    }

    /**
     * Writes {@code tensors} as F32, in the map's order, with {@code metadata} as
     * {@code __metadata__}; atomically (see {@link AtomicFiles}): if anything fails, an existing
     * {@code file} is left as it was.
     *
     * @param file destination, replaced atomically
     * @param tensors tensors by name, written in the map's order
     * @param metadata string entries for {@code __metadata__}
     * @throws IllegalArgumentException if a tensor is named {@code "__metadata__"}, or the file
     *     would exceed a limit that {@link #read} enforces (see the class comment)
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        if (tensors.size() > MAX_TENSORS) {
            throw new IllegalArgumentException("SafeTensors.write: " + tensors.size() + " tensors, more than the " + MAX_TENSORS + " a file may hold");
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("SafeTensors.write: " + metadata.size() + " metadata entries, more than the "
                    + MAX_METADATA_ENTRIES + " a file may hold");
        }
        long chars = 0;
        for (var m : metadata.entrySet()) chars += m.getKey().length() + m.getValue().length();
        if (chars > MAX_METADATA_CHARS) {
            throw new IllegalArgumentException("SafeTensors.write: metadata of " + chars + " characters, more than the "
                    + MAX_METADATA_CHARS + " a file may hold");
        }
        List<Map.Entry<String, Tensor>> list = new ArrayList<>(tensors.size());
        List<Map.Entry<String, int[]>> shapes = new ArrayList<>(tensors.size());
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(Header.METADATA)) throw new IllegalArgumentException("SafeTensors.write: the name '" + Header.METADATA + "' is reserved");
            if (e.getValue().rank() > MAX_RANK) {
                throw new IllegalArgumentException("SafeTensors.write: tensor '" + e.getKey() + "' has " + e.getValue().rank()
                        + " dimensions, more than the " + MAX_RANK + " a file may hold");
            }
            list.add(Map.entry(e.getKey(), e.getValue()));
            shapes.add(Map.entry(e.getKey(), e.getValue().shape()));
        }
        byte[] header = Header.encode(shapes, metadata);
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("SafeTensors.write: a header of " + header.length + " bytes, more than the "
                    + MAX_HEADER_BYTES + " a file may hold");
        }
        AtomicFiles.write(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(0, header.length);
            writeFully(ch, buf.limit(8));
            writeFully(ch, ByteBuffer.wrap(header));
            for (var e : list) {
                float[] d = e.getValue().data();
                for (int done = 0; done < d.length; ) {
                    int n = Math.min(CHUNK / 4, d.length - done);
                    buf.clear();
                    buf.asFloatBuffer().put(d, done, n);
                    writeFully(ch, buf.limit(4 * n));
                    done += n;
                }
            }
        });
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
