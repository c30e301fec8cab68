package org.jgrad.optim;

import java.util.List;
import org.jgrad.core.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter): before the Adam step,
 * {@code w ← w − lr·λ·w}, instead of adding λ·w to the gradient, so the decay is not rescaled
 * by the adaptive step. Defaults as PyTorch: lr 1e-3, β = (0.9, 0.999), eps 1e-8, λ = 0.01.
 *
 * <pre>{@code
 * jshell> var opt = new AdamW(model.parameters(), 1e-3f).weightDecay(0.05f);
 * }</pre>
 */
public final class AdamW extends Adam {

    /**
     * AdamW over {@code params} with learning rate 1e-3.
     *
     * @param params the parameters to update
     */
    public AdamW(List<Tensor> params) {
        this(params, 1e-3f);
    }

    /**
     * AdamW over {@code params}.
     *
     * @param params the parameters to update
     * @param lr learning rate, finite and ≥ 0
     */
    public AdamW(List<Tensor> params, float lr) {
        super("AdamW", single(params), lr, true);
        setDefaultWeightDecay(0.01f);
    }

    /**
     * AdamW with parameter groups; {@code lr} is the default for groups without their own.
     *
     * @param lr default learning rate, finite and ≥ 0
     * @param groups the parameter groups
     */
    public AdamW(float lr, ParamGroup... groups) {
        super("AdamW", List.of(groups), lr, true);
        setDefaultWeightDecay(0.01f);
    }
}
