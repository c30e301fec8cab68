package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Shapes;

/**
 * The sinusoidal positions of "Attention Is All You Need" (and of PyTorch's transformer
 * tutorial), added to a sequence of embeddings: {@code x + PE[0..T)} for {@code x [N, T, E]}
 * (batch-first, as {@link MultiheadAttention}) or unbatched {@code [T, E]}, then dropout. Column
 * pairs of the table turn at geometric frequencies,
 * <pre>
 *   PE[t, 2i]   = sin(t · 10000^(−2i/E))
 *   PE[t, 2i+1] = cos(t · 10000^(−2i/E))
 * </pre>
 * so each pair is a point on the unit circle and moving k positions is the same rotation for
 * every t — a shift the attention's dot products can pick up, for lengths never seen in training.
 * The alternative is learned positions: an {@link Embedding} over 0..T−1.
 *
 * <p>No parameters: the table is fixed (computed in double, then rounded to float — PyTorch's
 * tutorial computes it in float, which differs by up to about t·6e-8 at position t) and, unlike
 * the tutorial's buffer, not part of the state dict. With odd E the last column is a sine.
 *
 * <pre>{@code
 * jshell> var pe = new PositionalEncoding(4, 100);
 * jshell> PositionalEncoding.table(2, 4).toArray()
 * $2 ==> float[8] { 0.0, 1.0, 0.0, 1.0, 0.84147096, 0.5403023, 0.009999833, 0.99995 }
 * }</pre>
 */
public final class PositionalEncoding extends Module {

    private final int dModel, maxLen;
    private final float dropoutP;
    private final Dropout dropout;
    private final float[] table;

    /**
     * Positions up to {@code maxLen}, without dropout.
     *
     * @param dModel the embedding width E, positive
     * @param maxLen the longest sequence, positive
     */
    public PositionalEncoding(int dModel, int maxLen) {
        this(dModel, maxLen, 0f, Defaults.rng());
    }

    /**
     * Positions up to {@code maxLen}, with dropout after the sum (the tutorial's 0.1).
     *
     * @param dModel the embedding width E, positive
     * @param maxLen the longest sequence, positive
     * @param dropout the probability of zeroing an element of the sum in training, in [0, 1]
     * @param rng the dropout masks' source
     * @throws IllegalArgumentException if a size is not positive or dropout is outside [0, 1]
     */
    public PositionalEncoding(int dModel, int maxLen, float dropout, RandomGenerator rng) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("PositionalEncoding: dModel and maxLen must be positive, got "
                    + dModel + " and " + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.dropoutP = dropout;
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        this.table = values(maxLen, dModel);
    }

    /**
     * The table's first rows, as a tensor.
     *
     * @param positions the number of rows T, at least 0
     * @param dModel the width E, positive
     * @return {@code PE[0..T)}, shape {@code [T, E]}
     * @throws IllegalArgumentException if a size is out of range
     */
    public static Tensor table(int positions, int dModel) {
        if (positions < 0 || dModel <= 0) {
            throw new IllegalArgumentException("PositionalEncoding.table: expected positions ≥ 0 and dModel > 0, got "
                    + positions + " and " + dModel);
        }
        return Tensor.of(values(positions, dModel), positions, dModel);
    }

    private static float[] values(int positions, int dModel) {
        float[] pe = new float[positions * dModel];
        for (int i = 0; i < dModel; i += 2) {
            double frequency = Math.exp(-Math.log(10000.0) * i / dModel);
            for (int t = 0; t < positions; t++) {
                double angle = t * frequency;
                pe[t * dModel + i] = (float) Math.sin(angle);
                if (i + 1 < dModel) pe[t * dModel + i + 1] = (float) Math.cos(angle);
            }
        }
        return pe;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        int rank = s.length, t = rank >= 2 ? s[rank - 2] : -1;
        if ((rank != 2 && rank != 3) || s[rank - 1] != dModel) {
            throw new IllegalArgumentException("PositionalEncoding: expected [N, T, " + dModel + "] or [T, " + dModel
                    + "], got " + Shapes.str(s));
        }
        if (t > maxLen) {
            throw new IllegalArgumentException("PositionalEncoding: sequence of " + t + " positions in " + Shapes.str(s)
                    + ", longer than maxLen " + maxLen);
        }
        float[] rows = Arrays.copyOf(table, t * dModel);
        return dropout.forward(x.add(Tensor.of(rows, t, dModel)));
    }

    @Override
    protected String extraRepr() {
        return "dModel=" + dModel + ", maxLen=" + maxLen + ", dropout=" + dropoutP;
    }
}
