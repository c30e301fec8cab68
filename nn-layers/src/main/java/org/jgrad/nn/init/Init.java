package org.jgrad.nn.init;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

/**
 * Weight initialisers, writing a tensor's storage in place (no graph is recorded) and returning
 * it. Every random one draws from the {@link RandomGenerator} given, so a seed reproduces a model.
 *
 * <p>Fans follow PyTorch: for a weight of shape [out, in, k…], fanIn = in·Πk and
 * fanOut = out·Πk. Gains ({@link #gain}): linear/sigmoid 1, tanh 5/3, relu √2,
 * leaky_relu(a) √(2/(1+a²)), selu 3/4.
 * <ul>
 *   <li>kaimingUniform: U(−b, b), b = gain·√(3/fan); kaimingNormal: N(0, gain²/fan)
 *   <li>xavierUniform: U(−b, b), b = gain·√(6/(fanIn+fanOut)); xavierNormal: N(0, gain²·2/(fanIn+fanOut))
 *   <li>lecunNormal: N(0, 1/fanIn); orthogonal: the Q of a Gaussian matrix's QR, times gain
 * </ul>
 *
 * <pre>{@code
 * jshell> var w = Init.kaimingNormal(Tensor.zeros(64, 32), new SplittableRandom(1), "relu");
 * jshell> w.std().item()     // ≈ √(2/32) = 0.25
 * }</pre>
 */
public final class Init {

    private Init() {}

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}.
     *
     * @param nonlinearity one of linear, identity, sigmoid, conv1d, conv2d, tanh, relu, leaky_relu, selu
     * @param param negative slope for leaky_relu; ignored otherwise
     * @return the gain
     * @throws IllegalArgumentException for an unknown nonlinearity
     */
    public static double gain(String nonlinearity, double param) {
        switch (nonlinearity) {
            case "linear": case "identity": case "sigmoid": case "conv1d": case "conv2d": return 1;
            case "tanh": return 5.0 / 3;
            case "relu": return Math.sqrt(2);
            case "leaky_relu": return Math.sqrt(2 / (1 + param * param));
            case "selu": return 0.75;
            default: throw new IllegalArgumentException("Init.gain: unknown nonlinearity '" + nonlinearity
                    + "' (expected linear, sigmoid, tanh, relu, leaky_relu, selu)");
        }
    }

    /**
     * {fanIn, fanOut} of a weight of shape [out, in, k…].
     *
     * @param t weight of at least 2 dimensions
     * @return a new array {@code {fanIn, fanOut}}
     * @throws IllegalArgumentException if {@code t} has fewer than 2 dimensions
     */
    public static int[] fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Init: fan in and fan out need a tensor of at least 2 dimensions, got shape "
                    + Arrays.toString(s));
        }
        int receptive = 1;
        for (int i = 2; i < s.length; i++) receptive *= s[i];
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    /**
     * Fills {@code t} with zeros.
     *
     * @param t tensor written in place
     * @return {@code t}
     */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0f);
    }

    /**
     * Fills {@code t} with {@code value}.
     *
     * @param t tensor written in place
     * @param value fill value
     * @return {@code t}
     */
    public static Tensor constant(Tensor t, float value) {
        Arrays.fill(t.data(), value);
        return t;
    }

    /**
     * U(low, high).
     *
     * @param t tensor written in place
     * @param rng source of the samples
     * @param low lower bound, inclusive
     * @param high upper bound, not below {@code low}
     * @return {@code t}
     */
    public static Tensor uniform(Tensor t, RandomGenerator rng, double low, double high) {
        if (!(low <= high)) throw new IllegalArgumentException("Init.uniform: low " + low + " is greater than high " + high);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * rng.nextDouble());
        return t;
    }

    /**
     * N(mean, std²).
     *
     * @param t tensor written in place
     * @param rng source of the samples
     * @param mean mean of the distribution
     * @param std standard deviation, not negative
     * @return {@code t}
     */
    public static Tensor normal(Tensor t, RandomGenerator rng, double mean, double std) {
        if (!(std >= 0)) throw new IllegalArgumentException("Init.normal: std must be ≥ 0, got " + std);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.nextGaussian());
        return t;
    }

    /**
     * He uniform with fan-in, for a nonlinearity such as "relu".
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @param nonlinearity name as for {@link #gain}
     * @return {@code t}
     */
    public static Tensor kaimingUniform(Tensor t, RandomGenerator rng, String nonlinearity) {
        return kaimingUniform(t, rng, nonlinearity, 0, true);
    }

    /**
     * He uniform: U(−b, b), b = gain(nonlinearity, a)·√(3/fan), fan = fanIn or fanOut.
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @param nonlinearity name as for {@link #gain}
     * @param a negative slope for leaky_relu
     * @param fanIn true to scale by fanIn, false by fanOut
     * @return {@code t}
     */
    public static Tensor kaimingUniform(Tensor t, RandomGenerator rng, String nonlinearity, double a, boolean fanIn) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fans(t)[fanIn ? 0 : 1]);
        return uniform(t, rng, -bound, bound);
    }

    /**
     * He normal with fan-in, for a nonlinearity such as "relu".
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @param nonlinearity name as for {@link #gain}
     * @return {@code t}
     */
    public static Tensor kaimingNormal(Tensor t, RandomGenerator rng, String nonlinearity) {
        return kaimingNormal(t, rng, nonlinearity, 0, true);
    }

    /**
     * He normal: N(0, σ²), σ = gain(nonlinearity, a)/√fan.
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @param nonlinearity name as for {@link #gain}
     * @param a negative slope for leaky_relu
     * @param fanIn true to scale by fanIn, false by fanOut
     * @return {@code t}
     */
    public static Tensor kaimingNormal(Tensor t, RandomGenerator rng, String nonlinearity, double a, boolean fanIn) {
        return normal(t, rng, 0, gain(nonlinearity, a) / Math.sqrt(fans(t)[fanIn ? 0 : 1]));
    }

    /**
     * Glorot uniform with gain 1.
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @return {@code t}
     */
    public static Tensor xavierUniform(Tensor t, RandomGenerator rng) {
        return xavierUniform(t, rng, 1);
    }

    /**
     * Glorot uniform: U(−b, b), b = gain·√(6/(fanIn+fanOut)).
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @param gain factor on the bound
     * @return {@code t}
     */
    public static Tensor xavierUniform(Tensor t, RandomGenerator rng, double gain) {
        int[] f = fans(t);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, rng, -bound, bound);
    }

    /**
     * Glorot normal with gain 1.
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @return {@code t}
     */
    public static Tensor xavierNormal(Tensor t, RandomGenerator rng) {
        return xavierNormal(t, rng, 1);
    }

    /**
     * Glorot normal: N(0, σ²), σ = gain·√(2/(fanIn+fanOut)).
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @param gain factor on the standard deviation
     * @return {@code t}
     */
    public static Tensor xavierNormal(Tensor t, RandomGenerator rng, double gain) {
        int[] f = fans(t);
        return normal(t, rng, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    /**
     * LeCun normal: N(0, 1/fanIn), the init SELU networks assume.
     *
     * @param t weight of at least 2 dimensions, written in place
     * @param rng source of the samples
     * @return {@code t}
     */
    public static Tensor lecunNormal(Tensor t, RandomGenerator rng) {
        return normal(t, rng, 0, 1 / Math.sqrt(fans(t)[0]));
    }

    /**
     * A (semi-)orthogonal matrix with gain 1; see {@link #orthogonal(Tensor, RandomGenerator, double)}.
     *
     * @param t tensor of at least 2 dimensions, written in place
     * @param rng source of the Gaussian matrix
     * @return {@code t}
     */
    public static Tensor orthogonal(Tensor t, RandomGenerator rng) {
        return orthogonal(t, rng, 1);
    }

    /**
     * A (semi-)orthogonal matrix: the tensor is viewed as [rows, cols] (rows = size(0)); its
     * rows are orthonormal if rows ≤ cols, else its columns. Modified Gram–Schmidt in double on a
     * Gaussian matrix — the Q of its QR with R's diagonal positive, so Q is Haar-distributed.
     *
     * @param t tensor of at least 2 dimensions, written in place
     * @param rng source of the Gaussian matrix
     * @param gain factor on every element
     * @return {@code t}
     * @throws IllegalArgumentException if {@code t} has fewer than 2 dimensions
     */
    public static Tensor orthogonal(Tensor t, RandomGenerator rng, double gain) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("Init.orthogonal: needs at least 2 dimensions, got shape " + Arrays.toString(t.shape()));
        }
        int rows = t.size(0), cols = t.numel() / rows;
        int n = Math.min(rows, cols), m = Math.max(rows, cols);
        double[][] v = new double[n][m];   // n vectors of length m, orthonormalised in turn
        for (double[] row : v) for (int j = 0; j < m; j++) row[j] = rng.nextGaussian();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < m; j++) dot += v[i][j] * v[k][j];
                for (int j = 0; j < m; j++) v[i][j] -= dot * v[k][j];
            }
            double norm = 0;
            for (int j = 0; j < m; j++) norm += v[i][j] * v[i][j];
            norm = Math.sqrt(norm);
            for (int j = 0; j < m; j++) v[i][j] /= norm;
        }
        float[] d = t.data();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) d[r * cols + c] = (float) (gain * (rows <= cols ? v[r][c] : v[c][r]));
        }
        return t;
    }
}
