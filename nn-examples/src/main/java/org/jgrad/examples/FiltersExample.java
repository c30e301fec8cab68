package org.jgrad.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jgrad.core.Functional;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.FashionMnist;
import org.jgrad.examples.plot.Images;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The classic 3×3 image filters of the course — identity, three edge detectors, sharpen, box
 * blur, Gaussian blur, emboss — written as fixed convolution weights and applied to a real image
 * by the library's {@link Functional#conv2d} (one call: the eight kernels are the eight output
 * channels of one weight {@code [8, 1, 3, 3]}, padding 1 keeps the size). The picture shows the
 * original and the eight responses, each stretched to black..white over its own range, so an
 * edge map (mostly zero, with positive and negative edges) shows grey with dark and light lines.
 *
 * <p>The emboss kernel's centre is 1, {@code [[-2,-1,0] [-1,1,1] [0,1,2]]}, although lecture
 * slides sometimes print it with a 0 there: with 1 the nine weights sum to 1, so a flat region
 * keeps its brightness and only slopes come out lighter or darker (the relief); with a centre
 * of 0 they sum to 0 and every flat region goes black, an edge map rather than an emboss. The
 * example prints this as a note ({@link #EMBOSS_NOTE}).
 *
 * <p>By default the image is item {@code --index I} of the 10,000 Fashion-MNIST test images
 * shipped with the examples; {@code --image FILE} takes any PNG, JPEG, GIF or BMP instead,
 * converted to grey and shrunk by an integer factor to at most {@code --max-side} pixels.
 *
 * <pre>
 *   ./jgrad filters --out plots --index 7
 *   ./jgrad filters --out plots --image photo.jpg
 * </pre>
 */
public final class FiltersExample {

    /** A named 3×3 kernel, row-major. */
    public record Filter(String name, float[] kernel) {}

    /** The course's filters, in the order they are drawn. */
    public static final List<Filter> FILTERS = List.of(
            new Filter("identity", new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0}),
            new Filter("edge 1 (diagonal)", new float[] {1, 0, -1, 0, 0, 0, -1, 0, 1}),
            new Filter("edge 2 (Laplacian)", new float[] {0, 1, 0, 1, -4, 1, 0, 1, 0}),
            new Filter("edge 3 (all ways)", new float[] {-1, -1, -1, -1, 8, -1, -1, -1, -1}),
            new Filter("sharpen", new float[] {0, -1, 0, -1, 5, -1, 0, -1, 0}),
            new Filter("box blur", scaled(1f / 9, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
            new Filter("Gaussian blur", scaled(1f / 16, 1, 2, 1, 2, 4, 2, 1, 2, 1)),
            new Filter("emboss", new float[] {-2, -1, 0, -1, 1, 1, 0, 1, 2}));

    /** The note printed under the filters: why the emboss kernel's centre is 1. */
    public static final String EMBOSS_NOTE = "note: emboss has centre 1 (some slides print 0): its weights sum to 1, so a flat"
            + " region keeps its brightness; with centre 0 they sum to 0 and flat regions go black, an edge map, not an emboss";

    /** The filter of {@link #FILTERS} called {@code name}. */
    public static Filter filter(String name) {
        for (Filter f : FILTERS) if (f.name().equals(name)) return f;
        throw new IllegalArgumentException("filters: no filter named '" + name + "'");
    }

    /** The grey input (values in [0, 1], row-major), where it came from, the responses in {@link #FILTERS} order. */
    public record Result(float[] image, int height, int width, String source, List<float[]> filtered, List<Path> files) {}

    /** A grey image, row-major, with a description of where it came from. */
    public record Gray(float[] pixels, int height, int width, String source) {}

    private FiltersExample() {}

    /** {@code filters}' options: a Fashion-MNIST item or an image file. */
    @Command(name = "filters")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--index", paramLabel = "I",
                description = "Which of the 10,000 Fashion-MNIST test images shipped with the examples (default: ${DEFAULT-VALUE}).")
        int index = 0;

        @Option(names = "--image", paramLabel = "FILE",
                description = "A PNG, JPEG, GIF or BMP file instead (made grey).")
        Path image;

        @Option(names = "--max-side", paramLabel = "N",
                description = "The image is shrunk by a whole factor to at most N pixels a side (default: ${DEFAULT-VALUE}).")
        int maxSide = 256;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            if (maxSide < 3) throw new IllegalArgumentException("filters: --max-side must be at least 3, got " + maxSide);
            Gray g = image != null ? read(image, maxSide) : fashionItem(index);
            return FiltersExample.run(g, out.dir(), stdout);
        }
    }

    /** {@code filters [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Filters {@code g}, prints the range of every response and writes {@code filters.png} to {@code dir}. */
    public static Result run(Gray g, Path dir, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "filters: %d×%d image, %s%n", g.width(), g.height(), g.source());
        List<float[]> filtered = apply(g.pixels(), g.height(), g.width());
        List<float[]> images = new ArrayList<>(List.of(g.pixels()));
        List<String> captions = new ArrayList<>(List.of("original"));
        for (int k = 0; k < FILTERS.size(); k++) {
            float[] y = filtered.get(k);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : y) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            out.printf(Locale.ROOT, "  %-20s kernel %-38s output range [%7.3f, %7.3f]%n", FILTERS.get(k).name(),
                    kernelText(FILTERS.get(k).kernel()), lo, hi);
            images.add(y);
            captions.add(FILTERS.get(k).name());
        }
        out.println("  " + EMBOSS_NOTE);
        // about 200 pixels per picture whatever the image size: 28×28 items are drawn 7 pixels per value
        int scale = Math.max(1, 200 / Math.max(g.height(), g.width()));
        Path png = Images.gridWithScales(dir.resolve("filters.png"), "3×3 filters by conv2d, each drawn over its own range", images, g.height(), g.width(), 3, scale, captions);
        out.println("wrote " + png);
        return new Result(g.pixels(), g.height(), g.width(), g.source(), filtered, List.of(png));
    }

    /**
     * The responses of every filter of {@link #FILTERS} to a grey {@code h × w} image, same size
     * (zero padding of 1), through one {@link Functional#conv2d} with the kernels as its 8 output
     * channels.
     */
    public static List<float[]> apply(float[] image, int h, int w) {
        int k = FILTERS.size();
        float[] weights = new float[k * 9];
        for (int i = 0; i < k; i++) System.arraycopy(FILTERS.get(i).kernel(), 0, weights, 9 * i, 9);
        float[] y;
        try (var off = GradMode.off()) {   // fixed weights: nothing to differentiate
            y = Functional.conv2d(Tensor.of(image.clone(), 1, 1, h, w), Tensor.of(weights, k, 1, 3, 3), null, 1, 1).toArray();
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < k; i++) out.add(java.util.Arrays.copyOfRange(y, i * h * w, (i + 1) * h * w));
        return out;
    }

    /** Item {@code index} (0..9,999, in the order of the original test file) of the embedded Fashion-MNIST images. */
    public static Gray fashionItem(int index) throws IOException {
        var all = TrainExample.embedded();
        if (index < 0 || index >= all.size()) {
            throw new IllegalArgumentException("filters: --index must be in 0.." + (all.size() - 1) + ", got " + index);
        }
        var b = all.batch(new int[] {index});
        String name = FashionMnist.CLASSES[(int) b.labels().item()];
        return new Gray(b.features().toArray(), 28, 28, "Fashion-MNIST test item " + index + " (" + name + ")");
    }

    /**
     * Reads an image file as grey values in [0, 1] (luma 0.299 R + 0.587 G + 0.114 B), averaged
     * over k × k blocks with the smallest k that brings both sides to at most {@code maxSide}.
     */
    public static Gray read(Path file, int maxSide) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("filters: image file " + file + " does not exist");
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IllegalArgumentException("filters: cannot read " + file + " as an image (PNG, JPEG, GIF or BMP expected)");
        }
        int w0 = img.getWidth(), h0 = img.getHeight();
        int k = (Math.max(w0, h0) + maxSide - 1) / maxSide;
        int w = w0 / k, h = h0 / k;
        if (w == 0 || h == 0) {
            throw new IllegalArgumentException("filters: " + file + " is " + w0 + "×" + h0 + ", too thin to shrink to --max-side " + maxSide);
        }
        float[] px = new float[h * w];
        for (int y = 0; y < h * k; y++) {
            for (int x = 0; x < w * k; x++) {
                int rgb = img.getRGB(x, y);
                float luma = (0.299f * (rgb >> 16 & 0xFF) + 0.587f * (rgb >> 8 & 0xFF) + 0.114f * (rgb & 0xFF)) / 255f;
                px[(y / k) * w + x / k] += luma / (k * k);
            }
        }
        String how = k == 1 ? "" : String.format(Locale.ROOT, ", shrunk %d× from %d×%d", k, w0, h0);
        return new Gray(px, h, w, file + how);
    }

    private static float[] scaled(float f, float... k) {
        for (int i = 0; i < k.length; i++) k[i] *= f;
        return k;
    }

    /** A kernel as the course writes it: {@code [[0,1,0] [1,-4,1] [0,1,0]]}, blurs as {@code 1/16·[[1,2,1] ...]}. */
    private static String kernelText(float[] k) {
        int d = 1;
        for (int cand : new int[] {1, 9, 16}) {
            boolean whole = true;
            for (float v : k) whole &= Math.abs(v * cand - Math.rint(v * cand)) < 1e-4;
            if (whole) {
                d = cand;
                break;
            }
        }
        StringBuilder sb = new StringBuilder(d == 1 ? "[" : "1/" + d + "·[");
        for (int r = 0; r < 3; r++) {
            sb.append(r == 0 ? "[" : " [");
            for (int c = 0; c < 3; c++) sb.append(c == 0 ? "" : ",").append(Math.round(k[3 * r + c] * d));
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
