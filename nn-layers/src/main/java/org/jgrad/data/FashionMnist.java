package org.jgrad.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.FloatArray;

/**
 * Fashion-MNIST: 28×28 grey images of 10 kinds of clothing; 60,000 for training and 10,000 for
 * testing. Images load as [n, 1, 28, 28] floats in [0, 1], labels as [n] class indices.
 *
 * <p>The folder is found, in order, at: an explicit path, the {@code FASHION_MNIST} environment
 * variable, {@code /usr/share/datasets/fashion-mnist} (Debian package
 * {@code dataset-fashion-mnist}), {@code ~/.cache/jgrad/fashion-mnist}.
 */
public final class FashionMnist {

    /** The names of the ten classes, indexed by label. */
    public static final String[] CLASSES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };

    private FashionMnist() {}

    /**
     * The two splits.
     *
     * @param train the 60,000 training images and their labels
     * @param test the 10,000 test images and their labels
     * @param source the folder they were loaded from
     */
    public record Splits(TensorDataset train, TensorDataset test, String source) {}

    /**
     * The places searched, in order (the explicit path first when given).
     *
     * @param explicit a folder the user named, or null
     * @return the folders to search, in order
     */
    public static List<Path> candidates(Path explicit) {
        List<Path> c = new ArrayList<>();
        if (explicit != null) c.add(explicit);
        String env = System.getenv("FASHION_MNIST");
        if (env != null && !env.isBlank()) c.add(Path.of(env));
        c.add(Path.of("/usr/share/datasets/fashion-mnist"));
        c.add(Path.of(System.getProperty("user.home"), ".cache", "jgrad", "fashion-mnist"));
        return c;
    }

    /**
     * The folder that holds the four files, if any: {@code explicit} alone when it is given (a
     * path the user named that lacks the data must not fall through to another dataset), else
     * the first of the default {@link #candidates}.
     *
     * @param explicit a folder the user named, or null to search the defaults
     * @return the first folder holding the training images and test labels, or empty
     */
    public static Optional<Path> locate(Path explicit) {
        for (Path p : explicit != null ? List.of(explicit) : candidates(null)) {
            if (find(p, "train-images-idx3-ubyte") != null && find(p, "t10k-labels-idx1-ubyte") != null) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Loads both splits from a folder holding the IDX files (gzipped or not). A problem with one
     * of the four files (truncated or corrupt gzip stream, not gzip nor IDX, sizes that do not
     * match) is an {@link IOException} whose message starts with that file's path (see {@link Idx}).
     *
     * @param dir folder holding the eight IDX files
     * @return the training and test sets, images {@code [n, 1, 28, 28]} scaled to [0, 1] and labels {@code [n]}
     * @throws IOException if a file is missing, unreadable or malformed
     */
    public static Splits load(Path dir) throws IOException {
        return new Splits(split(dir, "train"), split(dir, "t10k"), dir.toString());
    }

    private static TensorDataset split(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte"), labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) throw new IOException(dir + ": missing " + prefix + " images or labels (IDX files)");
        Path cache = cacheDir();
        return fromIdx(Idx.readCached(images, cache), Idx.readCached(labels, cache), dir.toString());
    }

    /**
     * Where decompressed copies of the gzipped IDX files are kept ({@link Idx#readCached}): the
     * system property {@code jgrad.cache} ({@code none} turns the cache off), else
     * {@code ~/.cache/jgrad/idx}.
     *
     * @return the cache folder, or null when the cache is off
     */
    public static Path cacheDir() {
        String p = System.getProperty("jgrad.cache");
        if (p != null) return p.equals("none") ? null : Path.of(p);
        return Path.of(System.getProperty("user.home"), ".cache", "jgrad", "idx");
    }

    /**
     * Samples of the training split at each array of indices (e.g. a shuffled train/validation
     * cut), one dataset per array, kept as the file's bytes ({@link ByteImages}: converted to
     * floats batch by batch, a quarter of the memory) and picked out by index, not copied: with
     * the cache on, the images stay in the mapped cached copy ({@link Idx#readRawCached}). The
     * same values as {@code load(dir).train()} gathered at those indices.
     *
     * @param dir folder holding the training IDX files
     * @param parts indices into the training split, one array per dataset wanted
     * @return one dataset per array, images {@code [len, 1, 28, 28]} in [0, 1] and labels {@code [len]}
     * @throws IOException if a file is missing, unreadable or malformed
     * @throws IndexOutOfBoundsException if an index is outside the training split
     */
    public static ByteImages[] trainSamples(Path dir, int[]... parts) throws IOException {
        Idx.Raw[] xy = raw(dir, "train");
        Idx.Raw x = xy[0], y = xy[1];
        int n = x.shape()[0];
        ByteImages[] out = new ByteImages[parts.length];
        for (int p = 0; p < parts.length; p++) {
            int[] idx = parts[p].clone();
            byte[] lab = new byte[idx.length];
            for (int i = 0; i < idx.length; i++) {
                int k = idx[i];
                if (k < 0 || k >= n) throw new IndexOutOfBoundsException("trainSamples: index " + k + " is out of range for " + n + " samples");
                lab[i] = y.data().get(y.offset() + k);
            }
            out[p] = ByteImages.rows(x.data(), x.offset(), idx, lab, 1, 28, 28);
        }
        return out;
    }

    /**
     * The 10,000 test images and labels kept as bytes, like {@link #trainSamples}: the same
     * values as {@link #test}, without the 31 MB float copy.
     *
     * @param dir folder holding the test IDX files
     * @return images {@code [10000, 1, 28, 28]} in [0, 1] and labels {@code [10000]}
     * @throws IOException if a file is missing, unreadable or malformed
     */
    public static ByteImages testSamples(Path dir) throws IOException {
        Idx.Raw[] xy = raw(dir, "t10k");
        int n = xy[0].shape()[0];
        byte[] lab = new byte[n];
        xy[1].data().get(xy[1].offset(), lab, 0, n);
        return ByteImages.rows(xy[0].data(), xy[0].offset(), java.util.stream.IntStream.range(0, n).toArray(), lab, 1, 28, 28);
    }

    /** The images and labels of one split as stored, checked to be {@code [n, 28, 28]} and {@code [n]}. */
    private static Idx.Raw[] raw(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte"), labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) throw new IOException(dir + ": missing " + prefix + " images or labels (IDX files)");
        Path cache = cacheDir();
        Idx.Raw x = Idx.readRawCached(images, cache), y = Idx.readRawCached(labels, cache);
        int[] s = x.shape();
        if (s.length != 3 || s[1] != 28 || s[2] != 28 || y.shape().length != 1 || y.shape()[0] != s[0]) {
            throw new IOException(dir + ": expected images [n, 28, 28] and labels [n], got " + java.util.Arrays.toString(s)
                    + " and " + java.util.Arrays.toString(y.shape()));
        }
        return new Idx.Raw[] {x, y};
    }

    /**
     * The 10,000 test images and labels.
     *
     * @param dir folder holding the test IDX files
     * @return images {@code [10000, 1, 28, 28]} in [0, 1] and labels {@code [10000]}
     * @throws IOException if a file is missing, unreadable or malformed
     */
    public static TensorDataset test(Path dir) throws IOException {
        return split(dir, "t10k");
    }

    /**
     * Number of samples in the training split (read from the labels file).
     *
     * @param dir folder holding the training labels file
     * @return the number of training samples
     * @throws IOException if the file is missing, unreadable or malformed
     */
    public static int trainSize(Path dir) throws IOException {
        Path labels = find(dir, "train-labels-idx1-ubyte");
        if (labels == null) throw new IOException(dir + ": missing train labels (IDX file)");
        return Idx.readRawCached(labels, cacheDir()).shape()[0];
    }

    /**
     * Builds a dataset from IDX streams (used for the copy embedded in the examples).
     *
     * @param images IDX stream of {@code [n, 28, 28]} bytes
     * @param labels IDX stream of {@code [n]} bytes
     * @param name name of the source in error messages
     * @return images {@code [n, 1, 28, 28]} scaled to [0, 1] and labels {@code [n]}
     * @throws IOException if a stream cannot be read or does not hold matching images and labels
     */
    public static TensorDataset fromStreams(InputStream images, InputStream labels, String name) throws IOException {
        return fromIdx(Idx.read(images, name + " images"), Idx.read(labels, name + " labels"), name);
    }

    private static TensorDataset fromIdx(Tensor images, Tensor labels, String name) throws IOException {
        int[] s = images.shape();
        if (s.length != 3 || s[1] != 28 || s[2] != 28 || labels.rank() != 1 || labels.size(0) != s[0]) {
            throw new IOException(name + ": expected images [n, 28, 28] and labels [n], got " + java.util.Arrays.toString(s)
                    + " and " + java.util.Arrays.toString(labels.shape()));
        }
        float[] px = images.data();
        for (int i = 0; i < px.length; i++) px[i] /= 255f;
        return new TensorDataset(images.reshape(s[0], 1, 28, 28), labels);
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
