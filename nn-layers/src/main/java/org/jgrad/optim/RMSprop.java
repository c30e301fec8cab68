package org.jgrad.optim;

import java.util.List;
import org.jgrad.core.Tensor;

/**
 * RMSprop with PyTorch's conventions: for gradient g (plus λ·w with weight decay),
 * <pre>
 *   v ← α·v + (1 − α)·g²
 *   a ← √v + eps, or √(v − ḡ²) + eps when centered (ḡ ← α·ḡ + (1 − α)·g)
 *   b ← μ·b + g/a and w ← w − lr·b with momentum μ &gt; 0, else w ← w − lr·g/a
 * </pre>
 * Defaults lr 1e-2, α 0.99, eps 1e-8, no momentum, not centered.
 *
 * <pre>{@code
 * jshell> var opt = new RMSprop(model.parameters(), 1e-3f).alpha(0.9f);
 * }</pre>
 */
public final class RMSprop extends Optimizer<RMSprop.State> {

    private float alpha = 0.99f, eps = 1e-8f, momentum;
    private boolean centered;

    /**
     * RMSprop over {@code params} with the default options.
     *
     * @param params the parameters to update
     * @param lr learning rate, finite and ≥ 0
     */
    public RMSprop(List<Tensor> params, float lr) {
        super("RMSprop", single(params), lr);
    }

    /**
     * RMSprop with parameter groups; {@code lr} is the default for groups without their own.
     *
     * @param lr default learning rate, finite and ≥ 0
     * @param groups the parameter groups
     */
    public RMSprop(float lr, ParamGroup... groups) {
        super("RMSprop", List.of(groups), lr);
    }

    /**
     * Sets the smoothing constant α (default 0.99).
     *
     * @param alpha decay of the squared-gradient average, in [0, 1]
     * @return this optimizer
     * @throws IllegalArgumentException if {@code alpha} is outside [0, 1]
     */
    public RMSprop alpha(float alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1], got " + alpha);
        this.alpha = alpha;
        return this;
    }

    /**
     * Sets the term added to the denominator (default 1e-8).
     *
     * @param eps the term, ≥ 0
     * @return this optimizer
     */
    public RMSprop eps(float eps) {
        this.eps = nonNegative("eps", eps);
        return this;
    }

    /**
     * Sets the momentum μ (default 0: none).
     *
     * @param momentum the factor μ, ≥ 0
     * @return this optimizer
     */
    public RMSprop momentum(float momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    /**
     * Sets whether the squared gradients are centred by their mean (default false).
     *
     * @param centered true for the centred variant
     * @return this optimizer
     */
    public RMSprop centered(boolean centered) {
        this.centered = centered;
        return this;
    }

    /**
     * Sets the weight decay λ of every group without its own (default 0).
     *
     * @param weightDecay the L2 factor λ, finite and ≥ 0
     * @return this optimizer
     */
    public RMSprop weightDecay(float weightDecay) {
        setDefaultWeightDecay(weightDecay);
        return this;
    }

    /**
     * Running mean of g², of g (centered), and the momentum buffer; all three are kept (and saved)
     * whatever the options, so one state dict layout serves every RMSprop.
     */
    public static final class State extends Optimizer.Buffers {
        final Tensor squareAvg, gradAvg, buffer;

        State(Tensor p) {
            squareAvg = buffer("square_avg", p);
            gradAvg = buffer("grad_avg", p);
            buffer = buffer("momentum_buffer", p);
        }
    }

    @Override
    protected State newState(Tensor p) {
        return new State(p);
    }

    @Override
    protected void update(ParamGroup group, float[] w, float[] g, State s) {
        float lr = group.lr(), wd = group.weightDecay();
        float[] v = s.squareAvg.data(), ga = s.gradAvg.data(), b = s.buffer.data();
        s.countStep();
        forEachRange(w.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = g[i] + wd * w[i];
                v[i] = alpha * v[i] + (1 - alpha) * d * d;
                double avg;
                if (centered) {
                    ga[i] = alpha * ga[i] + (1 - alpha) * d;
                    avg = Math.sqrt(v[i] - (double) ga[i] * ga[i]) + eps;
                } else {
                    avg = Math.sqrt(v[i]) + eps;
                }
                if (momentum > 0) {
                    b[i] = (float) (momentum * b[i] + d / avg);
                    w[i] -= lr * b[i];
                } else {
                    w[i] -= (float) (lr * d / avg);
                }
            }
        });
    }

    @Override
    protected String settings() {
        return "alpha " + number(alpha) + ", eps " + number(eps) + ", momentum " + number(momentum) + ", centered " + centered;
    }
}
