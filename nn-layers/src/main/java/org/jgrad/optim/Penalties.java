package org.jgrad.optim;

import org.jgrad.core.Tensor;

/**
 * Explicit regularisation terms to add to a loss (the course's forms): {@code l2 = λ·Σ w²} and
 * {@code l1 = λ·Σ |w|} over all the given parameters. Differentiable; add before backward.
 * (SGD's weightDecay(λ) corresponds to l2 with λ/2.)
 *
 * <pre>{@code
 * jshell> Tensor loss = ce.forward(model.forward(x), y).add(Penalties.l2(model.parameters(), 1e-4f));
 * }</pre>
 */
public final class Penalties {

    private Penalties() {}

    /**
     * The L2 penalty {@code λ·Σ w²}.
     *
     * @param params the parameters to penalise
     * @param lambda the factor λ
     * @return a 0-d tensor recorded for autograd
     */
    public static Tensor l2(Iterable<Tensor> params, float lambda) {
        Tensor sum = Tensor.scalar(0f);
        for (Tensor p : params) sum = sum.add(p.mul(p).sum());
        return sum.mul(lambda);
    }

    /**
     * The L1 penalty {@code λ·Σ |w|}.
     *
     * @param params the parameters to penalise
     * @param lambda the factor λ
     * @return a 0-d tensor recorded for autograd
     */
    public static Tensor l1(Iterable<Tensor> params, float lambda) {
        Tensor sum = Tensor.scalar(0f);
        for (Tensor p : params) sum = sum.add(p.abs().sum());
        return sum.mul(lambda);
    }
}
