package org.jgrad.train;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, with accuracy and per-class precision and
 * recall, printable as a table.
 */
public final class ConfusionMatrix {

    private final long[][] counts;
    private final String[] names;

    /**
     * An empty matrix for {@code classes} classes.
     *
     * @param classes number of classes, at least 1
     * @param names a display name per class for {@link #toTable()}, or none for the class numbers
     * @throws IllegalArgumentException if {@code classes < 1} or the number of names differs from it
     */
    public ConfusionMatrix(int classes, String... names) {
        if (classes < 1) throw new IllegalArgumentException("ConfusionMatrix: need at least 1 class, got " + classes);
        if (names.length != 0 && names.length != classes) {
            throw new IllegalArgumentException("ConfusionMatrix: " + names.length + " names for " + classes + " classes");
        }
        this.counts = new long[classes][classes];
        this.names = names;
    }

    /**
     * Adds one prediction.
     *
     * @param actual the true class
     * @param predicted the predicted class
     * @throws IllegalArgumentException if a class is out of range
     */
    public void add(int actual, int predicted) {
        int c = counts.length;
        if (actual < 0 || actual >= c || predicted < 0 || predicted >= c) {
            throw new IllegalArgumentException("ConfusionMatrix: class " + (actual < 0 || actual >= c ? actual : predicted)
                    + " is out of range for " + c + " classes");
        }
        counts[actual][predicted]++;
    }

    /**
     * Adds every row of a batch: labels [n] against the argmax of logits [n, classes].
     *
     * @param labels class indices {@code [n]}, stored as floats
     * @param logits scores {@code [n, classes]} in row-major order
     * @throws IllegalArgumentException if a label is not a class index
     */
    public void add(float[] labels, float[] logits) {
        int c = counts.length;
        for (int i = 0; i < labels.length; i++) add(Metrics.classIndex("ConfusionMatrix", labels[i], i, c), Metrics.argmax(logits, i * c, c));
    }

    /**
     * The number of classes.
     *
     * @return the matrix's side
     */
    public int classes() {
        return counts.length;
    }

    /**
     * How many samples of class {@code actual} were predicted as {@code predicted}.
     *
     * @param actual the true class
     * @param predicted the predicted class
     * @return the count
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * The number of predictions added.
     *
     * @return the sum of all counts
     */
    public long total() {
        long t = 0;
        for (long[] row : counts) for (long v : row) t += v;
        return t;
    }

    /**
     * The fraction of predictions that were right.
     *
     * @return the diagonal's share of the total, 0 when empty
     */
    public double accuracy() {
        long right = 0;
        for (int i = 0; i < counts.length; i++) right += counts[i][i];
        long t = total();
        return t == 0 ? 0 : (double) right / t;
    }

    /**
     * Of the samples predicted as {@code k}, the fraction that are {@code k} (0 when none predicted).
     *
     * @param k a class
     * @return the precision of class {@code k}, in [0, 1]
     */
    public double precision(int k) {
        long predicted = 0;
        for (long[] row : counts) predicted += row[k];
        return predicted == 0 ? 0 : (double) counts[k][k] / predicted;
    }

    /**
     * Of the samples of class {@code k}, the fraction predicted as {@code k}.
     *
     * @param k a class
     * @return the recall of class {@code k}, in [0, 1], 0 when the class has no samples
     */
    public double recall(int k) {
        long actual = 0;
        for (long v : counts[k]) actual += v;
        return actual == 0 ? 0 : (double) counts[k][k] / actual;
    }

    private String name(int k) {
        return names.length == 0 ? Integer.toString(k) : names[k];
    }

    /**
     * Rows: true class; columns: predicted class; then precision and recall per class.
     *
     * @return the table as text, lines ending in a newline
     */
    public String toTable() {
        int c = counts.length;
        int label = 6;
        for (int k = 0; k < c; k++) label = Math.max(label, name(k).length());
        int cell = 6;
        for (long[] row : counts) for (long v : row) cell = Math.max(cell, Long.toString(v).length() + 1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + label + "s", "true\\pred"));
        for (int k = 0; k < c; k++) sb.append(String.format(Locale.ROOT, "%" + cell + "d", k));
        sb.append("   precision  recall\n");
        for (int a = 0; a < c; a++) {
            sb.append(String.format(Locale.ROOT, "%-" + label + "s", name(a)));
            for (int p = 0; p < c; p++) sb.append(String.format(Locale.ROOT, "%" + cell + "d", counts[a][p]));
            sb.append(String.format(Locale.ROOT, "   %9.3f  %6.3f%n", precision(a), recall(a)));
        }
        sb.append(String.format(Locale.ROOT, "accuracy %.4f over %d samples%n", accuracy(), total()));
        return sb.toString();
    }

    @Override
    public String toString() {
        return toTable();
    }
}
