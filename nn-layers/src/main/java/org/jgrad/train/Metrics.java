package org.jgrad.train;

import org.jgrad.core.Tensor;
import org.jgrad.core.ops.ReduceOps;
import org.jgrad.core.ops.Shapes;

/** Classification metrics on logits [n, classes] and labels [n] (class indices). */
public final class Metrics {

    private Metrics() {}

    /**
     * Fraction of rows whose argmax is the label, with {@link Tensor#argmax}'s rule (the first
     * maximum; a NaN counts as the largest): a row of ties or of NaN is right only when the label
     * is its first column, never right for every label at once.
     *
     * @param logits scores {@code [n, classes]}
     * @param labels class indices {@code [n]}
     * @return the accuracy in [0, 1], 0 for no rows
     */
    public static double accuracy(Tensor logits, Tensor labels) {
        return topKAccuracy(logits, labels, 1);
    }

    /**
     * Fraction of rows whose label is among their first k columns in argmax order: sorted from
     * largest to smallest, NaN first, ties in column order (k = 1 is {@link #accuracy}).
     *
     * @param logits scores {@code [n, classes]}
     * @param labels class indices {@code [n]}
     * @param k number of top columns that count as right
     * @return the accuracy in [0, 1], 0 for no rows
     */
    public static double topKAccuracy(Tensor logits, Tensor labels, int k) {
        int n = check("topKAccuracy", logits, labels);
        if (n == 0) return 0;
        return (double) countTopK(logits.data(), labels.data(), logits.size(1), k) / n;
    }

    /** Number of rows whose label is among the k largest logits. */
    static long countTopK(float[] logits, float[] labels, int classes, int k) {
        long hits = 0;
        for (int i = 0; i < labels.length; i++) {
            int label = classIndex("accuracy", labels[i], i, classes);
            float v = logits[i * classes + label];
            int ahead = 0;
            for (int j = 0; j < classes && ahead < k; j++) {
                if (j != label && comesFirst(logits[i * classes + j], j, v, label)) ahead++;
            }
            if (ahead < k) hits++;
        }
        return hits;
    }

    /**
     * A label as a class index: a whole number in 0..classes−1, else an error naming the label as
     * written (1e10, not its cast 2147483647; NaN and 2.5 are no class, not classes 0 and 2).
     */
    static int classIndex(String op, float label, int row, int classes) {
        if (label != Math.rint(label) || label < 0 || label >= classes) {
            throw new IllegalArgumentException(op + ": label " + Shapes.str(label) + " at row " + row + " is out of range for "
                    + classes + " classes (expected a whole number in 0.." + (classes - 1) + ")");
        }
        return (int) label;
    }

    /** Whether value u of column j comes before value v of column l in argmax order (NaN first, then larger, then earlier). */
    private static boolean comesFirst(float u, int j, float v, int l) {
        if (u != u || v != v) return u != u && (v == v || j < l);
        return u > v || (u == v && j < l);
    }

    /**
     * Index of the largest of {@code n} values from {@code offset}: the first NaN, else the first maximum.
     *
     * @param a the values
     * @param offset index of the first value
     * @param n number of values
     * @return the index relative to {@code offset}
     */
    public static int argmax(float[] a, int offset, int n) {
        return ReduceOps.argmax(a, offset, n, 1);
    }

    /**
     * The confusion matrix of a whole batch.
     *
     * @param logits scores {@code [n, classes]}
     * @param labels class indices {@code [n]}
     * @param names a display name per class, or none
     * @return a new matrix holding the batch's predictions
     */
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
