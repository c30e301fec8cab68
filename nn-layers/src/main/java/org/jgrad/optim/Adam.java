package org.jgrad.optim;

import java.util.List;
import org.jgrad.core.Tensor;

/**
 * Adam (Kingma &amp; Ba) with PyTorch's conventions: at step t, for gradient g,
 * <pre>
 *   g ← g + λ·w                               (weightDecay λ, an L2 term — see {@link AdamW})
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *   w ← w − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + eps)
 * </pre>
 * Defaults lr 1e-3, β = (0.9, 0.999), eps 1e-8, no weight decay.
 *
 * <pre>{@code
 * jshell> var opt = new Adam(model.parameters(), 1e-3f).betas(0.9f, 0.99f);
 * }</pre>
 */
public class Adam extends Optimizer<Adam.State> {

    private final boolean decoupled;
    private float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;

    /**
     * Adam over {@code params} with learning rate 1e-3.
     *
     * @param params the parameters to update
     */
    public Adam(List<Tensor> params) {
        this(params, 1e-3f);
    }

    /**
     * Adam over {@code params}.
     *
     * @param params the parameters to update
     * @param lr learning rate, finite and ≥ 0
     */
    public Adam(List<Tensor> params, float lr) {
        this("Adam", single(params), lr, false);
    }

    /**
     * With parameter groups; {@code lr} is the default for groups without their own.
     *
     * @param lr default learning rate, finite and ≥ 0
     * @param groups the parameter groups
     */
    public Adam(float lr, ParamGroup... groups) {
        this("Adam", List.of(groups), lr, false);
    }

    Adam(String name, List<ParamGroup> groups, float lr, boolean decoupled) {
        super(name, groups, lr);
        this.decoupled = decoupled;
    }

    /**
     * Sets the decay rates of the moment estimates (default 0.9, 0.999).
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @return this optimizer
     * @throws IllegalArgumentException if a beta is outside [0, 1)
     */
    public Adam betas(float beta1, float beta2) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(name() + ": betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /**
     * Sets the term added to the denominator (default 1e-8).
     *
     * @param eps the term, ≥ 0
     * @return this optimizer
     */
    public Adam eps(float eps) {
        this.eps = nonNegative("eps", eps);
        return this;
    }

    /**
     * Sets the weight decay λ of every group without its own (Adam default 0, AdamW 0.01).
     *
     * @param weightDecay the factor λ, finite and ≥ 0
     * @return this optimizer
     */
    public Adam weightDecay(float weightDecay) {
        setDefaultWeightDecay(weightDecay);
        return this;
    }

    /** The step count and the two moment estimates. */
    public static final class State extends Optimizer.Buffers {
        final Tensor m, v;

        State(Tensor p) {
            m = buffer("exp_avg", p);
            v = buffer("exp_avg_sq", p);
        }
    }

    @Override
    protected State newState(Tensor p) {
        return new State(p);
    }

    @Override
    protected void update(ParamGroup group, float[] w, float[] g, State s) {
        float lr = group.lr(), wd = group.weightDecay();
        float[] m = s.m.data(), v = s.v.data();
        int t = s.countStep();
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        forEachRange(w.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = g[i];
                if (decoupled) w[i] -= lr * wd * w[i];
                else d += wd * w[i];
                m[i] = beta1 * m[i] + (1 - beta1) * d;
                v[i] = beta2 * v[i] + (1 - beta2) * d * d;
                w[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
            }
        });
    }

    @Override
    protected String settings() {
        return "betas (" + number(beta1) + ", " + number(beta2) + "), eps " + number(eps) + (decoupled ? ", decoupled weight decay" : "");
    }
}
