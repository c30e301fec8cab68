package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Shapes;

/**
 * A loss of (input, target) with a {@link Reduction}, like PyTorch's {@code _Loss}: a
 * {@link Module} (no parameters; class weights are buffers, as in PyTorch's state dict) whose
 * {@link #forward(Tensor, Tensor)} compares a model's output with its target. The subclasses hold
 * the math; this class holds the shared argument checks. The one-tensor {@code forward} throws,
 * so a loss placed in a {@link Sequential} fails with a message that says so. (Losses of three
 * tensors — {@link TripletMarginLoss}, {@link ContrastiveLoss}, {@link CosineEmbeddingLoss} — are
 * modules too, with their own three-argument {@code forward}.)
 *
 * <pre>{@code
 * jshell> new MSELoss().forward(Tensor.of(new float[]{1, 2}), Tensor.of(new float[]{1, 4}))
 * $1 ==> tensor(2., …)
 * jshell> new CrossEntropyLoss(Reduction.MEAN, null, 0.1f)
 * $2 ==> CrossEntropyLoss(reduction=mean, label_smoothing=0.1)
 * }</pre>
 */
public abstract class Loss extends LossModule {

    /**
     * A loss of {@code (input, target)} with the given reduction.
     *
     * @param reduction how per-element losses are combined, not null
     */
    protected Loss(Reduction reduction) {
        super(reduction, "(input, target)");
    }

    /**
     * The loss of {@code input} against {@code target}, reduced.
     *
     * @param input the model's output
     * @param target what it should be
     * @return the reduced loss, a 0-d tensor unless the reduction is NONE
     */
    public abstract Tensor forward(Tensor input, Tensor target);

    /**
     * Elementwise losses need input and target of one shape (PyTorch would broadcast and warn).
     *
     * @param input the model's output
     * @param target what it should be
     * @throws IllegalArgumentException if the shapes differ
     */
    protected final void requireSameShape(Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(name() + ": input shape " + Arrays.toString(input.shape()) + " and target shape "
                    + Arrays.toString(target.shape()) + " differ");
        }
    }

    /**
     * Registers per-class weights [C] (or null) as the buffer {@code weight}, PyTorch's name for
     * them in a state dict.
     */
    final Tensor registerClassWeights(Tensor weight) {
        if (weight != null && weight.rank() != 1) {
            throw new IllegalArgumentException(name() + ": class weights must be 1-D [C], got shape " + Arrays.toString(weight.shape()));
        }
        return registerCopy("weight", weight);
    }

    /**
     * The labels of {@code target} as class indices, after checking that the class weights (if
     * any) number {@code classes}.
     */
    final int[] classIndices(Tensor target, int classes, Tensor weight) {
        if (weight != null && weight.numel() != classes) {
            throw new IllegalArgumentException(name() + ": " + weight.numel() + " class weights for " + classes + " classes");
        }
        return classIndices(name(), target, classes);
    }

    /**
     * Checks that every label is a whole number in 0..classes−1 and returns them, naming the
     * first bad label, its position and the number of classes otherwise.
     */
    static int[] classIndices(String loss, Tensor target, int classes) {
        float[] v = target.data();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= classes) {
                throw new IllegalArgumentException(loss + ": label " + Shapes.str(v[i])
                        + " at position " + i + " is out of range for " + classes + " classes (expected a whole number in 0.."
                        + (classes - 1) + ")");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** Checks that every label is +1 or −1. */
    static void requireSigns(String loss, Tensor target) {
        float[] v = target.data();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 1f && v[i] != -1f) {
                throw new IllegalArgumentException(loss + ": label " + v[i] + " at position " + i + " must be 1 or -1");
            }
        }
    }

    /**
     * Moves the class dim 1 of [N, C, d…] last and flattens to [M, C] (M = N·Πd); for a 1-D [C]
     * input, [1, C]. Checks that the target has the input's shape without dim 1.
     */
    static Tensor classesLast(String loss, Tensor input, Tensor target) {
        int r = input.rank();
        int[] s = input.shape();
        int[] expected;
        if (r == 1) expected = new int[0];
        else if (r >= 2) {
            expected = new int[r - 1];
            expected[0] = s[0];
            System.arraycopy(s, 2, expected, 1, r - 2);
        } else {
            throw new IllegalArgumentException(loss + ": input must be [C], [N, C] or [N, C, d…], got a scalar");
        }
        boolean ok = Arrays.equals(target.shape(), expected) || (r == 1 && target.numel() == 1 && target.rank() <= 1);
        if (!ok) {
            throw new IllegalArgumentException(loss + ": input of shape " + Arrays.toString(s) + " needs a target of class indices of shape "
                    + Arrays.toString(expected) + ", got " + Arrays.toString(target.shape()));
        }
        if (r == 1) return input.reshape(1, s[0]);
        if (r == 2) return input;
        int[] perm = new int[r];
        perm[0] = 0;
        for (int i = 2; i < r; i++) perm[i - 1] = i;
        perm[r - 1] = 1;
        return input.permute(perm).reshape(-1, s[1]);
    }
}
