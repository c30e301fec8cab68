package org.jgrad.optim;

import java.util.List;
import org.jgrad.core.Tensor;

/**
 * Stochastic gradient descent with PyTorch's conventions: for gradient g and weight w,
 * <pre>
 *   g ← g + λ·w                                    (weightDecay λ)
 *   b ← g on the first step, else μ·b + (1 − τ)·g   (momentum μ, dampening τ)
 *   g ← g + μ·b if nesterov, else b
 *   w ← w − lr·g
 * </pre>
 * Options are set fluently; Nesterov needs momentum &gt; 0 and zero dampening.
 *
 * <pre>{@code
 * jshell> var opt = new SGD(model.parameters(), 0.05f).momentum(0.9f).nesterov(true);
 * }</pre>
 */
public final class SGD extends Optimizer<SGD.State> {

    private float momentum, dampening;
    private boolean nesterov;

    /**
     * SGD over {@code params} with no momentum and no weight decay.
     *
     * @param params the parameters to update
     * @param lr learning rate, finite and ≥ 0
     */
    public SGD(List<Tensor> params, float lr) {
        super("SGD", single(params), lr);
    }

    /**
     * With parameter groups; {@code lr} is the default for groups without their own.
     *
     * @param lr default learning rate, finite and ≥ 0
     * @param groups the parameter groups
     */
    public SGD(float lr, ParamGroup... groups) {
        super("SGD", List.of(groups), lr);
    }

    /**
     * Sets the momentum μ (default 0: none).
     *
     * @param momentum the factor μ, ≥ 0
     * @return this optimizer
     */
    public SGD momentum(float momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    /**
     * Sets the dampening τ of the momentum (default 0).
     *
     * @param dampening the factor τ
     * @return this optimizer
     */
    public SGD dampening(float dampening) {
        this.dampening = dampening;
        return this;
    }

    /**
     * Sets whether to use Nesterov momentum (default false).
     *
     * @param nesterov true for Nesterov momentum, which needs momentum &gt; 0 and no dampening
     * @return this optimizer
     */
    public SGD nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

    /**
     * Sets the weight decay λ of every group without its own (default 0).
     *
     * @param weightDecay the L2 factor λ, finite and ≥ 0
     * @return this optimizer
     */
    public SGD weightDecay(float weightDecay) {
        setDefaultWeightDecay(weightDecay);
        return this;
    }

    @Override
    protected void validate() {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening, got momentum "
                    + momentum + " and dampening " + dampening);
        }
    }

    /** The momentum buffer; the step count says whether it has been started. */
    public static final class State extends Optimizer.Buffers {
        final Tensor buffer;

        State(Tensor p) {
            buffer = buffer("momentum_buffer", p);
        }
    }

    @Override
    protected State newState(Tensor p) {
        return new State(p);
    }

    @Override
    protected void update(ParamGroup group, float[] w, float[] g, State s) {
        float lr = group.lr(), wd = group.weightDecay(), mu = momentum, keep = 1 - dampening;
        float[] b = s.buffer.data();
        boolean first = s.countStep() == 1, nest = nesterov;
        // One loop per case, each free of branches so the JIT vectorises it; the formulas are
        // those of the class comment, in the same float operations whichever loop runs.
        forEachRange(w.length, (from, to) -> {
            if (mu == 0) {
                for (int i = from; i < to; i++) w[i] -= lr * (g[i] + wd * w[i]);
            } else if (first) {
                for (int i = from; i < to; i++) b[i] = g[i] + wd * w[i];
                if (nest) {
                    for (int i = from; i < to; i++) w[i] -= lr * (b[i] + mu * b[i]);
                } else {
                    for (int i = from; i < to; i++) w[i] -= lr * b[i];
                }
            } else if (nest) {
                for (int i = from; i < to; i++) {
                    float d = g[i] + wd * w[i];
                    b[i] = mu * b[i] + keep * d;
                    w[i] -= lr * (d + mu * b[i]);
                }
            } else {
                for (int i = from; i < to; i++) {
                    b[i] = mu * b[i] + keep * (g[i] + wd * w[i]);
                    w[i] -= lr * b[i];
                }
            }
        });
    }

    @Override
    protected String settings() {
        return "momentum " + number(momentum) + ", dampening " + number(dampening) + ", nesterov " + nesterov;
    }
}
