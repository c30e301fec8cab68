package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jgrad.core.Functional;
import org.jgrad.core.GradMode;
import org.jgrad.core.Tensor;
import org.jgrad.examples.plot.Images;
import org.jgrad.nn.Conv1d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Convolution geometry, the lecture's numbers computed by the library. A filter of width F slid
 * with stride S over an input of width W padded with P zeros on each side fits
 * <pre>
 *   (W − F + 2P) / S + 1
 * </pre>
 * times. Every output size below is the length {@link Functional#conv1d} or the shape a
 * {@link Conv2d} actually returns, and every parameter count is a module's own
 * {@code numParameters()}, printed beside the formula.
 *
 * <ol>
 *   <li><b>1-D:</b> W = 5, F = 3, P = 1, weights [1, 0, −1] on the input [0, 1, 2, −1, 1]:
 *       stride 1 gives 5 outputs, stride 2 gives 3. With stride 3 the formula gives 4/3 + 1, not
 *       an integer: the stride cannot tile the input. jgrad, like PyTorch, floors (2 outputs) and
 *       the end of the padded input is never under a window; the example prints a warning.</li>
 *   <li><b>AlexNet's first layer:</b> 227×227×3 input, 96 filters 11×11, stride 4, no padding:
 *       (227 − 11)/4 + 1 = 55, so 55×55×96; each filter has 11·11·3 = 363 weights, the layer
 *       363·96 + 96 = 34,944 parameters.</li>
 *   <li><b>A 5×5×3 receptive field:</b> 75 weights and a bias, 76 parameters per filter, whatever the
 *       image size.</li>
 *   <li><b>Convolution is a sparse matrix with shared weights.</b> Row i of M holds the filter
 *       shifted by i·S columns over the padded input, so M · [0, x, 0] is exactly conv1d's output.
 *       A dense layer from 5 inputs to 5 outputs would learn all 25 entries; the convolution
 *       learns 3 and repeats them along the band. The picture {@code convgeometry.png} colours
 *       each copy of a weight alike, for stride 1 and stride 2.</li>
 * </ol>
 *
 * <pre>
 *   ./jgrad convgeometry --out plots
 * </pre>
 */
public final class ConvGeometryExample {

    /** The 1-D example's input (ours: the lecture fixes only its width) and filter. */
    public static final float[] X = {0, 1, 2, -1, 1}, FILTER = {1, 0, -1};
    /** The 1-D example's padding. */
    public static final int PADDING = 1;

    /** A strided convolution as a matrix over the zero-padded input, its product with that input and conv1d's output. */
    public record AsMatrix(int stride, float[][] matrix, float[] product, float[] conv) {}

    /**
     * conv1d's outputs for strides 1, 2, 3 (index stride − 1); AlexNet's first layer (output shape,
     * weights per filter, parameters); the 5×5×3 filter's weights and parameters; the matrices for
     * strides 1 and 2; a dense 5 → 5 layer's weights against the convolution's; the picture.
     */
    public record Result(float[][] outputs, int[] alexNetShape, long alexNetWeightsPerFilter, long alexNetParameters,
                         long fieldWeights, long fieldParameters, List<AsMatrix> matrices, long denseWeights, long convWeights,
                         List<Path> files) {}

    private ConvGeometryExample() {}

    /** {@code convgeometry} has only {@code --out}. */
    @Command(name = "convgeometry")
    static final class Options implements Cli.Job {
        @Mixin
        Cli.Out out;

        @Override
        public Result run(PrintStream stdout) throws IOException {
            try (var off = GradMode.off()) {   // nothing is trained here
                return ConvGeometryExample.run(out.dir(), stdout);
            }
        }
    }

    /** {@code convgeometry [options]} with the options of {@link Options} (the entry point of tests and notebooks). */
    public static Result main(String[] args, PrintStream out) throws IOException {
        return Cli.parse(new Options(), args).run(out);
    }

    /** Prints the four parts and writes {@code convgeometry.png} to {@code dir}. */
    public static Result run(Path dir, PrintStream out) throws IOException {
        int w = X.length, f = FILTER.length, span = w - f + 2 * PADDING;
        out.printf(Locale.ROOT, "convgeometry: outputs = (W − F + 2P)/S + 1, beside what jgrad computes%n");
        out.printf(Locale.ROOT, "1-D: x = %s (W = %d), filter %s (F = %d), padding P = %d%n", text(X), w, text(FILTER), f, PADDING);
        float[][] outputs = new float[3][];
        for (int s = 1; s <= 3; s++) {
            outputs[s - 1] = conv1d(X, FILTER, s, PADDING);
            out.printf(Locale.ROOT, "  stride %d: (%d − %d + %d)/%d + 1 = %-5s conv1d: %d outputs %s%n", s, w, f, 2 * PADDING, s,
                    span % s == 0 ? Integer.toString(span / s + 1) : String.format(Locale.ROOT, "%.2f", (double) span / s + 1),
                    outputs[s - 1].length, text(outputs[s - 1]));
            if (span % s != 0) {
                int n = outputs[s - 1].length, unread = w + 2 * PADDING - ((n - 1) * s + f);
                int inputsLost = Math.max(0, PADDING + w - ((n - 1) * s + f));
                out.printf(Locale.ROOT, "  warning: stride %d does not tile the input: W − F + 2P = %d is not a multiple of S = %d."
                        + " jgrad floors like PyTorch (%d outputs); the last %d position(s) of the padded input are under no window (%s)%n",
                        s, span, s, n, unread, inputsLost == 0 ? "padding only: every input is still read" : inputsLost + " input(s) never read");
            }
        }

        SplittableRandom rng = new SplittableRandom(1);
        Conv2d alex = new Conv2d(3, 96, 11, 4, 0, rng);
        int[] shape = alex.forward(Tensor.randn(rng, 1, 3, 227, 227)).shape();
        long perFilter = alex.weight().numel() / 96;
        out.printf(Locale.ROOT, "AlexNet's first layer: Conv2d(3, 96, 11, stride 4, padding 0) on 1×3×227×227%n");
        out.printf(Locale.ROOT, "  (227 − 11 + 0)/4 + 1 = %d; conv2d output %s = %d×%d×%d%n", (227 - 11) / 4 + 1, Arrays.toString(shape),
                shape[2], shape[3], shape[1]);
        out.printf(Locale.ROOT, "  weight %s: 11·11·3 = %d weights per filter; %d·96 + 96 = %,d parameters (numParameters %,d)%n",
                Arrays.toString(alex.weight().shape()), perFilter, perFilter, perFilter * 96 + 96, alex.numParameters());

        Conv2d field = new Conv2d(3, 1, 5, 1, 0, rng);
        out.printf(Locale.ROOT, "A 5×5×3 receptive field, Conv2d(3, 1, 5): %d weights + 1 bias = %d parameters per filter%n",
                field.weight().numel(), field.numParameters());

        List<AsMatrix> matrices = new ArrayList<>();
        for (int s = 1; s <= 2; s++) {
            float[][] m = matrix(w, FILTER, s, PADDING);
            AsMatrix am = new AsMatrix(s, m, times(m, padded(X, PADDING)), outputs[s - 1]);
            matrices.add(am);
            out.printf(Locale.ROOT, "Convolution as a matrix, stride %d: y = M · [0, x, 0], M is %d×%d (· = a zero that is no weight)%n",
                    s, m.length, m[0].length);
            out.print(matrixText(m, f, s));
            out.printf(Locale.ROOT, "  M · [0, x, 0] = %s, conv1d = %s: %s%n", text(am.product()), text(am.conv()),
                    Arrays.equals(am.product(), am.conv()) ? "equal" : "DIFFERENT");
        }
        long dense = new Linear(w, w, rng).weight().numel();
        long conv = new Conv1d(1, 1, f, 1, PADDING, 1, 1, true, rng).weight().numel();
        out.printf(Locale.ROOT, "  a dense layer from %d inputs to %d outputs learns %d weights; the convolution %d, shared along the band%n",
                w, w, dense, conv);

        Path png = draw(dir.resolve("convgeometry.png"), matrices);
        out.println("wrote " + png);
        return new Result(outputs, shape, perFilter, alex.numParameters(), field.weight().numel(), field.numParameters(),
                matrices, dense, conv, List.of(png));
    }

    /** One channel of {@link Functional#conv1d} without bias: {@code x} and {@code w} as {@code [1, 1, len]}. */
    public static float[] conv1d(float[] x, float[] w, int stride, int padding) {
        return Functional.conv1d(Tensor.of(x.clone(), 1, 1, x.length), Tensor.of(w.clone(), 1, 1, w.length), null, stride, padding)
                .toArray();
    }

    /**
     * The convolution of a width-{@code width} input as a matrix over the padded input: row i holds
     * {@code w} starting at column i·stride, as many rows as conv1d gives outputs.
     */
    public static float[][] matrix(int width, float[] w, int stride, int padding) {
        int cols = width + 2 * padding, rows = (cols - w.length) / stride + 1;
        float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(w, 0, m[i], i * stride, w.length);
        return m;
    }

    /** {@code x} with {@code p} zeros at each end. */
    static float[] padded(float[] x, int p) {
        float[] v = new float[x.length + 2 * p];
        System.arraycopy(x, 0, v, p, x.length);
        return v;
    }

    static float[] times(float[][] m, float[] v) {
        float[] y = new float[m.length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < v.length; j++) y[i] += m[i][j] * v[j];
        return y;
    }

    /** Which tap of the filter entry (i, c) of the matrix is, or −1 where it is no weight. */
    private static int tap(int i, int c, int f, int stride) {
        int r = c - i * stride;
        return r >= 0 && r < f ? r : -1;
    }

    private static String[] columnLabels(int cols) {
        String[] l = new String[cols];
        for (int c = 0; c < cols; c++) l[c] = c < PADDING || c >= cols - PADDING ? "pad" : "x" + (c - PADDING);
        return l;
    }

    private static String matrixText(float[][] m, int f, int stride) {
        StringBuilder sb = new StringBuilder("        ");
        for (String l : columnLabels(m[0].length)) sb.append(String.format(Locale.ROOT, "%4s", l));
        sb.append('\n');
        for (int i = 0; i < m.length; i++) {
            sb.append(String.format(Locale.ROOT, "    y%-2d[", i));
            for (int c = 0; c < m[i].length; c++) {
                sb.append(String.format(Locale.ROOT, "%4s", tap(i, c, f, stride) < 0 ? "·" : Integer.toString(Math.round(m[i][c]))));
            }
            sb.append(" ]\n");
        }
        return sb.toString();
    }

    /** The matrices as tables, each copy of weight k drawn in colour k. */
    private static Path draw(Path file, List<AsMatrix> matrices) throws IOException {
        List<Images.Cells> tables = new ArrayList<>();
        for (AsMatrix am : matrices) {
            float[][] m = am.matrix();
            String[] rows = new String[m.length];
            String[][] text = new String[m.length][m[0].length];
            int[][] kind = new int[m.length][m[0].length];
            for (int i = 0; i < m.length; i++) {
                rows[i] = "y" + i;
                for (int c = 0; c < m[i].length; c++) {
                    kind[i][c] = tap(i, c, FILTER.length, am.stride());
                    text[i][c] = Integer.toString(Math.round(m[i][c]));
                }
            }
            String caption = String.format(Locale.ROOT, "stride %d: %d×%d, 3 shared weights", am.stride(), m.length, m[0].length);
            tables.add(new Images.Cells(caption, rows, columnLabels(m[0].length), text, kind));
        }
        return Images.cells(file, "conv1d as a matrix, filter " + text(FILTER), tables);
    }

    private static String text(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(Math.round(v[i]) == v[i] ? Integer.toString(Math.round(v[i])) : Float.toString(v[i]));
        return sb.append(']').toString();
    }
}
