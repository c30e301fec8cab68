package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;
import org.jgrad.nn.init.Init;

/**
 * 1-D convolution: input [N, C, L] → [N, O, Lo], {@code Lo = ⌊(L + 2·pad − dilation·(k − 1) − 1)/stride⌋ + 1};
 * weight [O, C/groups, k], bias [O]; PyTorch's default init U(±1/√(C/groups·k)).
 *
 * <pre>{@code
 * jshell> new Conv1d(4, 8, 3, 1, 1).forward(Tensor.zeros(2, 4, 10)).shape()
 * $1 ==> int[3] { 2, 8, 10 }
 * }</pre>
 */
public final class Conv1d extends Module {

    private final int in, out, kernel, stride, padding, dilation, groups;
    private final Tensor weight, bias;

    public Conv1d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    public Conv1d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 1, 1, true, Defaults.rng());
    }

    public Conv1d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, RandomGenerator rng) {
        if (in <= 0 || out <= 0 || kernel <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv1d: channels " + in + "→" + out + " and kernel " + kernel
                    + " must be positive, channels divisible by groups " + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        double bound = 1 / Math.sqrt((double) in / groups * kernel);
        this.weight = registerParameter("weight", Init.uniform(Tensor.zeros(out, in / groups, kernel), rng, -bound, bound));
        this.bias = bias ? registerParameter("bias", Init.uniform(Tensor.zeros(out), rng, -bound, bound)) : null;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.size(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + in + ", L], got " + Arrays.toString(x.shape()));
        }
        return Functional.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        return in + "→" + out + ", kernel=" + kernel + (stride != 1 ? ", stride=" + stride : "") + (padding != 0 ? ", padding=" + padding : "")
                + (dilation != 1 ? ", dilation=" + dilation : "") + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "");
    }
}
