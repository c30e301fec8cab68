package org.jgrad.optim;

import java.util.List;

/**
 * Parameters that share a learning rate and weight decay, like an entry of PyTorch's
 * {@code param_groups}. A group built without values takes the optimizer's.
 *
 * <pre>{@code
 * jshell> var opt = new SGD(0.01f, new ParamGroup(body.parameters()), new ParamGroup(head.parameters(), 0.1f, 0f));
 * }</pre>
 */
public final class ParamGroup {

    private final List<org.jgrad.core.Tensor> params;
    private float lr, weightDecay;
    private final boolean ownLr, ownWeightDecay;

    /**
     * A group that takes the optimizer's learning rate and weight decay.
     *
     * @param params the group's parameters
     */
    public ParamGroup(List<org.jgrad.core.Tensor> params) {
        this(params, Float.NaN, Float.NaN);
    }

    /**
     * A group with its own learning rate and weight decay (NaN for "the optimizer's").
     *
     * @param params the group's parameters
     * @param lr the group's learning rate, or NaN for the optimizer's
     * @param weightDecay the group's weight decay, or NaN for the optimizer's
     */
    public ParamGroup(List<org.jgrad.core.Tensor> params, float lr, float weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.ownLr = !Float.isNaN(lr);
        this.ownWeightDecay = !Float.isNaN(weightDecay);
    }

    /**
     * The group's parameters.
     *
     * @return an unmodifiable list
     */
    public List<org.jgrad.core.Tensor> params() {
        return params;
    }

    /**
     * The group's learning rate.
     *
     * @return the rate (NaN until an optimizer fills in its default)
     */
    public float lr() {
        return lr;
    }

    /**
     * Sets the learning rate (what schedules do).
     *
     * @param lr the rate, finite and ≥ 0
     * @throws IllegalArgumentException if {@code lr} is negative, NaN or infinite
     */
    public void setLr(float lr) {
        if (!(lr >= 0) || Float.isInfinite(lr)) throw new IllegalArgumentException("ParamGroup: learning rate must be finite and ≥ 0, got " + lr);
        this.lr = lr;
    }

    /**
     * The group's weight decay.
     *
     * @return the decay factor (NaN until an optimizer fills in its default)
     */
    public float weightDecay() {
        return weightDecay;
    }

    /**
     * Sets the weight decay.
     *
     * @param weightDecay the decay factor, finite and ≥ 0
     * @throws IllegalArgumentException if {@code weightDecay} is negative, NaN or infinite
     */
    public void setWeightDecay(float weightDecay) {
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("ParamGroup: weight decay must be finite and ≥ 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
    }

    /** Fills in the optimizer's defaults where the group has no value of its own. */
    void inherit(float defaultLr, float defaultWeightDecay) {
        if (!ownLr) lr = defaultLr;
        if (!ownWeightDecay) weightDecay = defaultWeightDecay;
    }

    void inheritWeightDecay(float defaultWeightDecay) {
        if (!ownWeightDecay) weightDecay = defaultWeightDecay;
    }
}
