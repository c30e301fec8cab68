package org.jgrad.nn;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The random stream layers draw from when no generator is given (like {@code torch.manual_seed}).
 * It starts from a fixed seed, so a program that builds the same layers in the same order gets
 * the same weights on every run; each layer gets its own split of the stream, so two layers of
 * the same shape still get different weights.
 *
 * <pre>{@code
 * jshell> Defaults.seed(7); var a = new Linear(2, 2);
 * jshell> Defaults.seed(7); var b = new Linear(2, 2);   // same weights as a
 * }</pre>
 */
public final class Defaults {

    /** The seed the stream starts from. */
    public static final long SEED = 42L;

    private static SplittableRandom root = new SplittableRandom(SEED);

    private Defaults() {}

    /**
     * Restarts the default stream from {@code seed}.
     *
     * @param seed the new seed
     */
    public static synchronized void seed(long seed) {
        root = new SplittableRandom(seed);
    }

    /**
     * A new generator split from the default stream.
     *
     * @return a generator independent of later splits
     */
    public static synchronized RandomGenerator rng() {
        return root.split();
    }
}
