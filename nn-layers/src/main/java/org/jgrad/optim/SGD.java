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

    public SGD(List<Tensor> params, float lr) {
        super("SGD", single(params), lr);
    }

    /** With parameter groups; {@code lr} is the default for groups without their own. */
    public SGD(float lr, ParamGroup... groups) {
        super("SGD", List.of(groups), lr);
    }

    public SGD momentum(float momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    public SGD dampening(float dampening) {
        this.dampening = dampening;
        return this;
    }

    public SGD nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

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
        float lr = group.lr(), wd = group.weightDecay();
        float[] b = s.buffer.data();
        boolean first = s.countStep() == 1;
        for (int i = 0; i < w.length; i++) {
            float d = g[i] + wd * w[i];
            if (momentum != 0) {
                b[i] = first ? d : momentum * b[i] + (1 - dampening) * d;
                d = nesterov ? d + momentum * b[i] : b[i];
            }
            w[i] -= lr * d;
        }
    }
}
