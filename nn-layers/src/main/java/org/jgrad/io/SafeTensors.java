package org.jgrad.io;

import java.io.IOException;
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
import org.jgrad.core.ops.NDArray;

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
 * either returns every tensor or throws. Bad arguments to {@link #write} (a reserved name) are
 * an {@link IllegalArgumentException}.
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
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {}

    /**
     * What a file holds: tensors in header order and the {@code __metadata__} strings (empty when
     * absent). Both maps are unmodifiable; the tensors are fresh and owned by the caller.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Reads and checks {@code file} whole; see the class comment for what is refused. */
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
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(file, ch, json, 8);
            Header header = Header.parse(file, json.array(), size - 8 - n);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Header.Entry e : header.entries) {
                tensors.put(e.name(), Tensor.wrap(new NDArray(readTensor(file, ch, buf, e, 8 + n), e.shape())));
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
     * @throws IllegalArgumentException if a tensor is named {@code "__metadata__"}
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> list = new ArrayList<>(tensors.size());
        List<Map.Entry<String, int[]>> shapes = new ArrayList<>(tensors.size());
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(Header.METADATA)) throw new IllegalArgumentException("SafeTensors.write: the name '" + Header.METADATA + "' is reserved");
            list.add(Map.entry(e.getKey(), e.getValue()));
            shapes.add(Map.entry(e.getKey(), e.getValue().shape()));
        }
        byte[] header = Header.encode(shapes, metadata);
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
