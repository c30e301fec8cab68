package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.Shapes;
import org.jgrad.nn.init.Init;

/**
 * A lookup table: row i of the weight [numEmbeddings, dim] for each index i. Indices are whole
 * numbers held in a float tensor of any shape [*]; the output is [*, dim]. Weight init N(0, 1)
 * as PyTorch. The gradient of a row is the sum over the positions that looked it up.
 *
 * <pre>{@code
 * jshell> var emb = new Embedding(10, 4);
 * jshell> emb.forward(Tensor.of(new float[]{1, 2, 1}, 3)).shape()
 * $2 ==> int[2] { 3, 4 }
 * }</pre>
 */
public final class Embedding extends Module {

    private final int numEmbeddings, dim;
    private final Tensor weight;

    /**
     * A table initialised from the global generator ({@link Defaults#rng()}).
     *
     * @param numEmbeddings number of rows (the vocabulary size)
     * @param dim length of each vector
     */
    public Embedding(int numEmbeddings, int dim) {
        this(numEmbeddings, dim, Defaults.rng());
    }

    /**
     * A table initialised from {@code rng}.
     *
     * @param numEmbeddings number of rows (the vocabulary size), positive
     * @param dim length of each vector, positive
     * @param rng source of the initial vectors
     * @throws IllegalArgumentException if a size is not positive
     */
    public Embedding(int numEmbeddings, int dim, RandomGenerator rng) {
        if (numEmbeddings <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " × " + dim);
        }
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
        this.weight = registerParameter("weight", Init.normal(Tensor.zeros(numEmbeddings, dim), rng, 0, 1));
    }

    /**
     * The table, a live parameter.
     *
     * @return the weight {@code [numEmbeddings, dim]}
     */
    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor indices) {
        float[] v = indices.data();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= numEmbeddings) {
                throw new IllegalArgumentException(describe() + ": index " + Shapes.str(v[i]) + " at position " + i
                        + " is out of range (expected a whole number in 0.." + (numEmbeddings - 1) + ")");
            }
        }
        int[] s = indices.shape();
        int[] out = Arrays.copyOf(s, s.length + 1);
        out[s.length] = dim;
        return weight.indexSelect(0, indices.reshape(-1)).reshape(out);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + dim;
    }
}
