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

    public RMSprop(List<Tensor> params, float lr) {
        super("RMSprop", single(params), lr);
    }

    public RMSprop(float lr, ParamGroup... groups) {
        super("RMSprop", List.of(groups), lr);
    }

    public RMSprop alpha(float alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1], got " + alpha);
        this.alpha = alpha;
        return this;
    }

    public RMSprop eps(float eps) {
        this.eps = nonNegative("eps", eps);
        return this;
    }

    public RMSprop momentum(float momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    public RMSprop centered(boolean centered) {
        this.centered = centered;
        return this;
    }

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
}
