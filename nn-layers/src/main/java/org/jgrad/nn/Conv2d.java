package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.core.Functional;
import org.jgrad.nn.init.Init;

/**
 * 2-D convolution (cross-correlation, as PyTorch): input [N, C, H, W] → [N, O, Ho, Wo] with
 * {@code Ho = ⌊(H + 2·pad − dilation·(k − 1) − 1)/stride⌋ + 1}; weight [O, C/groups, kh, kw], bias [O].
 * PyTorch's default init: U(−1/√fanIn, 1/√fanIn) for weight and bias, fanIn = C/groups·kh·kw.
 *
 * <pre>{@code
 * jshell> var conv = new Conv2d(1, 32, 5, 1, 2);        // in, out, kernel, stride, padding
 * jshell> conv.forward(Tensor.zeros(8, 1, 28, 28)).shape()
 * $2 ==> int[4] { 8, 32, 28, 28 }
 * }</pre>
 */
public final class Conv2d extends Module {

    private final int in, out, groups;
    private final int[] kernel, stride, padding, dilation;
    private final Tensor weight, bias;

    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, Defaults.rng());
    }

    /** A square kernel with PyTorch's default init drawn from {@code rng}. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, RandomGenerator rng) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1, true, rng);
    }

    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias,
                  RandomGenerator rng) {
        if (in <= 0 || out <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: channels " + in + "→" + out + " must be positive and divisible by groups " + groups);
        }
        if (kernel.length != 2 || stride.length != 2 || padding.length != 2 || dilation.length != 2
                || Arrays.stream(kernel).anyMatch(k -> k <= 0)) {
            throw new IllegalArgumentException("Conv2d: kernel, stride, padding and dilation need 2 values each and a positive kernel, got "
                    + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", " + Arrays.toString(padding) + ", " + Arrays.toString(dilation));
        }
        this.in = in;
        this.out = out;
        this.groups = groups;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        double bound = 1 / Math.sqrt((double) in / groups * kernel[0] * kernel[1]);
        this.weight = registerParameter("weight", Init.uniform(Tensor.zeros(out, in / groups, kernel[0], kernel[1]), rng, -bound, bound));
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
        if (x.rank() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N, " + in + ", H, W], got " + Arrays.toString(x.shape()));
        }
        return Functional.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        return in + "→" + out + ", kernel=" + kernel[0] + "×" + kernel[1]
                + (stride[0] != 1 || stride[1] != 1 ? ", stride=" + Arrays.toString(stride) : "")
                + (padding[0] != 0 || padding[1] != 0 ? ", padding=" + Arrays.toString(padding) : "")
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation=" + Arrays.toString(dilation) : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "");
    }
}
