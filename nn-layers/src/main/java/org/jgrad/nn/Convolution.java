package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.jgrad.core.Tensor;
import org.jgrad.nn.init.Init;

/**
 * What {@link Conv1d} and {@link Conv2d} share: channels, groups, a kernel of one or two spatial
 * sizes with their stride, padding and dilation, the weight [O, C/groups, k…] and bias [O] with
 * PyTorch's default init U(±1/√fanIn), fanIn = C/groups·Πk (weight drawn first, then bias), and the
 * input check. The subclass runs the convolution.
 */
abstract class Convolution extends Module {

    final int in, out, groups;
    final int[] kernel, stride, padding, dilation;
    private final Tensor weight, bias;

    Convolution(String name, int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
                boolean bias, RandomGenerator rng) {
        int dims = kernel.length;
        if (stride.length != dims || padding.length != dims || dilation.length != dims
                || Arrays.stream(kernel).anyMatch(k -> k <= 0)) {
            throw new IllegalArgumentException(name + ": kernel, stride, padding and dilation need " + dims + " value(s) each and a positive"
                    + " kernel, got " + Arrays.toString(kernel) + ", " + Arrays.toString(stride) + ", " + Arrays.toString(padding)
                    + ", " + Arrays.toString(dilation));
        }
        if (in <= 0 || out <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(name + ": channels " + in + "→" + out + " must be positive and divisible by groups " + groups);
        }
        this.in = in;
        this.out = out;
        this.groups = groups;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        int[] shape = new int[2 + dims];
        shape[0] = out;
        shape[1] = in / groups;
        System.arraycopy(kernel, 0, shape, 2, dims);
        double bound = 1 / Math.sqrt((double) in / groups * Arrays.stream(kernel).asDoubleStream().reduce(1, (a, b) -> a * b));
        this.weight = registerParameter("weight", Init.uniform(Tensor.zeros(shape), rng, -bound, bound));
        this.bias = bias ? registerParameter("bias", Init.uniform(Tensor.zeros(out), rng, -bound, bound)) : null;
    }

    /**
     * The kernel weights, a live parameter.
     *
     * @return the weight tensor
     */
    public Tensor weight() {
        return weight;
    }

    /**
     * The bias, or null for a layer made without one.
     *
     * @return the live bias tensor, or null
     */
    public Tensor bias() {
        return bias;
    }

    /** The convolution of a checked input. */
    abstract Tensor convolve(Tensor x);

    /** {@code relu(convolve(x))}; a subclass with a fused op overrides it. */
    Tensor convolveRelu(Tensor x) {
        return convolve(x).relu();
    }

    /**
     * The convolution of a batched input {@code [N, C, …]}, or of an unbatched one {@code [C, …]} as
     * PyTorch: run as a batch of one, the output without its batch dimension.
     *
     * @param x the input: {@code [N, C, H, W]} or {@code [C, H, W]} for {@link Conv2d},
     *          {@code [N, C, L]} or {@code [C, L]} for {@link Conv1d}
     * @return the output, batched like the input
     * @throws IllegalArgumentException for another rank or a channel count other than the layer's
     */
    @Override
    public Tensor forward(Tensor x) {
        check(x);
        return Unbatched.apply(x, 2 + kernel.length, this::convolve);
    }

    /** {@code relu(forward(x))}, for {@link Sequential}. */
    Tensor forwardRelu(Tensor x) {
        check(x);
        return Unbatched.apply(x, 2 + kernel.length, this::convolveRelu);
    }

    /** A batched input with {@code in} channels at dimension 1, or an unbatched one with them at dimension 0. */
    private void check(Tensor x) {
        int batched = 2 + kernel.length;
        boolean ok = x.rank() == batched ? x.size(1) == in : x.rank() == batched - 1 && x.size(0) == in;
        if (!ok) {
            String spatial = kernel.length == 1 ? ", L]" : ", H, W]";
            throw Unbatched.error(describe(), "[N, " + in + spatial, "[" + in + spatial, x);
        }
    }

    @Override
    protected String extraRepr() {
        return in + "→" + out + ", kernel=" + Arrays.stream(kernel).mapToObj(Integer::toString).collect(Collectors.joining("×"))
                + unlessAll(", stride=", stride, 1) + unlessAll(", padding=", padding, 0) + unlessAll(", dilation=", dilation, 1)
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "");
    }

    /** {@code label} and the values (one value as a number), unless every value is the default. */
    private static String unlessAll(String label, int[] values, int dflt) {
        if (Arrays.stream(values).allMatch(v -> v == dflt)) return "";
        return label + (values.length == 1 ? Integer.toString(values[0]) : Arrays.toString(values));
    }
}
