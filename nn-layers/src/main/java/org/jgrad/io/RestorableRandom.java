package org.jgrad.io;

import java.util.random.RandomGenerator;

/**
 * A random generator whose whole state is one {@code long} that can be read and set, so a
 * {@link Checkpoint} can store it and training resumed from the checkpoint draws the same numbers
 * as training that never stopped. It is SplitMix64 (Steele, Lea &amp; Flood 2014), the generator
 * inside {@link java.util.SplittableRandom}: 64 bits of state, period 2⁶⁴, good enough for
 * shuffling, dropout and initialisation.
 *
 * <p>Why not {@code SplittableRandom} itself: its state is private. Why not Commons RNG's
 * {@code RandomSource.SPLIT_MIX_64} (a {@code RestorableUniformRandomProvider}; checked with
 * commons-rng 1.6 for issue #22): its {@code nextLong()} stream is this one for the same seed
 * (1000 draws from seed 0 equal, and equal to {@code SplittableRandom}'s), and its
 * {@code saveState()} restores it (24 bytes where this class needs one {@code long}), but it keeps
 * jgrad's determinism contract only for {@code nextLong} and {@code nextDouble}: its
 * {@code nextInt(bound)} and {@code nextFloat} use other algorithms than {@link RandomGenerator}'s
 * (59 of 1000 {@code nextInt(17)} and none of 1000 {@code nextFloat} equal from seed 42), and its
 * {@code PermutationSampler.shuffle} orders 0..9 differently from {@code Splits.permutation} for
 * the same seed, so switching would change every shuffle, dropout mask and initialisation of a
 * seeded run. It is not a {@link RandomGenerator}, which is what jgrad's layers and
 * {@code Tensor.rand} take, and SPLIT_MIX_64 is neither jumpable nor splittable there, so it
 * offers nothing for per-shard streams either (the trainer runs the shards of a model with a
 * random stream one after another in shard order, so its draws do not depend on the thread
 * count; parallel per-shard streams would need a jumpable generator and change the numbers). A
 * dependency for ten lines that would change the numbers: not taken.
 * Every other method ({@code nextFloat}, {@code nextInt(bound)}, {@code nextGaussian}, …) is
 * {@link RandomGenerator}'s default, built on {@link #nextLong()} alone, so no state hides
 * outside {@link #state()}.
 *
 * <pre>{@code
 * jshell> var rng = new RestorableRandom(42); rng.nextInt(10); long s = rng.state();
 * jshell> rng.nextInt(10) == RestorableRandom.fromState(s).nextInt(10)
 * $3 ==> true
 * }</pre>
 */
public final class RestorableRandom implements RandomGenerator {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    /**
     * A generator started from {@code seed}; the same seed gives the same sequence.
     *
     * @param seed the initial state
     */
    public RestorableRandom(long seed) {
        this.state = seed;
    }

    /**
     * A generator that continues from a {@link #state()} taken earlier.
     *
     * @param state a value {@link #state()} returned
     * @return a new generator
     */
    public static RestorableRandom fromState(long state) {
        return new RestorableRandom(state);
    }

    /**
     * The whole state: a generator set to it draws what this one draws next.
     *
     * @return the state
     */
    public long state() {
        return state;
    }

    /**
     * Continues from a {@link #state()} taken earlier, in place (layers holding this generator follow).
     *
     * @param state a value {@link #state()} returned
     */
    public void setState(long state) {
        this.state = state;
    }

    @Override
    public long nextLong() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
