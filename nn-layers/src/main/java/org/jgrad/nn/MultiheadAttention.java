package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Functional;
import org.jgrad.core.Tensor;
import org.jgrad.nn.init.Init;

/**
 * Multi-head attention, {@code torch.nn.MultiheadAttention} with {@code batch_first=True}: the
 * query, key and value are projected by the three row blocks of {@code in_proj_weight}
 * {@code [3E, E]} (and {@code in_proj_bias} {@code [3E]}), split into {@code numHeads} heads of
 * E / numHeads features, attended per head with {@link Attention#scaledDotProductAttention} and
 * joined by the Linear child {@code out_proj} ({@code out_proj.weight} {@code [E, E]},
 * {@code out_proj.bias} {@code [E]}). The parameter names and layout are PyTorch's, so a PyTorch
 * state dict loads as is.
 *
 * <p>Shapes: query {@code [N, L, E]}, key and value {@code [N, S, E]}, output {@code [N, L, E]};
 * unbatched {@code [L, E]} and {@code [S, E]} give {@code [L, E]}. The mask is additive
 * ({@code -Infinity} where not allowed, see {@link Attention#causalMask}), {@code [L, S]} or
 * {@code [N·numHeads, L, S]} as in PyTorch. Dropout on the attention weights acts in training only.
 * Not supported yet: {@code kdim}/{@code vdim}, {@code add_bias_kv}, {@code add_zero_attn}.
 *
 * <p><b>Key padding mask.</b> PyTorch's {@code key_padding_mask} {@code [N, S]} (or {@code [S]}
 * unbatched) marks keys that no query may attend to, typically padding. jgrad tensors are float,
 * so it has PyTorch's <em>boolean</em> meaning: an element that is not 0 (for example 1) ignores
 * that key, 0 keeps it. A PyTorch-style additive mask of 0 and {@code -Infinity} therefore means
 * the same; finite non-zero biases per key are not supported (give them in {@code attnMask}
 * instead, which is additive). The ignored keys get {@code -Infinity} added to their scores on
 * top of {@code attnMask} or the causal mask, as PyTorch's {@code masked_fill} does. A query row
 * that has no key left (every key padded, or padded and causally hidden) is NaN, as in PyTorch
 * 1.13's reference path.
 *
 * <p>Initialisation as in torch 1.13: {@code out_proj} is made first as a Linear (PyTorch's
 * default init), then {@code in_proj_weight} is xavier-uniform and both biases are zero.
 *
 * <pre>{@code
 * jshell> var mha = new MultiheadAttention(8, 2, new SplittableRandom(0));
 * jshell> mha.forward(Tensor.zeros(3, 5, 8)).shape()
 * $2 ==> int[3] { 3, 5, 8 }
 * jshell> mha.forwardWithWeights(Tensor.zeros(3, 5, 8), Tensor.zeros(3, 7, 8), Tensor.zeros(3, 7, 8), null).weights().shape()
 * $3 ==> int[3] { 3, 5, 7 }
 * jshell> var pad = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, 2, 5);   // sample 0: the last 2 keys are padding
 * jshell> mha.forward(Tensor.zeros(2, 5, 8), Tensor.zeros(2, 5, 8), Tensor.zeros(2, 5, 8), null, pad).shape()
 * $5 ==> int[3] { 2, 5, 8 }
 * }</pre>
 */
public final class MultiheadAttention extends Module {

    /**
     * The attention output and the attention weights averaged over the heads (PyTorch's
     * {@code average_attn_weights=True}), after dropout as in PyTorch.
     *
     * @param output {@code [N, L, E]} (or {@code [L, E]} unbatched)
     * @param weights {@code [N, L, S]} (or {@code [L, S]} unbatched)
     */
    public record Output(Tensor output, Tensor weights) {}

    private final int embedDim, numHeads, headDim;
    private final float dropout;
    private final RandomGenerator rng;
    private final Tensor inProjWeight, inProjBias;
    private final Linear outProj;

    /**
     * Without dropout, with biases, initialised from {@code rng}.
     *
     * @param embedDim model size E
     * @param numHeads number of heads, dividing E
     * @param rng source of the initial weights
     */
    public MultiheadAttention(int embedDim, int numHeads, RandomGenerator rng) {
        this(embedDim, numHeads, 0f, true, rng);
    }

    /**
     * Without dropout, with biases, initialised from the {@link Defaults} stream.
     *
     * @param embedDim model size E
     * @param numHeads number of heads, dividing E
     */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0f, true, Defaults.rng());
    }

    /**
     * Multi-head attention.
     *
     * @param embedDim model size E, positive
     * @param numHeads number of heads, positive and dividing E
     * @param dropout probability of dropping an attention weight in training, in [0, 1]
     * @param bias true to learn {@code in_proj_bias} and {@code out_proj.bias}
     * @param rng source of the initial weights and of the dropout masks
     * @throws IllegalArgumentException if a size is not positive, numHeads does not divide
     *         embedDim or dropout is outside [0, 1]
     */
    public MultiheadAttention(int embedDim, int numHeads, float dropout, boolean bias, RandomGenerator rng) {
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim and numHeads must be positive, got "
                    + embedDim + " and " + numHeads);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim " + embedDim + " must be divisible by numHeads "
                    + numHeads);
        }
        if (!(dropout >= 0f && dropout <= 1f)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.rng = rng;
        // PyTorch's order of draws: out_proj's Linear init in the constructor, then _reset_parameters
        Linear out = new Linear(embedDim, embedDim, bias, rng);
        this.inProjWeight = registerParameter("in_proj_weight", Init.xavierUniform(Tensor.zeros(3 * embedDim, embedDim), rng));
        this.inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        if (bias) Init.zeros(out.bias());
        this.outProj = registerModule("out_proj", out);
    }

    /**
     * {@code in_proj_weight}, a live parameter.
     *
     * @return {@code [3E, E]}: the query, key and value projections stacked
     */
    public Tensor inProjWeight() {
        return inProjWeight;
    }

    /**
     * {@code in_proj_bias}, a live parameter, or null without biases.
     *
     * @return {@code [3E]}, or null
     */
    public Tensor inProjBias() {
        return inProjBias;
    }

    /**
     * The output projection.
     *
     * @return the Linear {@code out_proj}
     */
    public Linear outProj() {
        return outProj;
    }

    @Override
    public boolean changesStateInTraining() {
        return dropout > 0f;
    }

    /**
     * Self-attention without a mask: query, key and value are all {@code x}.
     *
     * @param x {@code [N, T, E]} or {@code [T, E]}
     * @return {@code [N, T, E]} or {@code [T, E]}
     * @throws IllegalArgumentException if the shape does not fit
     */
    @Override
    public Tensor forward(Tensor x) {
        return run(x, x, x, null, null, false, false).output();
    }

    /**
     * Attention of query over key and value with an optional additive mask.
     *
     * @param query {@code [N, L, E]} or {@code [L, E]}
     * @param key {@code [N, S, E]} or {@code [S, E]}
     * @param value {@code [N, S, E]} or {@code [S, E]}
     * @param attnMask additive mask {@code [L, S]} or {@code [N·numHeads, L, S]}, or null
     * @return {@code [N, L, E]} or {@code [L, E]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Tensor forward(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
        return run(query, key, value, attnMask, null, false, false).output();
    }

    /**
     * Attention of query over key and value with an optional additive mask and an optional key
     * padding mask (see the class notes: not 0 = ignore that key).
     *
     * @param query {@code [N, L, E]} or {@code [L, E]}
     * @param key {@code [N, S, E]} or {@code [S, E]}
     * @param value {@code [N, S, E]} or {@code [S, E]}
     * @param attnMask additive mask {@code [L, S]} or {@code [N·numHeads, L, S]}, or null
     * @param keyPaddingMask {@code [N, S]} (or {@code [S]} unbatched), not 0 where a key is ignored; or null
     * @return {@code [N, L, E]} or {@code [L, E]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Tensor forward(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask) {
        return run(query, key, value, attnMask, keyPaddingMask, false, false).output();
    }

    /**
     * Self-attention with the causal mask: position t attends to positions 0..t.
     *
     * @param x {@code [N, T, E]} or {@code [T, E]}
     * @return {@code [N, T, E]} or {@code [T, E]}
     * @throws IllegalArgumentException if the shape does not fit
     */
    public Tensor forwardCausal(Tensor x) {
        return run(x, x, x, null, null, true, false).output();
    }

    /**
     * Self-attention with the causal mask and a key padding mask: position t attends to the
     * positions 0..t that are not padded.
     *
     * @param x {@code [N, T, E]} or {@code [T, E]}
     * @param keyPaddingMask {@code [N, T]} (or {@code [T]} unbatched), not 0 where a key is ignored; or null
     * @return {@code [N, T, E]} or {@code [T, E]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Tensor forwardCausal(Tensor x, Tensor keyPaddingMask) {
        return run(x, x, x, null, keyPaddingMask, true, false).output();
    }

    /**
     * {@link #forward(Tensor, Tensor, Tensor, Tensor)} that also returns the attention weights
     * averaged over the heads.
     *
     * @param query {@code [N, L, E]} or {@code [L, E]}
     * @param key {@code [N, S, E]} or {@code [S, E]}
     * @param value {@code [N, S, E]} or {@code [S, E]}
     * @param attnMask additive mask {@code [L, S]} or {@code [N·numHeads, L, S]}, or null
     * @return the output and the head-averaged weights {@code [N, L, S]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Output forwardWithWeights(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
        return run(query, key, value, attnMask, null, false, true);
    }

    /**
     * {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor)} that also returns the attention
     * weights averaged over the heads.
     *
     * @param query {@code [N, L, E]} or {@code [L, E]}
     * @param key {@code [N, S, E]} or {@code [S, E]}
     * @param value {@code [N, S, E]} or {@code [S, E]}
     * @param attnMask additive mask {@code [L, S]} or {@code [N·numHeads, L, S]}, or null
     * @param keyPaddingMask {@code [N, S]} (or {@code [S]} unbatched), not 0 where a key is ignored; or null
     * @return the output and the head-averaged weights {@code [N, L, S]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Output forwardWithWeights(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask) {
        return run(query, key, value, attnMask, keyPaddingMask, false, true);
    }

    /**
     * Self-attention with an optional additive mask, an optional key padding mask and optionally
     * the causal mask (then attnMask must be null): the entry point of {@link TransformerEncoderLayer}.
     */
    Tensor selfAttention(Tensor x, Tensor attnMask, Tensor keyPaddingMask, boolean causal) {
        return run(x, x, x, attnMask, keyPaddingMask, causal, false).output();
    }

    /** The attention; {@code withWeights} also averages the heads' weights (else {@link Output#weights} is null and the fused op runs). */
    private Output run(Tensor query, Tensor key, Tensor value, Tensor attnMask, Tensor keyPaddingMask, boolean causal,
                       boolean withWeights) {
        if (causal && attnMask != null) {
            throw new IllegalArgumentException(describe() + ": an explicit attnMask cannot be combined with the causal mask");
        }
        int r = query.rank();
        if ((r != 2 && r != 3) || key.rank() != r || value.rank() != r) {
            throw new IllegalArgumentException(describe() + ": expected query, key and value all [N, T, E] or all [T, E], got "
                    + shapes(query, key, value));
        }
        if (r == 2) {
            // unbatched: N = 1, so a 3-D mask is [numHeads, L, S] as PyTorch takes it
            Tensor kpm = keyPaddingMask;
            if (kpm != null && kpm.rank() == 1) kpm = kpm.unsqueeze(0);
            else if (kpm != null) {
                throw new IllegalArgumentException(describe() + ": keyPaddingMask must be [S] = [" + key.size(0)
                        + "] for unbatched inputs, got " + Arrays.toString(kpm.shape()));
            }
            Output o = run(query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0), attnMask, kpm, causal, withWeights);
            return new Output(o.output().squeeze(0), o.weights() == null ? null : o.weights().squeeze(0));
        }
        int n = query.size(0), l = query.size(1), s = key.size(1);
        if (query.size(2) != embedDim || key.size(2) != embedDim || value.size(2) != embedDim) {
            throw new IllegalArgumentException(describe() + ": expected last dimension " + embedDim + " in query, key and value, got "
                    + shapes(query, key, value));
        }
        if (key.size(0) != n || value.size(0) != n || value.size(1) != s) {
            throw new IllegalArgumentException(describe() + ": query, key and value must share the batch size and key and value "
                    + "the length, got " + shapes(query, key, value));
        }
        Tensor mask = null;
        if (attnMask != null) {
            int[] m = attnMask.shape();
            if (Arrays.equals(m, new int[] {l, s})) {
                mask = attnMask;
            } else if (Arrays.equals(m, new int[] {n * numHeads, l, s})) {
                mask = attnMask.reshape(n, numHeads, l, s);
            } else {
                throw new IllegalArgumentException(describe() + ": attnMask must be [L, S] = [" + l + ", " + s + "] or [N·numHeads, L, S] = ["
                        + n * numHeads + ", " + l + ", " + s + "], got " + Arrays.toString(m));
            }
        }
        if (keyPaddingMask != null) {
            if (!Arrays.equals(keyPaddingMask.shape(), new int[] {n, s})) {
                throw new IllegalArgumentException(describe() + ": keyPaddingMask must be [N, S] = [" + n + ", " + s + "], got "
                        + Arrays.toString(keyPaddingMask.shape()));
            }
            // [N, 1, 1, S]: 0 for a kept key, -Infinity for an ignored one, added to the other mask
            float[] flags = keyPaddingMask.toArray(), add = new float[flags.length];
            for (int i = 0; i < flags.length; i++) add[i] = flags[i] != 0f ? Float.NEGATIVE_INFINITY : 0f;
            Tensor padding = Tensor.of(add, n, 1, 1, s);
            if (causal) {
                mask = Attention.causalMask(l, s);
                causal = false;
            }
            mask = mask == null ? padding : mask.add(padding);
        }
        int e = embedDim;
        Tensor q = project(query, 0), k = project(key, e), v = project(value, 2 * e);
        float p = isTraining() ? dropout : 0f;
        Tensor[] att = Attention.attend(heads(q, n, l), heads(k, n, s), heads(v, n, s), mask, p, causal, rng, withWeights);
        Tensor joined = att[0].transpose(1, 2).reshape(n, l, e);
        return new Output(outProj.forward(joined), withWeights ? att[1].mean(1) : null);
    }

    /** x·W[from:from+E]ᵀ + b[from:from+E]. */
    private Tensor project(Tensor x, int from) {
        Tensor w = inProjWeight.narrow(0, from, embedDim);
        Tensor b = inProjBias == null ? null : inProjBias.narrow(0, from, embedDim);
        return Functional.linear(x, w, b);
    }

    /** [N, T, E] → [N, heads, T, E / heads]. */
    private Tensor heads(Tensor x, int n, int t) {
        return x.reshape(n, t, numHeads, headDim).transpose(1, 2);
    }

    private static String shapes(Tensor q, Tensor k, Tensor v) {
        return "query " + Arrays.toString(q.shape()) + ", key " + Arrays.toString(k.shape()) + ", value " + Arrays.toString(v.shape());
    }

    @Override
    protected String extraRepr() {
        return "embedDim=" + embedDim + ", numHeads=" + numHeads + (dropout > 0f ? ", dropout=" + dropout : "")
                + (inProjBias == null ? ", bias=false" : "");
    }
}
