package org.jgrad.nn;

import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;

/**
 * {@code max(x, 0) + α·min(x, 0)} with a learnable α (parameter "weight", init 0.25 as in
 * PyTorch): one α shared by all channels, or one per channel of dim 1.
 *
 * <pre>{@code
 * jshell> new PReLU().forward(Tensor.of(new float[]{-4, 4}))
 * $1 ==> tensor([-1., 4.], gradFn=<sub>)
 * }</pre>
 */
public final class PReLU extends Module {

    private final Tensor alpha;

    /** One α shared by all channels, starting at 0.25. */
    public PReLU() {
        this(1, 0.25f);
    }

    /**
     * PReLU with learnable slopes.
     *
     * @param numParameters 1, or the number of channels (dim 1 of the input)
     * @param init the slopes' initial value
     * @throws IllegalArgumentException if {@code numParameters} is not positive
     */
    public PReLU(int numParameters, float init) {
        if (numParameters <= 0) throw new IllegalArgumentException("PReLU: numParameters must be positive, got " + numParameters);
        this.alpha = registerParameter("weight", Tensor.full(init, numParameters));
    }

    /**
     * The learned slopes, a live parameter.
     *
     * @return α {@code [numParameters]}
     */
    public Tensor alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.prelu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "numParameters=" + alpha.numel();
    }
}
