package org.jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsPlainAndGzipped() throws IOException {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 255, 7, 9}, 2, 3);
        Path plain = dir.resolve("a-idx3-ubyte");
        Idx.write(plain, t);
        assertThat(Idx.read(plain).shape()).containsExactly(2, 3);
        assertThat(Idx.read(plain).toArray()).containsExactly(t.toArray());
        Path gz = dir.resolve("a.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        assertThat(Idx.read(gz).toArray()).containsExactly(t.toArray());
    }

    @Test
    void refusesTruncatedForeignAndOddFilesNamingThem() throws IOException {
        Path good = dir.resolve("good");
        Idx.write(good, Tensor.ones(4, 5));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Idx.read(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated").hasMessageContaining(truncated.toString()).hasMessageContaining("[4, 5]");
        Path trailing = dir.resolve("trailing");
        Files.write(trailing, Arrays.copyOf(bytes, bytes.length + 2));
        assertThatThrownBy(() -> Idx.read(trailing)).hasMessageContaining("trailing bytes");
        Path magic = dir.resolve("magic");
        byte[] wrong = bytes.clone();
        wrong[0] = 0x50;
        Files.write(magic, wrong);
        assertThatThrownBy(() -> Idx.read(magic)).hasMessageContaining("not an IDX file").hasMessageContaining("magic");
        Path type = dir.resolve("type");
        byte[] floats = bytes.clone();
        floats[2] = 0x0D;
        Files.write(type, floats);
        assertThatThrownBy(() -> Idx.read(type)).hasMessageContaining("value type 0x0d is not supported");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {0, 0});
        assertThatThrownBy(() -> Idx.read(tiny)).hasMessageContaining("only 2 bytes");
    }

    /** The bytes of an IDX header for unsigned bytes of {@code dims} (no values). */
    static byte[] idxHeader(int... dims) {
        var b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length).put(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    static byte[] gzip(byte[]... parts) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (byte[] p : parts) out.write(p);
        }
        return bytes.toByteArray();
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    /**
     * A 600 KiB gzip file declaring shape [10] whose stream goes on for 600 MiB (gzip members of a
     * MiB of zeros each) ran out of memory at 256 MiB: the whole stream was decompressed before
     * the header was looked at. Now the reader stops one byte after the declared ten values.
     */
    @Test
    void aGzipFileLongerThanItsHeaderSaysIsRefusedWithoutDecompressingTheRest() throws IOException {
        byte[] zeros = gzip(new byte[1 << 20]);
        var bomb = new java.io.ByteArrayOutputStream();
        bomb.writeBytes(gzip(idxHeader(10), new byte[10]));
        for (int i = 0; i < 600; i++) bomb.writeBytes(zeros);
        Path gz = Files.write(dir.resolve("bomb-idx1-ubyte.gz"), bomb.toByteArray());
        assertThat(Files.size(gz)).isGreaterThan(500_000);
        assertThatThrownBy(() -> Idx.read(gz)).isInstanceOf(IOException.class).hasMessageStartingWith(gz.toString())
                .hasMessageContaining("[10]").hasMessageContaining("trailing bytes");
        try (var in = new Counting(Files.newInputStream(gz))) {
            assertThatThrownBy(() -> Idx.read(in, "bomb")).isInstanceOf(IOException.class).hasMessageStartingWith("bomb:")
                    .hasMessageContaining("trailing bytes");
            assertThat(in.count).as("compressed bytes read").isLessThan(64 << 10);
        }
        Path cache = dir.resolve("cache");
        assertThatThrownBy(() -> Idx.readCached(gz, cache)).isInstanceOf(IOException.class).hasMessageContaining("trailing bytes");
        assertThat(cache).doesNotExist();
    }

    /** [65536, 65536, 65536, 65536] multiplied to 0 in a long, so an empty file "matched" it. */
    @Test
    void refusesDimensionsWhoseProductOverflowsOrExceedsTheLimit() throws IOException {
        for (int[] dims : new int[][] {{65536, 65536, 65536, 65536}, {1 << 30, 2}, {Integer.MAX_VALUE}, {0, 1 << 16, 1 << 16}}) {
            String shape = Arrays.toString(dims);
            Path plain = Files.write(dir.resolve("dims-idx-ubyte"), idxHeader(dims));
            Path gz = Files.write(dir.resolve("dims-idx-ubyte.gz"), gzip(idxHeader(dims)));
            for (Path p : new Path[] {plain, gz}) {
                assertThatThrownBy(() -> Idx.read(p)).as("%s %s", p, shape).isInstanceOf(IOException.class)
                        .hasMessageStartingWith(p.toString()).hasMessageContaining(shape)
                        .hasMessageContaining("more than " + (Integer.MAX_VALUE - 64) + " values");
                assertThatThrownBy(() -> Idx.readRawCached(p, dir.resolve("cache"))).isInstanceOf(IOException.class)
                        .hasMessageContaining(shape);
            }
        }
    }

    /** Bytes allocated by this thread while {@code r} runs (HotSpot's per-thread counter). */
    private static long allocatedBy(org.junit.jupiter.api.function.Executable r) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        try {
            r.execute();
        } catch (Throwable t) {
            // the caller checks the exception separately
        }
        return mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }

    /** A gzip stream cannot be sized up front: memory grows with the bytes that actually arrive. */
    @Test
    void aShortGzipFileDeclaringAHugeShapeAllocatesOnlyWhatItHolds() throws IOException {
        Path gz = Files.write(dir.resolve("short-idx1-ubyte.gz"), gzip(idxHeader(2_000_000_000), new byte[1000]));
        assertThatThrownBy(() -> Idx.read(gz)).isInstanceOf(IOException.class).hasMessageStartingWith(gz.toString())
                .hasMessageContaining("[2000000000]").hasMessageContaining("holds 1000").hasMessageContaining("truncated");
        assertThat(allocatedBy(() -> Idx.read(gz))).isLessThan(16 << 20);
    }

    /** Each of the four Fashion-MNIST files: a bare EOFException or ZipException named none of them. */
    @Test
    void gzipProblemsNameTheFileAndWhatIsWrong() throws IOException {
        Path data = Files.createDirectories(dir.resolve("fm"));
        Idx.write(data.resolve("train-images-idx3-ubyte"), Tensor.zeros(2, 28, 28));
        Idx.write(data.resolve("t10k-images-idx3-ubyte"), Tensor.zeros(1, 28, 28));
        Idx.write(data.resolve("t10k-labels-idx1-ubyte"), Tensor.zeros(1));
        byte[] labels = gzip(idxHeader(2), new byte[] {3, 4});
        Path gz = data.resolve("train-labels-idx1-ubyte.gz");

        Files.write(gz, Arrays.copyOf(labels, labels.length - 5));             // cut inside the trailer
        assertThatThrownBy(() -> FashionMnist.load(data)).isInstanceOf(IOException.class).hasMessageStartingWith(gz.toString())
                .hasMessageContaining("truncated gzip stream");
        Files.write(gz, Arrays.copyOf(labels, 12));                            // cut inside the compressed data
        assertThatThrownBy(() -> FashionMnist.load(data)).hasMessageStartingWith(gz.toString()).hasMessageContaining("truncated gzip stream");
        Files.write(gz, Arrays.copyOf(labels, 5));                             // cut inside the gzip header
        assertThatThrownBy(() -> FashionMnist.load(data)).hasMessageStartingWith(gz.toString()).hasMessageContaining("truncated gzip stream");

        byte[] crc = labels.clone();
        crc[crc.length - 8] ^= 1;                                              // CRC-32 of the contents
        Files.write(gz, crc);
        assertThatThrownBy(() -> FashionMnist.load(data)).hasMessageStartingWith(gz.toString()).hasMessageContaining("corrupt gzip stream");
        byte[] method = labels.clone();
        method[2] = 7;                                                         // not deflate
        Files.write(gz, method);
        assertThatThrownBy(() -> FashionMnist.load(data)).hasMessageStartingWith(gz.toString()).hasMessageContaining("corrupt gzip stream");

        Files.writeString(gz, "<html>404 Not Found</html>");                  // a download that went wrong
        assertThatThrownBy(() -> FashionMnist.load(data)).isInstanceOf(IOException.class).hasMessageStartingWith(gz.toString())
                .hasMessageContaining("not a gzip file");

        Files.write(gz, labels);
        assertThat(Idx.read(gz).toArray()).containsExactly(3, 4);                // (not load: it would cache a copy in ~/.cache)
    }

    private Path gzipped(String name, Tensor t) throws IOException {
        Path plain = dir.resolve(name + ".plain");
        Idx.write(plain, t);
        Path gz = dir.resolve(name + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        return gz;
    }

    private static List<Path> files(Path cache) throws IOException {
        try (var s = Files.list(cache)) {
            return s.sorted().toList();
        }
    }

    @Test
    void cachedReadsKeepOneVerifiedCopyAndRebuildACorruptOrTruncatedOne() throws IOException {
        Tensor t = Tensor.of(new float[] {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}, 3, 4);
        Path gz = gzipped("pi-idx2-ubyte", t), cache = dir.resolve("cache");
        assertThat(Idx.readCached(gz, cache).toArray()).containsExactly(t.toArray());
        List<Path> copies = files(cache);
        assertThat(copies).hasSize(1);
        Path copy = copies.get(0);
        assertThat(copy.getFileName().toString()).startsWith("pi-idx2-ubyte-").endsWith(".idx");
        byte[] good = Files.readAllBytes(copy);
        assertThat(Idx.readCached(gz, cache).toArray()).containsExactly(t.toArray());

        // a flipped value byte: the CRC no longer matches, so the copy is rebuilt, not used
        byte[] flipped = good.clone();
        flipped[20] ^= 0x40;
        Files.write(copy, flipped);
        assertThat(Idx.readCached(gz, cache).toArray()).containsExactly(t.toArray());
        assertThat(Files.readAllBytes(copy)).isEqualTo(good);

        // a copy cut short (a crash while it was written by something else): rebuilt
        for (int cut : new int[] {0, 3, good.length - 12, good.length - 1}) {
            Files.write(copy, Arrays.copyOf(good, cut));
            assertThat(Idx.readCached(gz, cache).toArray()).as("cut at %d", cut).containsExactly(t.toArray());
            assertThat(Files.readAllBytes(copy)).isEqualTo(good);
        }
        assertThat(files(cache)).containsExactly(copy);
    }

    @Test
    void aChangedSourceGetsANewCopyAndTheStaleOneGoes() throws IOException {
        Path gz = gzipped("d-idx1-ubyte", Tensor.of(new float[] {1, 2, 3})), cache = dir.resolve("cache");
        Idx.readCached(gz, cache);
        Path old = files(cache).get(0);
        Files.move(gzipped("e-idx1-ubyte", Tensor.of(new float[] {7, 8, 9, 10})), gz, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(gz, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(gz).toMillis() + 5000));
        assertThat(Idx.readCached(gz, cache).toArray()).containsExactly(7, 8, 9, 10);
        assertThat(files(cache)).hasSize(1).doesNotContain(old);
    }

    @Test
    void concurrentBuildersEachGetTheDataAndLeaveOneWholeCopy() throws Exception {
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) values[i] = i % 256;
        Path gz = gzipped("big-idx1-ubyte", Tensor.of(values)), cache = dir.resolve("cache");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new ArrayList<java.util.concurrent.Future<float[]>>();
            for (int i = 0; i < 8; i++) results.add(pool.submit(() -> Idx.readCached(gz, cache).toArray()));
            for (var r : results) assertThat(r.get()).containsExactly(values);
        } finally {
            pool.shutdown();
        }
        assertThat(files(cache)).hasSize(1);                       // no temporary files left behind
        assertThat(Idx.readCached(gz, cache).toArray()).containsExactly(values);
    }

    @Test
    void anUnwritableCacheFallsBackToReadingTheFile() throws IOException {
        Path gz = gzipped("f-idx1-ubyte", Tensor.of(new float[] {4, 5})), notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        assertThat(Idx.readCached(gz, notADir).toArray()).containsExactly(4, 5);
        assertThat(Idx.readCached(gz, null).toArray()).containsExactly(4, 5);
    }

    /** Trained on the installed dataset before, exiting 0, when the named folder was empty. */
    @Test
    void anExplicitFolderWithoutTheDataIsNotReplacedByAnother() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(FashionMnist.locate(empty)).isEmpty();
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.writeString(empty.resolve(f), "");
        }
        assertThat(FashionMnist.locate(empty)).contains(empty);
    }

    /** The main job's split comes straight from the bytes: it must hold what load() then a gather gives. */
    @Test
    void trainSamplesAreTheLoadedTrainingSetAtTheIndices() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        float[] px = new float[6 * 784], lab = new float[6], tpx = new float[2 * 784], tlab = new float[2];
        for (int i = 0; i < px.length; i++) px[i] = rnd.nextInt(256);
        for (int i = 0; i < lab.length; i++) lab[i] = rnd.nextInt(10);
        Path data = Files.createDirectories(dir.resolve("fmnist"));
        Idx.write(data.resolve("train-images-idx3-ubyte"), Tensor.of(px, 6, 28, 28));
        Idx.write(data.resolve("train-labels-idx1-ubyte"), Tensor.of(lab));
        Idx.write(data.resolve("t10k-images-idx3-ubyte"), Tensor.of(tpx, 2, 28, 28));
        Idx.write(data.resolve("t10k-labels-idx1-ubyte"), Tensor.of(tlab));
        TensorDataset full = FashionMnist.load(data).train();
        int[] a = {4, 0, 5}, b = {2};
        ByteImages[] parts = FashionMnist.trainSamples(data, a, b);
        assertThat(FashionMnist.trainSize(data)).isEqualTo(6);
        assertThat(parts[0].size()).isEqualTo(3);
        assertThat(parts[0].featureShape()).containsExactly(1, 28, 28);
        Batch first = parts[0].all();
        assertThat(first.features().shape()).containsExactly(3, 1, 28, 28);
        assertThat(first.features().toArray()).containsExactly(full.batch(a).features().toArray());
        assertThat(first.labels().toArray()).containsExactly(full.batch(a).labels().toArray());
        assertThat(parts[1].all().features().toArray()).containsExactly(full.batch(b).features().toArray());
        // a batch in another order, and a reshaped view of the same bytes
        assertThat(parts[0].batch(new int[] {2, 0}).features().toArray()).containsExactly(full.batch(new int[] {5, 4}).features().toArray());
        assertThat(parts[0].withFeatureShape(784).batch(new int[] {1}).features().shape()).containsExactly(1, 784);
        assertThatThrownBy(() -> parts[0].batch(new int[] {3})).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index 3");
        assertThatThrownBy(() -> parts[0].withFeatureShape(783)).hasMessageContaining("ByteImages");
        assertThat(FashionMnist.test(data).size()).isEqualTo(2);
    }

    /**
     * Gzipped files go through the cache: the first read decompresses, later reads map the copy
     * (no heap array); every way gives the values load() gives, for the train and test splits.
     */
    @Test
    void samplesFromTheMappedCacheAreTheLoadedValues() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        Path data = Files.createDirectories(dir.resolve("fmnist-gz"));
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? 7 : 3;
            float[] px = new float[n * 784], lab = new float[n];
            for (int i = 0; i < px.length; i++) px[i] = rnd.nextInt(256);
            for (int i = 0; i < lab.length; i++) lab[i] = rnd.nextInt(10);
            gzipIdx(data.resolve(split + "-images-idx3-ubyte"), Tensor.of(px, n, 28, 28));
            gzipIdx(data.resolve(split + "-labels-idx1-ubyte"), Tensor.of(lab));
        }
        String before = System.getProperty("jgrad.cache");
        System.setProperty("jgrad.cache", dir.resolve("cache").toString());
        try {
            TensorDataset train = FashionMnist.load(data).train(), test = FashionMnist.test(data);
            int[] a = {6, 1, 1, 3}, b = {0, 5};
            for (int round = 0; round < 2; round++) {           // decompressed, then mapped from the copy
                ByteImages[] parts = FashionMnist.trainSamples(data, a, b);
                assertThat(parts[0].all().features().toArray()).containsExactly(train.batch(a).features().toArray());
                assertThat(parts[0].all().labels().toArray()).containsExactly(train.batch(a).labels().toArray());
                assertThat(parts[1].batch(new int[] {1, 0}).features().toArray()).containsExactly(train.batch(new int[] {5, 0}).features().toArray());
                ByteImages t = FashionMnist.testSamples(data);
                assertThat(t.size()).isEqualTo(3);
                assertThat(t.all().features().toArray()).containsExactly(test.features().toArray());
                assertThat(t.all().labels().toArray()).containsExactly(test.labels().toArray());
            }
            Path images = data.resolve("train-images-idx3-ubyte.gz");
            assertThat(Idx.readRawCached(images, dir.resolve("cache")).data().isDirect()).as("the cached copy is mapped").isTrue();
            assertThat(Idx.readRawCached(images, dir.resolve("cache")).data().isReadOnly()).isTrue();
        } finally {
            if (before == null) System.clearProperty("jgrad.cache");
            else System.setProperty("jgrad.cache", before);
        }
    }

    private static void gzipIdx(Path gz, Tensor t) throws IOException {
        Path plain = gz.resolveSibling(gz.getFileName() + ".plain");
        Idx.write(plain, t);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz.resolveSibling(gz.getFileName() + ".gz")))) {
            out.write(Files.readAllBytes(plain));
        }
        Files.delete(plain);
    }

    /** Rows of a buffer: picked without copying, checked against the buffer's size. */
    @Test
    void byteImagesOverRowsOfABuffer() {
        byte[] bytes = new byte[3 + 4 * 6];                      // 3 header bytes, then 4 images of 2×3
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 37);
        var buf = java.nio.ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        ByteImages d = ByteImages.rows(buf, 3, new int[] {3, 0, 3}, new byte[] {7, 8, 9}, 2, 3);
        Batch b = d.batch(new int[] {2, 1});
        float[] want = new float[12];
        for (int j = 0; j < 6; j++) {
            want[j] = (bytes[3 + 3 * 6 + j] & 0xff) / 255f;
            want[6 + j] = (bytes[3 + j] & 0xff) / 255f;
        }
        assertThat(b.features().shape()).containsExactly(2, 2, 3);
        assertThat(b.features().toArray()).containsExactly(want);
        assertThat(b.labels().toArray()).containsExactly(9, 8);
        assertThat(d.withFeatureShape(6).batch(new int[] {0}).features().toArray()).containsExactly(java.util.Arrays.copyOfRange(want, 0, 6));
        assertThatThrownBy(() -> ByteImages.rows(buf, 3, new int[] {4}, new byte[] {1}, 2, 3))
                .hasMessageContaining("row 4 is outside the buffer, which holds 4 images");
        assertThatThrownBy(() -> ByteImages.rows(buf, 3, new int[] {0, 1}, new byte[] {1}, 2, 3)).hasMessageContaining("2 rows but 1 labels");
        assertThatThrownBy(() -> ByteImages.rows(buf, 40, new int[] {0}, new byte[] {1}, 2, 3)).hasMessageContaining("offset 40");
        assertThatThrownBy(() -> d.withFeatureShape(5)).hasMessageContaining("expected 6");
    }

    @Test
    void csvReadsFeaturesAndLabel() throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,4,1\n");
        TensorDataset ds = Csv.read(csv, true, -1);
        assertThat(ds.features().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(ds.labels().toArray()).containsExactly(0, 1);
        Files.writeString(csv, "1,2,0\n3,x,1\n");
        assertThatThrownBy(() -> Csv.read(csv, false, 2)).hasMessageContaining("line 2, column 2: 'x' is not a number");
    }
}
