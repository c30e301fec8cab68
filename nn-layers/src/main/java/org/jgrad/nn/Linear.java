package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Functional;
import org.jgrad.core.Tensor;
import org.jgrad.nn.init.Init;

/**
 * A fully connected layer {@code y = x·Wᵀ + b}, W of shape [out, in], b of shape [out].
 *
 * <p>Input [..., in] → output [..., out]. PyTorch's default init: kaiming-uniform with a = √5,
 * which is U(−1/√in, 1/√in), for W; the same bound for b.
 *
 * <pre>{@code
 * jshell> var fc = new Linear(3, 2, new SplittableRandom(0));
 * jshell> fc.forward(Tensor.zeros(5, 3)).shape()
 * $2 ==> int[2] { 5, 2 }
 * }</pre>
 */
public final class Linear extends Module {

    private final int in, out;
    private final Tensor weight, bias;

    /**
     * With bias, initialised from the {@link Defaults} stream.
     *
     * @param in input features
     * @param out output features
     */
    public Linear(int in, int out) {
        this(in, out, true, Defaults.rng());
    }

    /**
     * With bias, initialised from {@code rng}.
     *
     * @param in input features
     * @param out output features
     * @param rng source of the initial weights
     */
    public Linear(int in, int out, RandomGenerator rng) {
        this(in, out, true, rng);
    }

    /**
     * Initialised from the {@link Defaults} stream.
     *
     * @param in input features
     * @param out output features
     * @param bias true to learn a bias
     */
    public Linear(int in, int out, boolean bias) {
        this(in, out, bias, Defaults.rng());
    }

    /**
     * A dense layer {@code y = x·Wᵀ + b}.
     *
     * @param in input features, positive
     * @param out output features, positive
     * @param bias true to learn a bias
     * @param rng source of the initial weights
     * @throws IllegalArgumentException if a size is not positive
     */
    public Linear(int in, int out, boolean bias, RandomGenerator rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got " + in + "→" + out);
        this.in = in;
        this.out = out;
        this.weight = registerParameter("weight", Init.kaimingUniform(Tensor.zeros(out, in), rng, "leaky_relu", Math.sqrt(5), true));
        double bound = 1 / Math.sqrt(in);
        this.bias = bias ? registerParameter("bias", Init.uniform(Tensor.zeros(out), rng, -bound, bound)) : null;
    }

    /**
     * The weight, a live parameter.
     *
     * @return the weight {@code [out, in]}
     */
    public Tensor weight() {
        return weight;
    }

    /**
     * The bias, or null for a layer without one.
     *
     * @return the live bias {@code [out]}, or null
     */
    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        check(x);
        return Functional.linear(x, weight, bias);
    }

    /** {@code relu(forward(x))} as one op ({@link Functional#linearRelu}), for {@link Sequential}. */
    Tensor forwardRelu(Tensor x) {
        check(x);
        return Functional.linearRelu(x, weight, bias);
    }

    private void check(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != in) {
            throw new IllegalArgumentException(describe() + ": expected last dimension " + in + ", got "
                    + (x.rank() == 0 ? "a scalar" : x.size(-1) + " (input shape " + Arrays.toString(x.shape()) + ")"));
        }
    }

    @Override
    protected String extraRepr() {
        return in + "→" + out + (bias == null ? ", bias=false" : "");
    }
}
