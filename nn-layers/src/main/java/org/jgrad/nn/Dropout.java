package org.jgrad.nn;

import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1−p), so the expected output equals the input and eval needs no rescaling. In
 * eval mode (and for p = 0) it is the identity. Any shape.
 *
 * <p>The mask comes from the generator given (or a split of the {@link Defaults} stream), so a
 * seed reproduces a run. Not safe to call from several threads at once.
 *
 * <pre>{@code
 * jshell> var d = new Dropout(0.5f, new SplittableRandom(1));
 * jshell> d.forward(Tensor.ones(6)).toArray()   // each element 0 or 1/(1−p) = 2
 * }</pre>
 */
public final class Dropout extends Module {

    private final float p;
    private final RandomGenerator rng;

    /**
     * Dropout drawing its masks from the global generator ({@link Defaults#rng()}).
     *
     * @param p probability of zeroing an element, in [0, 1]
     */
    public Dropout(float p) {
        this(p, Defaults.rng());
    }

    /**
     * Dropout drawing its masks from {@code rng}.
     *
     * @param p probability of zeroing an element, in [0, 1]
     * @param rng source of the masks
     * @throws IllegalArgumentException if {@code p} is outside [0, 1]
     */
    public Dropout(float p, RandomGenerator rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        this.p = p;
        this.rng = rng;
    }

    @Override
    public boolean changesStateInTraining() {
        return true;                                      // draws from its random stream
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        float[] mask = new float[x.numel()];
        float keep = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() >= p ? keep : 0f;
        return x.mul(Tensor.of(mask, x.shape()));
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
