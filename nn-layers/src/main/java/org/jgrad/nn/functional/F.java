package org.jgrad.nn.functional;

import java.util.Arrays;
import org.jgrad.core.Tensor;

/**
 * Activations as functions of tensors (the functional forms of the activation modules, like
 * {@code torch.nn.functional}). Each is stable at large |x|: nothing overflows to NaN or Inf for
 * x = ±100. Derivatives are taken at the same closed forms; at a kink the left-hand slope is
 * used, as in PyTorch (ReLU′(0) = 0).
 *
 * <pre>{@code
 * jshell> F.softplus(Tensor.of(new float[]{-100, 0, 100}))
 * $1 ==> tensor([0.0000, 0.6931, 100.0000], …)
 * }</pre>
 */
public final class F {

    /** SELU's constants (Klambauer et al. 2017). */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private F() {}

    /** max(x, 0). */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** x for x > 0, αx otherwise. */
    public static Tensor leakyRelu(Tensor x, float alpha) {
        return Pointwise.apply("leakyRelu", v -> v > 0 ? v : alpha * v, v -> v > 0 ? 1 : alpha, x);
    }

    /**
     * max(x, 0) + α·min(x, 0) with a learnable α; α is a tensor of shape [1] or [C] (one per
     * channel, dim 1 of the input).
     */
    public static Tensor prelu(Tensor x, Tensor alpha) {
        Tensor a = alpha;
        if (alpha.numel() > 1) {
            if (x.rank() < 2 || x.size(1) != alpha.numel()) {
                throw new IllegalArgumentException("prelu: " + alpha.numel() + " parameters need input with " + alpha.numel()
                        + " channels in dim 1, got shape " + Arrays.toString(x.shape()));
            }
            int[] s = new int[x.rank() - 1];
            Arrays.fill(s, 1);
            s[0] = alpha.numel();
            a = alpha.reshape(s);
        }
        return x.relu().sub(x.neg().relu().mul(a));
    }

    /** x for x > 0, α(eˣ − 1) otherwise. */
    public static Tensor elu(Tensor x, float alpha) {
        return Pointwise.apply("elu", v -> v > 0 ? v : alpha * Math.expm1(v), v -> v > 0 ? 1 : alpha * Math.exp(v), x);
    }

    /** scale·(x for x > 0, α(eˣ − 1) otherwise), with SELU's fixed α and scale. */
    public static Tensor selu(Tensor x) {
        return Pointwise.apply("selu", v -> SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)),
                v -> SELU_SCALE * (v > 0 ? 1 : SELU_ALPHA * Math.exp(v)), x);
    }

    /** 1 / (1 + e^−x). */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** log(1 + eˣ) = max(x, 0) + log1p(e^−|x|); its slope is σ(x). */
    public static Tensor softplus(Tensor x) {
        return Pointwise.apply("softplus", F::softplus, F::sigmoid, x);
    }

    /** log σ(x) = −softplus(−x). */
    public static Tensor logSigmoid(Tensor x) {
        return Pointwise.apply("logSigmoid", v -> -softplus(-v), v -> sigmoid(-v), x);
    }

    /** SiLU: x·σ(x) (Swish with β = 1). */
    public static Tensor silu(Tensor x) {
        return swish(x, 1f);
    }

    /** Swish with a constant β: x·σ(βx). */
    public static Tensor swish(Tensor x, float beta) {
        return Pointwise.apply("swish", v -> v * sigmoid(beta * v), v -> {
            double s = sigmoid(beta * v);
            return s + beta * v * s * (1 - s);
        }, x);
    }

    /** Swish with a learnable β (a one-element tensor): x·σ(βx). */
    public static Tensor swish(Tensor x, Tensor beta) {
        return x.mul(x.mul(beta).sigmoid());
    }

    /** Mish: x·tanh(softplus(x)). */
    public static Tensor mish(Tensor x) {
        return Pointwise.apply("mish", v -> v * Math.tanh(softplus(v)), v -> {
            double t = Math.tanh(softplus(v));
            return t + v * (1 - t * t) * sigmoid(v);
        }, x);
    }

    /** GELU, exact: x·Φ(x) with Φ the standard normal CDF. */
    public static Tensor gelu(Tensor x) {
        return Pointwise.apply("gelu", v -> v * normalCdf(v),
                v -> normalCdf(v) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI), x);
    }

    /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    public static Tensor geluTanh(Tensor x) {
        double k = Math.sqrt(2 / Math.PI);
        return Pointwise.apply("geluTanh", v -> 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))), v -> {
            double t = Math.tanh(k * (v + 0.044715 * v * v * v));
            return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v);
        }, x);
    }

    /** min(max(x, lo), hi); the slope is 1 strictly inside (lo, hi), as PyTorch. */
    public static Tensor hardtanh(Tensor x, float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("hardtanh: min " + lo + " is greater than max " + hi);
        return Pointwise.apply("hardtanh", v -> Math.min(Math.max(v, lo), hi), v -> v > lo && v < hi ? 1 : 0, x);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /**
     * 1 where x > threshold, else 0 (the perceptron's step). Its derivative is zero almost
     * everywhere, so a backward pass through it is an error rather than a silent zero gradient.
     */
    public static Tensor step(Tensor x, float threshold) {
        return Pointwise.apply("step", v -> v > threshold ? 1 : 0, v -> {
            throw new IllegalStateException("step: the threshold function has no useful gradient (it is 0 almost everywhere),"
                    + " so backward through it cannot train anything; use sigmoid or tanh in training, or detach() its input");
        }, x);
    }

    // ---------------------------------------------------------------- scalar forms, in double

    /** log(1 + eˣ) without overflow. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** 1 / (1 + e^−x) without overflow. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** Φ(x) = ½ erfc(−x/√2). */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** erfc by the Chebyshev fit of Numerical Recipes (fractional error below 1.2e-7 everywhere). */
    static double erfc(double x) {
        double z = Math.abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
