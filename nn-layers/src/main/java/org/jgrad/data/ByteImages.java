package org.jgrad.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.ops.FloatArray;

/**
 * Images kept as their file's bytes (0..255) and converted to floats in [0, 1] batch by batch:
 * a quarter of the memory of a float tensor (Fashion-MNIST's 55,000 training images: 43 MB
 * instead of 172 MB), and loading touches no float array at all (on virtual machines, touching
 * fresh memory is most of a data load). Each value is {@code (b & 0xff) / 255f}, the same float
 * {@link FashionMnist#load} gives, so training on either gives the same weights.
 *
 * <p>The bytes may also stay in a buffer — a file mapped into memory — with the samples picked
 * out by row ({@link #rows}): a shuffled split of a dataset file then costs no copy at all.
 *
 * <pre>{@code
 * jshell> var ds = new ByteImages(new byte[] {0, (byte) 255, 51, 102}, new byte[] {3, 7}, 1, 2)
 * jshell> ds.batch(new int[] {1}).features()
 * $2 ==> tensor([[[0.2000, 0.4000]]])
 * }</pre>
 */
public final class ByteImages implements Dataset {

    /** Sample i's bytes start at {@code offset + row(i)·rowSize}; absolute reads only, so threads may share it. */
    private final ByteBuffer pixels;
    private final int offset;
    /** The buffer's image of each sample, or null when sample i is image i. */
    private final int[] rows;
    private final byte[] labels;
    private final int[] featureShape;
    private final int rowSize;

    /**
     * A dataset over the given bytes, which it keeps without copying them.
     *
     * @param pixels every image's bytes, image after image ({@code size × product(featureShape)})
     * @param labels one class index (0..255) per image
     * @param featureShape shape of one image, e.g. {@code 1, 28, 28}
     * @throws IllegalArgumentException if the byte counts do not match the shape
     */
    public ByteImages(byte[] pixels, byte[] labels, int... featureShape) {
        this(ByteBuffer.wrap(pixels), 0, null, labels, featureShape);
        if ((long) rowSize * labels.length != pixels.length) {
            throw new IllegalArgumentException("ByteImages: " + pixels.length + " pixel bytes are not " + labels.length
                    + " images of shape " + Arrays.toString(featureShape));
        }
    }

    private ByteImages(ByteBuffer pixels, int offset, int[] rows, byte[] labels, int[] featureShape) {
        long row = 1;
        for (int d : featureShape) {
            if (d <= 0) throw new IllegalArgumentException("ByteImages: feature shape " + Arrays.toString(featureShape) + " has a non-positive size");
            row *= d;
        }
        if (row > Integer.MAX_VALUE) throw new IllegalArgumentException("ByteImages: feature shape " + Arrays.toString(featureShape) + " is too large");
        this.pixels = pixels;
        this.offset = offset;
        this.rows = rows;
        this.labels = labels;
        this.featureShape = featureShape.clone();
        this.rowSize = (int) row;
    }

    /**
     * Images that stay in {@code pixels} (e.g. a file mapped with {@code FileChannel.map}), which
     * is kept, not copied: sample i is the image at {@code rows[i]}, whose bytes start at
     * {@code offset + rows[i]·product(featureShape)}; its label is {@code labels[i]}.
     *
     * @param pixels the images, one after another from {@code offset}; read with absolute gets only
     * @param offset where image 0 starts in {@code pixels}
     * @param rows the image of each sample (kept, not copied)
     * @param labels one class index (0..255) per sample (kept, not copied)
     * @param featureShape shape of one image, e.g. {@code 1, 28, 28}
     * @return the dataset
     * @throws IllegalArgumentException if rows and labels differ in length, or a row lies outside the buffer
     */
    public static ByteImages rows(ByteBuffer pixels, int offset, int[] rows, byte[] labels, int... featureShape) {
        var d = new ByteImages(pixels, offset, rows, labels, featureShape);
        if (rows.length != labels.length) {
            throw new IllegalArgumentException("ByteImages.rows: " + rows.length + " rows but " + labels.length + " labels");
        }
        long images = offset < 0 || offset > pixels.capacity() ? -1 : (pixels.capacity() - (long) offset) / d.rowSize;
        if (images < 0) throw new IllegalArgumentException("ByteImages.rows: offset " + offset + " is outside the buffer of " + pixels.capacity() + " bytes");
        for (int r : rows) {
            if (r < 0 || r >= images) {
                throw new IllegalArgumentException("ByteImages.rows: row " + r + " is outside the buffer, which holds " + images
                        + " images of shape " + Arrays.toString(featureShape) + " from byte " + offset);
            }
        }
        return d;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    /**
     * The same images seen with another shape of the same size (e.g. {@code 784} for an MLP without
     * a Flatten layer); the bytes are shared, not copied.
     *
     * @param shape the new shape of one image
     * @return a dataset over the same bytes
     * @throws IllegalArgumentException if the shape has another number of elements
     */
    public ByteImages withFeatureShape(int... shape) {
        long row = 1;
        for (int d : shape) row *= d;
        if (row != rowSize) {
            throw new IllegalArgumentException("ByteImages: feature shape " + Arrays.toString(shape) + " has " + row
                    + " elements, expected " + rowSize + " (the shape " + Arrays.toString(featureShape) + ")");
        }
        return new ByteImages(pixels, offset, rows, labels, shape);
    }

    /** Features {@code [len, featureShape...]} in [0, 1] and labels {@code [len]} as floats. */
    @Override
    public Batch batch(int[] indices) {
        int n = size();
        for (int k : indices) {
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("ByteImages: index " + k + " is out of range for " + n + " samples");
        }
        float[] x = new float[indices.length * rowSize], y = new float[indices.length];
        // rows converted in parallel chunks of ~4,096 floats, each into its own place: the same batch for any thread count
        Parallel.forRange(indices.length, Math.max(1, (1 << 12) / rowSize), (from, to) -> {
            byte[] row = new byte[rowSize];
            for (int i = from; i < to; i++) {
                int k = indices[i], dst = i * rowSize;
                pixels.get(offset + (rows == null ? k : rows[k]) * rowSize, row, 0, rowSize);
                Elementwise.bytesToUnit(row, 0, x, dst, rowSize);       // SIMD: ~10x the scalar loop, same floats
            }
        });
        for (int i = 0; i < indices.length; i++) y[i] = labels[indices[i]] & 0xff;
        int[] shape = new int[featureShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        return new Batch(Tensor.wrap(new FloatArray(x, shape)), Tensor.wrap(new FloatArray(y, indices.length)));
    }

    /**
     * The size and shape, e.g. {@code ByteImages(55000 images of [1, 28, 28], kept as bytes)}.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        return "ByteImages(" + size() + " images of " + Arrays.toString(featureShape) + ", kept as bytes)";
    }
}
