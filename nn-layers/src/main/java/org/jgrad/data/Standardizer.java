package org.jgrad.data;

import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Variance;
import org.jgrad.core.Tensor;

/**
 * Per-feature standardisation x' = (x − mean) / std (or mean subtraction only), fitted on the
 * training split and then applied unchanged to validation and test data, so no statistic of
 * the held-out data leaks into training. Features with zero spread are only centred.
 */
public final class Standardizer {

    private final float[] mean, scale;

    private Standardizer(float[] mean, float[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /**
     * Fits on features [n, ...]: one mean and one population std per feature, by Apache Commons
     * Statistics ({@code Mean} and a biased {@code Variance}, each over the feature's column).
     *
     * @param features samples {@code [n, ...]}
     * @param scaleToUnitVariance true to divide by the std, false to only subtract the mean
     * @return the fitted transform
     */
    public static Standardizer fit(Tensor features, boolean scaleToUnitVariance) {
        int n = features.size(0), d = features.numel() / Math.max(1, n);
        float[] x = features.data();
        float[] mean = new float[d], scale = new float[d];
        double[] column = new double[n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) column[i] = x[i * d + j];
            mean[j] = n == 0 ? 0f : (float) Mean.of(column).getAsDouble();
            double sd = n == 0 ? 0 : Math.sqrt(Variance.of(column).setBiased(true).getAsDouble());
            scale[j] = scaleToUnitVariance && sd > 1e-12 ? (float) (1 / sd) : 1f;
        }
        return new Standardizer(mean, scale);
    }

    /**
     * A new tensor with the fitted transform applied to every sample.
     *
     * @param features samples with the fitted feature count
     * @return the transformed samples, of {@code features}' shape
     */
    public Tensor transform(Tensor features) {
        int n = features.size(0), d = features.numel() / Math.max(1, n);
        if (d != mean.length) {
            throw new IllegalArgumentException("Standardizer: fitted on " + mean.length + " features per sample, got " + d);
        }
        float[] x = features.data(), out = new float[x.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) out[i * d + j] = (x[i * d + j] - mean[j]) * scale[j];
        return Tensor.of(out, features.shape());
    }

    /**
     * Transforms the features of a whole dataset.
     *
     * @param ds the dataset to transform
     * @return a new dataset with transformed features and the same labels
     */
    public TensorDataset transform(Dataset ds) {
        Batch all = ds.all();
        return new TensorDataset(transform(all.features()), all.labels());
    }
}
