package org.jgrad.data;

import java.util.Arrays;
import org.jgrad.core.Parallel;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.FloatArray;

/**
 * Images kept as their file's bytes (0..255) and converted to floats in [0, 1] batch by batch:
 * a quarter of the memory of a float tensor (Fashion-MNIST's 55,000 training images: 43 MB
 * instead of 172 MB), and loading touches no float array at all (on virtual machines, touching
 * fresh memory is most of a data load). Each value is {@code (b & 0xff) / 255f}, the same float
 * {@link FashionMnist#load} gives, so training on either gives the same weights.
 *
 * <pre>{@code
 * jshell> var ds = new ByteImages(new byte[] {0, (byte) 255, 51, 102}, new byte[] {3, 7}, 1, 2)
 * jshell> ds.batch(new int[] {1}).features()
 * $2 ==> tensor([[[0.2000, 0.4000]]])
 * }</pre>
 */
public final class ByteImages implements Dataset {

    private final byte[] pixels;
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
        long row = 1;
        for (int d : featureShape) {
            if (d <= 0) throw new IllegalArgumentException("ByteImages: feature shape " + Arrays.toString(featureShape) + " has a non-positive size");
            row *= d;
        }
        if (row * labels.length != pixels.length) {
            throw new IllegalArgumentException("ByteImages: " + pixels.length + " pixel bytes are not " + labels.length
                    + " images of shape " + Arrays.toString(featureShape));
        }
        this.pixels = pixels;
        this.labels = labels;
        this.featureShape = featureShape.clone();
        this.rowSize = (int) row;
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
        return new ByteImages(pixels, labels, shape);
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
            for (int i = from; i < to; i++) {
                int src = indices[i] * rowSize, dst = i * rowSize;
                for (int j = 0; j < rowSize; j++) x[dst + j] = (pixels[src + j] & 0xff) / 255f;
            }
        });
        for (int i = 0; i < indices.length; i++) y[i] = labels[indices[i]] & 0xff;
        int[] shape = new int[featureShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        return new Batch(Tensor.wrap(new FloatArray(x, shape)), Tensor.wrap(new FloatArray(y, indices.length)));
    }
}
