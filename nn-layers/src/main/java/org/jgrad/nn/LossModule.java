package org.jgrad.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jgrad.core.Tensor;

/**
 * What every loss shares as a {@link Module}, like PyTorch's {@code _Loss}: the {@link Reduction},
 * a description that shows it ({@code CrossEntropyLoss(reduction=mean, label_smoothing=0.1)}),
 * and the refusal of the one-tensor {@link #forward(Tensor)} that a {@link Sequential} would
 * call. Two-tensor losses extend {@link Loss}; the three-tensor ones ({@link TripletMarginLoss},
 * {@link ContrastiveLoss}, {@link CosineEmbeddingLoss}) extend this class directly, so the type
 * {@code Loss} (what the {@code Trainer} takes) promises a {@code forward(input, target)}.
 *
 * <p>Package-private, as PyTorch's {@code _Loss} is private: user code holds a {@code Loss}, a
 * concrete loss or a {@code Module}.
 */
abstract class LossModule extends Module {

    /** How the per-element losses are combined. */
    protected final Reduction reduction;
    private final String arguments;

    /** @param arguments the loss's own forward arguments as they print, e.g. {@code "(input, target)"} */
    LossModule(Reduction reduction, String arguments) {
        if (reduction == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction must not be null");
        this.reduction = reduction;
        this.arguments = arguments;
    }

    /**
     * How the per-element losses are combined.
     *
     * @return the reduction given to the constructor
     */
    public final Reduction reduction() {
        return reduction;
    }

    /**
     * Always throws: a loss compares an output with a target, so one tensor is not enough. This
     * is what a loss placed in a {@link Sequential} by mistake reports.
     *
     * @throws IllegalArgumentException naming the loss, its arguments and the tensor it got
     */
    @Override
    public final Tensor forward(Tensor x) {
        throw new IllegalArgumentException(describe() + ": a loss takes " + arguments + ", got one tensor of shape "
                + Arrays.toString(x.shape()) + " (call forward" + arguments
                + " on the model's output; a loss cannot be a layer of a Sequential)");
    }

    /**
     * The loss's name in error messages.
     *
     * @return the simple class name by default
     */
    protected String name() {
        return getClass().getSimpleName();
    }

    /**
     * The reduction as PyTorch spells it ({@code mean}, {@code sum}, {@code none},
     * {@code batchmean}); subclasses append their options with {@code option(name, value, byDefault)}.
     */
    @Override
    protected String extraRepr() {
        return "reduction=" + reduction.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    /**
     * {@code ", name=value"}, or nothing when the value is the default — PyTorch's reprs (Conv2d's
     * padding, dilation) leave defaults out too, so a description shows what was chosen.
     * Names are PyTorch's argument names ({@code label_smoothing}), as in its repr.
     */
    static String option(String name, Object value, Object byDefault) {
        return Objects.equals(value, byDefault) ? "" : ", " + name + "=" + value;
    }

    /**
     * Registers a copy of {@code t} as the buffer {@code name} (null stays null and registers
     * nothing, as a PyTorch buffer set to None is not in the state dict). A copy, so that a later
     * change to the caller's tensor does not change the loss and a tensor that requires grad
     * does not pull the loss into its graph; {@code loadStateDict} still writes into the buffer.
     */
    final Tensor registerCopy(String name, Tensor t) {
        if (t == null) return null;
        Tensor copy = Tensor.zerosLike(t);
        System.arraycopy(t.toArray(), 0, copy.data(), 0, t.numel());
        return registerBuffer(name, copy);
    }
}
