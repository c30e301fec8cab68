package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * Class weights for an imbalanced data set, to pass as the {@code weight} of
 * {@link CrossEntropyLoss} (or the {@code alpha} of {@link FocalLoss}): rare classes weigh more, so
 * that each class, not each sample, counts about equally in the loss.
 *
 * <ul>
 *   <li>{@link #inverseFrequency}: {@code w_c = n / (C·n_c)} for n labels, C classes and n_c labels
 *       of class c — what PyTorch users write by hand and scikit-learn calls "balanced". Every
 *       class then has the same total weight n_c·w_c = n / C, and CrossEntropyLoss's weighted
 *       mean becomes the mean over classes of each class's mean loss.</li>
 *   <li>{@link #effectiveNumber}: Cui et al. 2019, "Class-Balanced Loss Based on Effective Number
 *       of Samples": {@code w_c ∝ (1 − β) / (1 − β^n_c)}, one over the "effective number" of
 *       samples of class c, scaled so the weights sum to C. β = 0 gives all ones (no
 *       re-weighting); as β → 1 the weights approach inverse frequency (scaled to sum to C), since
 *       1 − β^n ≈ n·(1 − β). Values such as 0.9, 0.99, 0.999 sit between the two, damping the
 *       weights of very rare classes.</li>
 * </ul>
 *
 * <p>A class with no label among the given ones is refused, with a message naming it: its
 * weight would be infinite under both formulas (scikit-learn refuses it too). Drop the class or
 * count labels over a larger set.
 *
 * <pre>{@code
 * jshell> ClassWeights.inverseFrequency(Tensor.of(new float[]{0, 0, 0, 1}), 2)
 * $1 ==> tensor([0.6667, 2.0000])            // 4/(2·3), 4/(2·1)
 * jshell> new CrossEntropyLoss(Reduction.MEAN, $1, 0f)
 * }</pre>
 */
public final class ClassWeights {

    private ClassWeights() {}

    /**
     * Inverse-frequency ("balanced") weights {@code n / (C·n_c)}.
     *
     * @param labels class indices, whole numbers in {@code [0, classes)}, of any shape
     * @param classes the number of classes C, at least 1
     * @return the weights, shape {@code [C]}
     * @throws IllegalArgumentException if a label is out of range or not whole, or a class has no label
     */
    public static Tensor inverseFrequency(Tensor labels, int classes) {
        long[] count = counts("inverseFrequency", labels, classes);
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) w[c] = (float) ((double) labels.numel() / ((double) classes * count[c]));
        return Tensor.of(w);
    }

    /**
     * Cui et al.'s class-balanced weights {@code (1 − β) / (1 − β^n_c)}, scaled to sum to C.
     *
     * @param labels class indices, whole numbers in {@code [0, classes)}, of any shape
     * @param classes the number of classes C, at least 1
     * @param beta β in {@code [0, 1)}: 0 gives all ones, values near 1 approach inverse frequency
     * @return the weights, shape {@code [C]}
     * @throws IllegalArgumentException if β is outside {@code [0, 1)}, a label is out of range or not whole, or a class has no label
     */
    public static Tensor effectiveNumber(Tensor labels, int classes, double beta) {
        if (!(beta >= 0 && beta < 1)) throw new IllegalArgumentException("ClassWeights.effectiveNumber: beta must be in [0, 1), got " + beta);
        long[] count = counts("effectiveNumber", labels, classes);
        double[] w = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            // 1 − β^n as −expm1(n·ln β): exact near β = 1, where 1 − Math.pow would cancel; β = 0 gives ln 0 = −∞ and 1
            double oneMinusPow = -Math.expm1(count[c] * Math.log(beta));
            w[c] = (1 - beta) / oneMinusPow;
            sum += w[c];
        }
        float[] out = new float[classes];
        for (int c = 0; c < classes; c++) out[c] = (float) (w[c] * classes / sum);
        return Tensor.of(out);
    }

    /** The number of labels of each class, after checking every label and that no class is empty. */
    private static long[] counts(String method, Tensor labels, int classes) {
        String name = "ClassWeights." + method;
        if (classes < 1) throw new IllegalArgumentException(name + ": classes must be at least 1, got " + classes);
        if (labels.numel() == 0) throw new IllegalArgumentException(name + ": no labels to count");
        long[] count = new long[classes];
        for (int y : Loss.classIndices(name, labels, classes)) count[y]++;
        for (int c = 0; c < classes; c++) {
            if (count[c] == 0) {
                throw new IllegalArgumentException(name + ": class " + c + " has no label among the " + labels.numel()
                        + " given (counts per class " + Arrays.toString(count) + "), so its weight would be infinite;"
                        + " drop the class or count a larger set of labels");
            }
        }
        return count;
    }
}
