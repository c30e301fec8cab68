package org.jgrad.nn.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

/**
 * Picks the next token from a row of logits: greedy (argmax), softmax with a temperature, or
 * the same restricted to the k largest logits (top-k). The random ones draw from the
 * {@link RandomGenerator} given, so a seed reproduces a sample.
 *
 * <p>Temperature τ divides the logits before the softmax, p_i ∝ exp(x_i / τ): τ &lt; 1 sharpens
 * the distribution, τ &gt; 1 flattens it, τ → 0 becomes greedy. Sampling is by inverse CDF in
 * double, with the max logit subtracted before the exponent.
 *
 * <pre>{@code
 * jshell> var s = Sampler.topK(2, 0.8, new SplittableRandom(7));
 * jshell> s.next(new float[]{0.1f, 2f, 1.5f, -1f})     // 1 or 2, never 0 or 3
 * $2 ==> 1
 * jshell> Sampler.greedy().next(new float[]{0.1f, 2f, 1.5f})
 * $3 ==> 1
 * }</pre>
 */
@FunctionalInterface
public interface Sampler {

    /**
     * The index of the chosen class in {@code logits}.
     *
     * @param logits unnormalised scores, one per class
     * @return an index into {@code logits}
     */
    int next(float[] logits);

    /**
     * One index per row of logits [classes] or [batch, classes].
     *
     * @param logits {@code [classes]} or {@code [batch, classes]}
     * @return one chosen index per row
     * @throws IllegalArgumentException if {@code logits} is not 1-D or 2-D
     */
    default int[] next(Tensor logits) {
        if (logits.rank() != 1 && logits.rank() != 2) {
            throw new IllegalArgumentException("Sampler: expected logits [classes] or [batch, classes], got "
                    + Arrays.toString(logits.shape()));
        }
        int c = logits.size(-1), rows = logits.numel() / Math.max(1, c);
        float[] d = logits.data();
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) out[r] = next(Arrays.copyOfRange(d, r * c, (r + 1) * c));
        return out;
    }

    /**
     * The argmax (the first one on ties).
     *
     * @return a sampler that always picks the largest logit
     */
    static Sampler greedy() {
        return Sampler::argmax;
    }

    /**
     * Samples from softmax(logits / temperature); temperature 0 is greedy.
     *
     * @param temperature divides the logits; finite and ≥ 0, 0 for greedy
     * @param rng source of the draws
     * @return a sampler drawing from {@code rng}
     */
    static Sampler temperature(double temperature, RandomGenerator rng) {
        return topK(Integer.MAX_VALUE, temperature, rng);
    }

    /**
     * Samples from softmax(logits / temperature) over the k largest logits only (ties at the k-th all kept).
     *
     * @param k number of largest logits kept, positive
     * @param temperature divides the logits; finite and ≥ 0, 0 for greedy
     * @param rng source of the draws
     * @return a sampler drawing from {@code rng}
     * @throws IllegalArgumentException if {@code k} is not positive, the temperature is negative, NaN or infinite, or {@code rng} is null
     */
    static Sampler topK(int k, double temperature, RandomGenerator rng) {
        if (k <= 0) throw new IllegalArgumentException("Sampler.topK: k must be positive, got " + k);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("Sampler: temperature must be finite and ≥ 0, got " + temperature);
        }
        if (rng == null) throw new IllegalArgumentException("Sampler: the random generator must not be null");
        return logits -> {
            if (temperature == 0) return argmax(logits);
            double[] p = probabilities(logits, k, temperature);
            double u = rng.nextDouble(), acc = 0;
            int last = -1;
            for (int i = 0; i < p.length; i++) {
                if (p[i] == 0) continue;
                acc += p[i];
                last = i;
                if (u < acc) return i;
            }
            return last;   // u fell in the rounding gap at the top of the CDF
        };
    }

    /**
     * The argmax of {@code logits} (the first one on ties); NaN is refused.
     *
     * @param logits scores, at least one, none NaN
     * @return the index of the largest
     * @throws IllegalArgumentException if {@code logits} is empty or holds NaN
     */
    static int argmax(float[] logits) {
        if (logits.length == 0) throw new IllegalArgumentException("Sampler: empty logits");
        int best = 0;
        for (int i = 0; i < logits.length; i++) {
            if (Float.isNaN(logits[i])) throw new IllegalArgumentException("Sampler: logit " + i + " is NaN");
            if (logits[i] > logits[best]) best = i;
        }
        return best;
    }

    /**
     * softmax(logits / temperature) restricted to the k largest logits (others get 0), in double;
     * temperature must be positive.
     *
     * @param logits scores, at least one, none NaN
     * @param k number of largest logits kept
     * @param temperature divides the logits, positive
     * @return a new array of probabilities, one per logit, summing to 1
     */
    static double[] probabilities(float[] logits, int k, double temperature) {
        int max = argmax(logits);
        float threshold = Float.NEGATIVE_INFINITY;
        if (k < logits.length) {
            float[] sorted = logits.clone();
            Arrays.sort(sorted);
            threshold = sorted[sorted.length - k];
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < threshold) continue;
            p[i] = Math.exp((logits[i] - (double) logits[max]) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }
}
