package org.jgrad.train;

import org.jgrad.core.Tensor;

/** Classification metrics on logits [n, classes] and labels [n] (class indices). */
public final class Metrics {

    private Metrics() {}

    /** Fraction of rows whose largest logit is at the label. */
    public static double accuracy(Tensor logits, Tensor labels) {
        return topKAccuracy(logits, labels, 1);
    }

    /** Fraction of rows whose label is among the k largest logits (ties counted in the label's favour only if strictly larger values number fewer than k). */
    public static double topKAccuracy(Tensor logits, Tensor labels, int k) {
        int n = check("topKAccuracy", logits, labels);
        if (n == 0) return 0;
        return (double) countTopK(logits.data(), labels.data(), logits.size(1), k) / n;
    }

    /** Number of rows whose label is among the k largest logits. */
    static long countTopK(float[] logits, float[] labels, int classes, int k) {
        long hits = 0;
        for (int i = 0; i < labels.length; i++) {
            int label = (int) labels[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("accuracy: label " + labels[i] + " at row " + i + " is out of range for " + classes + " classes");
            }
            float v = logits[i * classes + label];
            int larger = 0;
            for (int j = 0; j < classes; j++) if (logits[i * classes + j] > v) larger++;
            if (larger < k) hits++;
        }
        return hits;
    }

    /** Index of the largest of {@code n} values from {@code offset} (first on ties). */
    public static int argmax(float[] a, int offset, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) if (a[offset + j] > a[offset + best]) best = j;
        return best;
    }

    /** The confusion matrix of a whole batch. */
    public static ConfusionMatrix confusion(Tensor logits, Tensor labels, String... names) {
        check("confusion", logits, labels);
        ConfusionMatrix m = new ConfusionMatrix(logits.size(1), names);
        m.add(labels.data(), logits.data());
        return m;
    }

    private static int check(String op, Tensor logits, Tensor labels) {
        if (logits.rank() != 2 || labels.rank() != 1 || logits.size(0) != labels.size(0)) {
            throw new IllegalArgumentException(op + ": expected logits [n, classes] and labels [n], got "
                    + java.util.Arrays.toString(logits.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        return labels.size(0);
    }
}
