package org.jgrad.examples;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.data.TensorDataset;

/**
 * MNIST-1D (Greydanus 2020, "Scaling down deep learning", github.com/greydanus/mnist1d): a small,
 * procedurally generated stand-in for MNIST. Each of the ten digits is a 12-point 1-D template;
 * a sample is a template padded with zeros, stretched, scaled, shifted, buried in correlated and
 * independent noise, sheared, and resampled to 40 points.
 *
 * <p>This is the published recipe and its default arguments ({@link Recipe#DEFAULT}), written
 * afresh: the same transformations in the same order, with jgrad's seeded random stream instead
 * of NumPy's, so the numbers differ from the reference pickle but the distribution is the same.
 * As in the reference, samples come in equal numbers per class, are shuffled, standardised as a
 * whole (mean 0, standard deviation 1 over all values) and cut into train and test parts.
 *
 * <pre>{@code
 * jshell> var s = Mnist1d.generate(5000, 42);
 * jshell> s.train().features().shape()      // int[2] { 4000, 40 }
 * }</pre>
 */
public final class Mnist1d {

    /** Length of a generated sequence and number of classes (with the default recipe). */
    public static final int LENGTH = 40, CLASSES = 10;

    /**
     * The generator's arguments, named as in the reference's {@code get_dataset_args}: padding
     * lengths drawn from [padLow, padHigh], scale factor 1 ± scaleCoeff/2, translation by
     * 0 … maxTranslation−1 points, noise levels, shear slope ± shearScale/2, output length.
     */
    public record Recipe(double trainSplit, int padLow, int padHigh, double scaleCoeff, int maxTranslation,
            double corrNoiseScale, double iidNoiseScale, double shearScale, int finalSeqLength) {

        /** The published defaults. */
        public static final Recipe DEFAULT = new Recipe(0.8, 36, 60, 0.4, 48, 0.25, 2e-2, 0.75, LENGTH);
    }

    /** The two parts of a generated dataset: features [n, 40], labels [n] (class indices as floats). */
    public record Split(TensorDataset train, TensorDataset test) {}

    /** The digit shapes 0–9 before whitening (from the reference). */
    private static final double[][] RAW_TEMPLATES = {
        {5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5},
        {5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5},
        {5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5},
        {5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5},
        {5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5},
        {5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5},
        {5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5},
        {5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5},
        {5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5},
        {5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5},
    };

    private static final int TEMPLATE_LENGTH = 12;
    /** Standard deviation (in points) of the Gaussian that correlates the background noise, as in the reference. */
    private static final double NOISE_SIGMA = 2;

    private Mnist1d() {}

    /** {@code numSamples} samples (a multiple of 10 is used: numSamples/10 per class) with the default recipe. */
    public static Split generate(int numSamples, long seed) {
        return generate(numSamples, Recipe.DEFAULT, seed);
    }

    /** {@code numSamples/10} samples per class made by {@code recipe}, shuffled, standardised and split. */
    public static Split generate(int numSamples, Recipe recipe, long seed) {
        int perClass = numSamples / CLASSES, n = perClass * CLASSES, len = recipe.finalSeqLength();
        if (perClass < 1) throw new IllegalArgumentException("Mnist1d: need at least " + CLASSES + " samples, got " + numSamples);
        if (!(recipe.trainSplit() > 0 && recipe.trainSplit() <= 1)) {
            throw new IllegalArgumentException("Mnist1d: trainSplit must be in (0, 1], got " + recipe.trainSplit());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] templates = templates();
        double[][] xs = new double[n][];
        int[] ys = new int[n];
        for (int c = 0, i = 0; c < CLASSES; c++) {
            for (int k = 0; k < perClass; k++, i++) {
                xs[i] = transform(templates[c], recipe, rng);
                ys[i] = c;
            }
        }
        int[] order = permutation(n, rng);
        // standardise over the whole dataset, before the split, as the reference does
        double sum = 0, sq = 0;
        for (double[] x : xs) for (double v : x) sum += v;
        double mean = sum / ((double) n * len);
        for (double[] x : xs) for (double v : x) sq += (v - mean) * (v - mean);
        double std = Math.sqrt(sq / ((double) n * len));
        float[] features = new float[n * len], labels = new float[n];
        for (int i = 0; i < n; i++) {
            double[] x = xs[order[i]];
            for (int j = 0; j < len; j++) features[i * len + j] = (float) ((x[j] - mean) / std);
            labels[i] = ys[order[i]];
        }
        int nTrain = (int) (n * recipe.trainSplit());
        return new Split(part(features, labels, 0, nTrain, len), part(features, labels, nTrain, n, len));
    }

    /** The same features with labels replaced by classes drawn uniformly at random (nothing left to learn but the samples themselves). */
    public static TensorDataset randomLabels(TensorDataset data, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] labels = new float[data.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(CLASSES);
        return new TensorDataset(data.features(), Tensor.of(labels, labels.length));
    }

    /**
     * The ten templates as the reference prepares them: each standardised (population standard
     * deviation), shifted so that it starts (and ends) at 0, and divided by 6.
     */
    static double[][] templates() {
        double[][] t = new double[CLASSES][TEMPLATE_LENGTH];
        for (int c = 0; c < CLASSES; c++) {
            double[] raw = RAW_TEMPLATES[c];
            double mean = 0, var = 0;
            for (double v : raw) mean += v / raw.length;
            for (double v : raw) var += (v - mean) * (v - mean) / raw.length;
            double std = Math.sqrt(var), first = (raw[0] - mean) / std;
            for (int j = 0; j < raw.length; j++) t[c][j] = ((raw[j] - mean) / std - first) / 6;
        }
        return t;
    }

    /**
     * One sample from a template, the reference's {@code transform}: pad, resample to
     * 12 + padHigh points, scale, translate (circularly), fill the background with smoothed
     * noise, add independent noise everywhere, shear, resample to the final length.
     */
    static double[] transform(double[] template, Recipe r, RandomGenerator rng) {
        // the tiny offset keeps the template's zero end points apart from the zero padding (the mask below)
        int pad = r.padLow() + (int) (rng.nextDouble() * (r.padHigh() - r.padLow() + 1));
        double[] padded = new double[template.length + pad];
        for (int j = 0; j < template.length; j++) padded[j] = template[j] + 1e-8;
        int m = template.length + r.padHigh();
        double[] x = interpolate(padded, m);   // a shorter padding stretches the digit more
        double scale = 1 + r.scaleCoeff() * (rng.nextDouble() - 0.5);
        for (int j = 0; j < m; j++) x[j] *= scale;
        x = roll(x, rng.nextInt(r.maxTranslation()));
        double[] background = smooth(gaussian(m, r.corrNoiseScale(), rng));
        for (int j = 0; j < m; j++) if (x[j] == 0) x[j] = background[j];
        double[] iid = gaussian(m, r.iidNoiseScale(), rng);
        double shear = r.shearScale() * (rng.nextDouble() - 0.5);
        for (int j = 0; j < m; j++) x[j] += iid[j] - shear * (-0.5 + (double) j / (m - 1));
        return interpolate(x, r.finalSeqLength());
    }

    /** Linear interpolation of x, seen as samples on [0, 1], at n evenly spaced points of [0, 1]. */
    static double[] interpolate(double[] x, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double pos = n == 1 ? 0 : (double) i * (x.length - 1) / (n - 1);
            int lo = Math.min((int) pos, x.length - 2);
            double f = pos - lo;
            out[i] = x[lo] + f * (x[lo + 1] - x[lo]);
        }
        return out;
    }

    /** Shifts x right by k places, the last k wrapping round to the front. */
    private static double[] roll(double[] x, int k) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) out[(j + k) % x.length] = x[j];
        return out;
    }

    private static double[] gaussian(int n, double scale, RandomGenerator rng) {
        double[] g = new double[n];
        for (int j = 0; j < n; j++) g[j] = scale * rng.nextGaussian();
        return g;
    }

    /**
     * Gaussian smoothing with σ = 2 points, as SciPy's {@code gaussian_filter} does it: kernel
     * cut at 4σ, normalised, edges mirrored including the edge value ("reflect").
     */
    static double[] smooth(double[] x) {
        int radius = (int) (4 * NOISE_SIGMA + 0.5), n = x.length;
        double[] w = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += w[k + radius] = Math.exp(-0.5 * k * k / (NOISE_SIGMA * NOISE_SIGMA));
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = -radius; k <= radius; k++) {
                int i = j + k;
                i = i < 0 ? -i - 1 : i >= n ? 2 * n - 1 - i : i;
                s += w[k + radius] * x[i];
            }
            out[j] = s / total;
        }
        return out;
    }

    /** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
    private static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static TensorDataset part(float[] features, float[] labels, int from, int to, int len) {
        float[] x = java.util.Arrays.copyOfRange(features, from * len, to * len);
        float[] y = java.util.Arrays.copyOfRange(labels, from, to);
        return new TensorDataset(Tensor.of(x, to - from, len), Tensor.of(y, to - from));
    }
}
