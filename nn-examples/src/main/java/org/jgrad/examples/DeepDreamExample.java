package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Autograd;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.TensorDataset;
import org.jgrad.examples.plot.Images;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * DeepDream: keep a trained CNN fixed and change an image so that one channel (a "unit") of a
 * hidden layer fires more. The hidden layer's output is {@code net.slice(0, layer + 1)} — the
 * first modules of the network as a network of their own, sharing its weights. From a
 * Fashion-MNIST item (or {@code --image FILE}), for each unit u,
 * <pre>
 *   x ← x + lr · g / mean|g|,   g = ∂/∂x ( mean activation of channel u − λ·TV(x) )
 * </pre>
 * with the lecture's three regularisers: <b>jitter</b> (the image is shifted by up to two pixels
 * before each step and back after, so the ascent cannot build on one pixel grid), <b>octaves</b>
 * (the ascent runs first on a smaller copy, and the detail it adds is scaled up to the next size,
 * so larger patterns form) and a <b>smoothness penalty</b>, the total variation
 * TV(x) = Σ (x[i+1][j] − x[i][j])² + (x[i][j+1] − x[i][j])². Pixels stay in [0, 1]. The gradient is
 * taken for the image alone ({@link Autograd#grad}), in eval mode, so no weight changes.
 *
 * <p>Beside the dreams, the other view of a unit: the dataset items that excite it most.
 *
 * <pre>
 *   ./jgrad deepdream --out plots                      the second conv layer's first 8 channels
 *   ./jgrad deepdream --layer 1 --units 0,5,9 --image photo.png --out plots
 * </pre>
 */
public final class DeepDreamExample {

    /**
     * The layer's description, each unit's mean activation on the start image ({@code before})
     * and on its dream ({@code after}), whether every weight was bitwise unchanged, and the PNGs.
     */
    public record Result(String layer, int[] units, float[] before, float[] after, boolean weightsUnchanged, List<Path> files) {}

    /** The ascent: steps per octave, step size, total-variation weight λ, octaves (each 1.4× the last), jitter in pixels. */
    public record Dream(int steps, float lr, float tv, int octaves, int jitter) {}

    private DeepDreamExample() {}

    /** {@code deepdream}'s options: the layer and units, the start image, the ascent, the CNN's training. */
    @Command(name = "deepdream")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Option(names = "--layer", paramLabel = "K",
                description = "Module of the CNN's convolutional part whose units are amplified, 0..5 (default: ${DEFAULT-VALUE}).")
        int layer = 3;

        @Option(names = "--units", paramLabel = "A,B,..",
                description = "Channels of that layer, one dream each (default: ${DEFAULT-VALUE}).")
        String units = "0,1,2,3,4,5,6,7";

        @Option(names = "--item", paramLabel = "I",
                description = "Start from this Fashion-MNIST test item (default: ${DEFAULT-VALUE}).")
        int item = 0;

        @Option(names = "--image", paramLabel = "FILE",
                description = "Start from this image file instead.")
        Path image;

        @Option(names = "--steps", paramLabel = "N",
                description = "Ascent steps per octave (default: ${DEFAULT-VALUE}).")
        int steps = 30;

        @Option(names = "--lr", paramLabel = "X",
                description = "Step size of the ascent (default: ${DEFAULT-VALUE}).")
        double lr = 0.01;

        @Option(names = "--tv", paramLabel = "X",
                description = "Weight λ of the total-variation (smoothness) penalty (default: ${DEFAULT-VALUE}).")
        double tv = 0.002;

        @Option(names = "--octaves", paramLabel = "N",
                description = "Octaves, each 1.4× the last (default: ${DEFAULT-VALUE}).")
        int octaves = 3;

        @Option(names = "--jitter", paramLabel = "P",
                description = "Random shift of the image per step, in pixels (default: ${DEFAULT-VALUE}).")
        int jitter = 2;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Passes of the CNN over the training images (default: ${DEFAULT-VALUE}).")
        int epochs = 2;

        @Option(names = "--limit", paramLabel = "N",
                description = "Train the CNN on the first N training images (0: all) (default: ${DEFAULT-VALUE}).")
        int limit = 0;

        @Option(names = "--seed", paramLabel = "S",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            Dream dream = new Dream(steps, (float) lr, (float) tv, octaves, jitter);
            if (dream.steps() < 1 || dream.octaves() < 1 || dream.jitter() < 0) {
                throw new IllegalArgumentException("deepdream: --steps and --octaves must be at least 1 and --jitter at least 0, got "
                        + dream.steps() + ", " + dream.octaves() + ", " + dream.jitter());
            }
            Sequential net = (Sequential) FeatureVisExample.smallCnn(seed);
            if (layer < 0 || layer >= 6) {
                throw new IllegalArgumentException("deepdream: --layer must name one of the convolutional part's modules 0..5 ("
                        + describe(net) + "), got " + layer);
            }
            int channels = channelsAt(net, layer);
            int[] unitList = parseUnits(units, channels);
            FeatureVisExample.trainSmall(net, epochs, limit, seed, stdout);
            FiltersExample.Gray start = image != null ? FiltersExample.read(image, 64) : FiltersExample.fashionItem(item);
            if (start.height() < 8 || start.width() < 8) {
                throw new IllegalArgumentException("deepdream: the image must be at least 8×8 pixels, got " + start.height() + "×" + start.width());
            }
            return DeepDreamExample.run(net, layer, unitList, start, dream, seed, out.dir(), stdout);
        }
    }

    /** {@code deepdream [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Dreams one image per unit from {@code start} and writes {@code deepdream.png} and {@code top-items.png}. */
    public static Result run(Sequential net, int layer, int[] units, FiltersExample.Gray start, Dream dream, long seed, Path dir,
                             PrintStream out) throws IOException {
        net.eval();
        List<float[]> weightsBefore = FeatureVisExample.weights(net);
        Sequential hidden = net.slice(0, layer + 1);
        String layerName = "module " + layer + " (" + net.get(layer).getClass().getSimpleName() + ") of " + describe(net);
        int h = start.height(), w = start.width(), n = units.length;
        out.printf(Locale.ROOT, "deepdream: %s, units %s; start: %s%n", layerName, Arrays.toString(units), start.source());
        out.printf(Locale.ROOT, "  %d octave%s × %d steps of %.3g, jitter ±%d px, total variation λ %.3g%n", dream.octaves(),
                dream.octaves() == 1 ? "" : "s", dream.steps(), dream.lr(), dream.jitter(), dream.tv());

        // n copies of the start image, copy i dreamed for unit i (one batch, one graph per step)
        float[] base = new float[n * h * w];
        for (int i = 0; i < n; i++) System.arraycopy(start.pixels(), 0, base, i * h * w, h * w);
        float[] before = unitMeans(hidden, base, n, h, w, units);
        float[] detail = null;
        int dh = 0, dw = 0;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int o = dream.octaves() - 1; o >= 0; o--) {
            // octave sizes ..., size/1.4², size/1.4, size
            int oh = Math.max(8, (int) Math.round(h / Math.pow(1.4, o))), ow = Math.max(8, (int) Math.round(w / Math.pow(1.4, o)));
            float[] x = resize(base, n, h, w, oh, ow);
            if (detail != null) {
                float[] up = resize(detail, n, dh, dw, oh, ow);
                for (int i = 0; i < x.length; i++) x[i] = clamp(x[i] + up[i]);
            }
            float[] plain = x.clone();
            for (int step = 0; step < dream.steps(); step++) ascend(hidden, x, n, oh, ow, units, dream, rng);
            detail = new float[x.length];
            for (int i = 0; i < x.length; i++) detail[i] = x[i] - plain[i];
            dh = oh;
            dw = ow;
            out.printf(Locale.ROOT, "  octave %dx%d: mean unit activation %.3f%n", oh, ow, FeatureVisExample.mean(unitMeans(hidden, x, n, oh, ow, units)));
            if (o == 0) base = x;
        }
        float[] after = unitMeans(hidden, base, n, h, w, units);
        out.println("  unit   mean activation: start  dream");
        for (int i = 0; i < n; i++) out.printf(Locale.ROOT, "  %4d   %22.3f  %6.3f%n", units[i], before[i], after[i]);

        boolean unchanged = FeatureVisExample.sameWeights(weightsBefore, net);
        out.println(unchanged ? "the network's weights are bitwise unchanged" : "WARNING: the network's weights changed");

        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        images.add(start.pixels());
        captions.add("start");
        for (int i = 0; i < n; i++) {
            images.add(Arrays.copyOfRange(base, i * h * w, (i + 1) * h * w));
            captions.add("unit " + units[i]);
        }
        int scale = Math.max(1, 140 / Math.max(h, w));
        Path dreams = Images.grid(dir.resolve("deepdream.png"), "DeepDream: " + net.get(layer).getClass().getSimpleName() + " " + layer
                + ", one unit per image", images, h, w, Math.min(images.size(), 5), scale, captions);
        Path top = topItems(hidden, units, Math.min(units.length, 4), dir);
        out.println("wrote " + dreams);
        out.println("wrote " + top);
        return new Result(layerName, units, before, after, unchanged, List.of(dreams, top));
    }

    /** One ascent step for every image at once: jitter, gradient of (unit mean − λ·TV), normalised step, un-jitter, clamp. */
    private static void ascend(Sequential hidden, float[] x, int n, int h, int w, int[] units, Dream dream, SplittableRandom rng) {
        int sy = dream.jitter() == 0 ? 0 : rng.nextInt(-dream.jitter(), dream.jitter() + 1);
        int sx = dream.jitter() == 0 ? 0 : rng.nextInt(-dream.jitter(), dream.jitter() + 1);
        float[] shifted = roll(x, n, h, w, sy, sx);
        Tensor input = Tensor.of(shifted, n, 1, h, w).requiresGrad();
        Tensor act = hidden.forward(input);
        int c = act.size(1), cells = act.size(2) * act.size(3);
        Tensor objective = act.mul(unitMask(units, c)).sum().div(cells);
        float[] g = roll(Autograd.grad(objective, input)[0].data(), n, h, w, -sy, -sx);
        for (int i = 0; i < n; i++) {
            int off = i * h * w;
            double sum = 0;
            float[] step = new float[h * w];
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    int k = off + r * w + q;
                    // ∂TV/∂x: each of the up to four neighbour differences that x[r][q] takes part in
                    float tv = 0;
                    if (r > 0) tv += 2 * (x[k] - x[k - w]);
                    if (r < h - 1) tv -= 2 * (x[k + w] - x[k]);
                    if (q > 0) tv += 2 * (x[k] - x[k - 1]);
                    if (q < w - 1) tv -= 2 * (x[k + 1] - x[k]);
                    float d = g[k] - dream.tv() * tv;
                    step[r * w + q] = d;
                    sum += Math.abs(d);
                }
            }
            float scale = (float) (dream.lr() / (sum / (h * w) + 1e-8));
            for (int k = 0; k < h * w; k++) x[off + k] = clamp(x[off + k] + scale * step[k]);
        }
    }

    /** [n, channels, 1, 1] with a 1 at (i, units[i]): picks each image's own unit by broadcasting. */
    private static Tensor unitMask(int[] units, int channels) {
        float[] m = new float[units.length * channels];
        for (int i = 0; i < units.length; i++) m[i * channels + units[i]] = 1;
        return Tensor.of(m, units.length, channels, 1, 1);
    }

    /** Mean activation of unit i on image i, without a graph. */
    private static float[] unitMeans(Sequential hidden, float[] x, int n, int h, int w, int[] units) {
        try (var off = GradMode.off()) {
            Tensor act = hidden.forward(Tensor.of(x.clone(), n, 1, h, w));
            int c = act.size(1), cells = act.size(2) * act.size(3);
            float[] a = act.data(), means = new float[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < cells; k++) s += a[(i * c + units[i]) * cells + k];
                means[i] = (float) (s / cells);
            }
            return means;
        }
    }

    /** The other view of a unit: the 6 test items (of the first 2,000) that excite it most, for the first {@code shown} units. */
    private static Path topItems(Sequential hidden, int[] units, int shown, Path dir) throws IOException {
        TensorDataset test = TrainExample.embedded();
        int count = Math.min(2000, test.size()), k = 6;
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = i;
        var batch = test.batch(idx);
        float[] pixels = batch.features().data();
        float[] labels = batch.labels().data();
        float[] score;
        int c, cells;
        try (var off = GradMode.off()) {
            Tensor act = hidden.forward(batch.features().reshape(count, 1, 28, 28));
            c = act.size(1);
            cells = act.size(2) * act.size(3);
            score = act.data();
        }
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int u = 0; u < shown; u++) {
            int unit = units[u];
            double[] mean = new double[count];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < cells; j++) mean[i] += score[(i * c + unit) * cells + j];
            }
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) order[i] = i;
            Arrays.sort(order, (p, q) -> Double.compare(mean[q], mean[p]));   // stable: ties keep item order
            for (int r = 0; r < k; r++) {
                int i = order[r];
                images.add(Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784));
                captions.add("unit " + unit + ": " + FashionMnist.CLASSES[(int) labels[i]]);
            }
        }
        return Images.grid(dir.resolve("top-items.png"), "Test items that excite each unit most", images, 28, 28, k, 4, captions);
    }

    /** Bilinear resize of n h×w images to oh×ow (pixel centres aligned). */
    static float[] resize(float[] x, int n, int h, int w, int oh, int ow) {
        if (h == oh && w == ow) return x.clone();
        float[] y = new float[n * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < oh; r++) {
                double sr = Math.max(0, Math.min(h - 1, (r + 0.5) * h / oh - 0.5));
                int r0 = (int) sr, r1 = Math.min(h - 1, r0 + 1);
                double fr = sr - r0;
                for (int q = 0; q < ow; q++) {
                    double sq = Math.max(0, Math.min(w - 1, (q + 0.5) * w / ow - 0.5));
                    int q0 = (int) sq, q1 = Math.min(w - 1, q0 + 1);
                    double fq = sq - q0;
                    int b = i * h * w;
                    double top = x[b + r0 * w + q0] * (1 - fq) + x[b + r0 * w + q1] * fq;
                    double bottom = x[b + r1 * w + q0] * (1 - fq) + x[b + r1 * w + q1] * fq;
                    y[i * oh * ow + r * ow + q] = (float) (top * (1 - fr) + bottom * fr);
                }
            }
        }
        return y;
    }

    /** Each image shifted cyclically by (dy, dx) pixels. */
    static float[] roll(float[] x, int n, int h, int w, int dy, int dx) {
        if (dy == 0 && dx == 0) return x.clone();
        float[] y = new float[x.length];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    y[i * h * w + Math.floorMod(r + dy, h) * w + Math.floorMod(q + dx, w)] = x[i * h * w + r * w + q];
                }
            }
        }
        return y;
    }

    /** Channels of module {@code layer}'s output: those of the last convolution at or before it. */
    private static int channelsAt(Sequential net, int layer) {
        int channels = 1;
        for (int i = 0; i <= layer; i++) if (net.get(i) instanceof Conv2d conv) channels = conv.weight().size(0);
        return channels;
    }

    private static int[] parseUnits(String list, int channels) {
        String[] parts = list.split(",");
        int[] units = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                units[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("deepdream: --units expects channel numbers separated by commas, got '" + list + "'");
            }
            if (units[i] < 0 || units[i] >= channels) {
                throw new IllegalArgumentException("deepdream: unit " + units[i] + " does not exist: the layer has channels 0.." + (channels - 1));
            }
        }
        return units;
    }

    private static String describe(Module net) {
        Sequential s = (Sequential) net;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) b.append(i == 0 ? "" : ", ").append(i).append(' ').append(s.get(i).getClass().getSimpleName());
        return b.toString();
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
