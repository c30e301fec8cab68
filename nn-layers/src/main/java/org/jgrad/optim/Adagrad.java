package org.jgrad.optim;

import java.util.Arrays;
import java.util.List;
import org.jgrad.core.Tensor;

/**
 * Adagrad with PyTorch's conventions: at step t, for gradient g (plus λ·w with weight decay),
 * <pre>
 *   s ← s + g²,   w ← w − lr/(1 + (t − 1)·lrDecay) · g / (√s + eps)
 * </pre>
 * Defaults lr 1e-2, lrDecay 0, initial accumulator 0, eps 1e-10.
 *
 * <pre>{@code
 * jshell> var opt = new Adagrad(model.parameters(), 0.1f);
 * }</pre>
 */
public final class Adagrad extends Optimizer<Adagrad.State> {

    private float lrDecay, eps = 1e-10f, initialAccumulator;

    /**
     * Adagrad over {@code params} with the default options.
     *
     * @param params the parameters to update
     * @param lr learning rate, finite and ≥ 0
     */
    public Adagrad(List<Tensor> params, float lr) {
        super("Adagrad", single(params), lr);
    }

    /**
     * Adagrad with parameter groups; {@code lr} is the default for groups without their own.
     *
     * @param lr default learning rate, finite and ≥ 0
     * @param groups the parameter groups
     */
    public Adagrad(float lr, ParamGroup... groups) {
        super("Adagrad", List.of(groups), lr);
    }

    /**
     * Sets the learning-rate decay (default 0).
     *
     * @param lrDecay decay per step, ≥ 0
     * @return this optimizer
     */
    public Adagrad lrDecay(float lrDecay) {
        this.lrDecay = nonNegative("lr decay", lrDecay);
        return this;
    }

    /**
     * Sets the term added to the denominator (default 1e-10).
     *
     * @param eps the term, ≥ 0
     * @return this optimizer
     */
    public Adagrad eps(float eps) {
        this.eps = nonNegative("eps", eps);
        return this;
    }

    /**
     * The value the sum of squares starts from (it applies to states created after this call).
     *
     * @param value initial sum of squares, ≥ 0
     * @return this optimizer
     */
    public Adagrad initialAccumulator(float value) {
        this.initialAccumulator = nonNegative("initial accumulator", value);
        return this;
    }

    /**
     * Sets the weight decay λ of every group without its own (default 0).
     *
     * @param weightDecay the L2 factor λ, finite and ≥ 0
     * @return this optimizer
     */
    public Adagrad weightDecay(float weightDecay) {
        setDefaultWeightDecay(weightDecay);
        return this;
    }

    /** The step count and the sum of squared gradients. */
    public static final class State extends Optimizer.Buffers {
        final Tensor sum;

        State(Tensor p, float initial) {
            sum = buffer("sum", p);
            Arrays.fill(sum.data(), initial);
        }
    }

    @Override
    protected State newState(Tensor p) {
        return new State(p, initialAccumulator);
    }

    @Override
    protected void update(ParamGroup group, float[] w, float[] g, State s) {
        float wd = group.weightDecay();
        float[] sum = s.sum.data();
        int t = s.countStep();
        double clr = group.lr() / (1 + (t - 1) * (double) lrDecay);
        forEachRange(w.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = g[i] + wd * w[i];
                sum[i] += d * d;
                w[i] -= (float) (clr * d / (Math.sqrt(sum[i]) + eps));
            }
        });
    }

    @Override
    protected String settings() {
        return "lr decay " + number(lrDecay) + ", eps " + number(eps) + ", initial accumulator " + number(initialAccumulator);
    }
}
