package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Tensor;

/**
 * One Transformer encoder block, {@code torch.nn.TransformerEncoderLayer} with
 * {@code batch_first=True}: self-attention and a two-layer feed-forward network, each with a
 * residual connection and a LayerNorm.
 * <pre>
 *   post-norm (PyTorch's default):  x = norm1(x + sa(x));  x = norm2(x + ff(x))
 *   pre-norm  (normFirst = true):   x = x + sa(norm1(x));  x = x + ff(norm2(x))
 *   sa(x) = dropout1(self_attn(x, x, x))
 *   ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))
 * </pre>
 *
 * <p>The submodules have PyTorch's names, so a PyTorch state dict loads as is:
 * {@code self_attn.in_proj_weight}, {@code self_attn.in_proj_bias},
 * {@code self_attn.out_proj.weight}/{@code .bias}, {@code linear1.weight}/{@code .bias}
 * ({@code [dimFeedforward, dModel]}), {@code linear2.weight}/{@code .bias}
 * ({@code [dModel, dimFeedforward]}), {@code norm1.weight}/{@code .bias},
 * {@code norm2.weight}/{@code .bias}; the dropouts {@code dropout}, {@code dropout1},
 * {@code dropout2} have no parameters. The activation is {@code "relu"} or {@code "gelu"} (the
 * exact erf form, PyTorch's {@code F.gelu}). Initialisation follows torch 1.13's order: the
 * {@link MultiheadAttention} (its own init), then {@code linear1} and {@code linear2} with
 * Linear's default init; the norms start at weight 1, bias 0.
 *
 * <p>Shapes: src {@code [N, S, dModel]} (or unbatched {@code [S, dModel]}) gives the same shape.
 * {@code srcMask} is an additive {@code [S, S]} or {@code [N·nhead, S, S]} mask as in
 * {@link MultiheadAttention}; {@code srcKeyPaddingMask} is {@code [N, S]}, not 0 (for example 1)
 * where a position is padding that no query may attend to (PyTorch's boolean meaning; see
 * {@link MultiheadAttention}). A query that sees no key gives a NaN row, as in PyTorch's reference
 * path. For decoder-only (GPT-style) use, {@link #forwardCausal} lets position t attend to 0..t.
 * Only {@code batch_first=True} is supported. Dropout acts in training only.
 *
 * <pre>{@code
 * jshell> var layer = new TransformerEncoderLayer(8, 2, 16, 0f, "gelu", 1e-5f, true, true, new SplittableRandom(0));
 * jshell> layer.forwardCausal(Tensor.zeros(3, 5, 8)).shape()
 * $2 ==> int[3] { 3, 5, 8 }
 * jshell> layer.stateDict().keySet()
 * $3 ==> [self_attn.in_proj_weight, self_attn.in_proj_bias, self_attn.out_proj.weight, self_attn.out_proj.bias, linear1.weight, linear1.bias, linear2.weight, linear2.bias, norm1.weight, norm1.bias, norm2.weight, norm2.bias]
 * }</pre>
 */
public final class TransformerEncoderLayer extends Module {

    private final int dModel, nhead, dimFeedforward;
    private final float dropoutP, layerNormEps;
    private final String activationName;
    private final boolean normFirst;
    private final MultiheadAttention selfAttn;
    private final Linear linear1, linear2;
    private final LayerNorm norm1, norm2;
    private final Dropout dropout, dropout1, dropout2;
    private final Module activation;

    /**
     * PyTorch's defaults: dimFeedforward 2048, dropout 0.1, ReLU, eps 1e-5, post-norm; initialised
     * from {@code rng}.
     *
     * @param dModel model size, positive
     * @param nhead number of heads, positive and dividing dModel
     * @param rng source of the initial weights and of the dropout masks
     * @throws IllegalArgumentException if nhead does not divide dModel or a size is not positive
     */
    public TransformerEncoderLayer(int dModel, int nhead, RandomGenerator rng) {
        this(dModel, nhead, 2048, 0.1f, "relu", 1e-5f, true, false, rng);
    }

    /**
     * PyTorch's defaults (dimFeedforward 2048, dropout 0.1, ReLU, eps 1e-5, post-norm), initialised
     * from the {@link Defaults} stream.
     *
     * @param dModel model size, positive
     * @param nhead number of heads, positive and dividing dModel
     * @throws IllegalArgumentException if nhead does not divide dModel or a size is not positive
     */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, Defaults.rng());
    }

    /**
     * A Transformer encoder layer with every option, in PyTorch's argument order.
     *
     * @param dModel model size, positive
     * @param nhead number of heads, positive and dividing dModel
     * @param dimFeedforward hidden size of the feed-forward network, positive
     * @param dropout dropout probability after the attention, inside and after the feed-forward
     *        network and on the attention weights, in [0, 1]
     * @param activation {@code "relu"} or {@code "gelu"} (exact erf form)
     * @param layerNormEps eps of both LayerNorms
     * @param batchFirst must be true: inputs are {@code [N, S, dModel]}
     * @param normFirst true for pre-norm, false for PyTorch's default post-norm
     * @param rng source of the initial weights and of the dropout masks
     * @throws IllegalArgumentException if a size is not positive, nhead does not divide dModel,
     *         dropout is outside [0, 1], the activation is unknown or batchFirst is false
     */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, float dropout, String activation,
                                   float layerNormEps, boolean batchFirst, boolean normFirst, RandomGenerator rng) {
        String me = "TransformerEncoderLayer";
        if (dModel <= 0 || nhead <= 0 || dimFeedforward <= 0) {
            throw new IllegalArgumentException(me + ": dModel, nhead and dimFeedforward must be positive, got "
                    + dModel + ", " + nhead + " and " + dimFeedforward);
        }
        if (dModel % nhead != 0) {
            throw new IllegalArgumentException(me + ": dModel " + dModel + " must be divisible by nhead " + nhead);
        }
        if (!(dropout >= 0f && dropout <= 1f)) {
            throw new IllegalArgumentException(me + ": dropout must be in [0, 1], got " + dropout);
        }
        if (!batchFirst) {
            throw new IllegalArgumentException(me + ": only batchFirst = true ([N, S, dModel] inputs) is supported");
        }
        Module act = switch (activation == null ? "" : activation) {
            case "relu" -> new ReLU();
            case "gelu" -> new GELU();
            default -> throw new IllegalArgumentException(me + ": activation should be \"relu\" or \"gelu\", got "
                    + (activation == null ? "null" : "\"" + activation + "\""));
        };
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.layerNormEps = layerNormEps;
        this.activationName = activation;
        this.normFirst = normFirst;
        this.activation = act;
        // torch 1.13's order of construction (and so of random draws)
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, rng));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, true, rng));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, true, rng));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng));
    }

    /**
     * The self-attention block.
     *
     * @return {@code self_attn}
     */
    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    /**
     * The first feed-forward layer.
     *
     * @return {@code linear1}, dModel to dimFeedforward
     */
    public Linear linear1() {
        return linear1;
    }

    /**
     * The second feed-forward layer.
     *
     * @return {@code linear2}, dimFeedforward to dModel
     */
    public Linear linear2() {
        return linear2;
    }

    /**
     * The LayerNorm of the attention block.
     *
     * @return {@code norm1}
     */
    public LayerNorm norm1() {
        return norm1;
    }

    /**
     * The LayerNorm of the feed-forward block.
     *
     * @return {@code norm2}
     */
    public LayerNorm norm2() {
        return norm2;
    }

    /**
     * Without masks: every position attends to every position.
     *
     * @param src {@code [N, S, dModel]} or {@code [S, dModel]}
     * @return the same shape
     * @throws IllegalArgumentException if the shape does not fit
     */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * PyTorch's {@code forward(src, src_mask, src_key_padding_mask)}.
     *
     * @param src {@code [N, S, dModel]} or {@code [S, dModel]}
     * @param srcMask additive mask {@code [S, S]} or {@code [N·nhead, S, S]}, or null
     * @param srcKeyPaddingMask {@code [N, S]} (or {@code [S]} unbatched), not 0 where a position
     *        is padding; or null
     * @return the same shape as src
     * @throws IllegalArgumentException if a shape does not fit
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        return run(src, srcMask, srcKeyPaddingMask, false);
    }

    /**
     * Causal self-attention (srcMask the causal mask, {@link Attention#causalMask}): position t
     * attends to positions 0..t, for decoder-only models.
     *
     * @param src {@code [N, S, dModel]} or {@code [S, dModel]}
     * @return the same shape
     * @throws IllegalArgumentException if the shape does not fit
     */
    public Tensor forwardCausal(Tensor src) {
        return run(src, null, null, true);
    }

    /**
     * Causal self-attention with a key padding mask: position t attends to the positions 0..t
     * that are not padding.
     *
     * @param src {@code [N, S, dModel]} or {@code [S, dModel]}
     * @param srcKeyPaddingMask {@code [N, S]} (or {@code [S]} unbatched), not 0 where a position
     *        is padding; or null
     * @return the same shape
     * @throws IllegalArgumentException if a shape does not fit
     */
    public Tensor forwardCausal(Tensor src, Tensor srcKeyPaddingMask) {
        return run(src, null, srcKeyPaddingMask, true);
    }

    private Tensor run(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean causal) {
        check(src, srcMask, srcKeyPaddingMask);
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask, causal));
            x = x.add(feedForwardBlock(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask, causal)));
            x = norm2.forward(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask, boolean causal) {
        return dropout1.forward(selfAttn.selfAttention(x, mask, keyPaddingMask, causal));
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout2.forward(linear2.forward(dropout.forward(activation.forward(linear1.forward(x)))));
    }

    /** The shapes, checked here so that the errors name this layer. */
    private void check(Tensor src, Tensor srcMask, Tensor kpm) {
        int r = src.rank();
        if ((r != 2 && r != 3) || src.size(-1) != dModel) {
            throw new IllegalArgumentException(describe() + ": expected src [N, S, " + dModel + "] or [S, " + dModel + "], got "
                    + Arrays.toString(src.shape()));
        }
        int s = src.size(-2);
        if (srcMask != null) {
            int[] m = srcMask.shape();
            boolean ok = Arrays.equals(m, new int[] {s, s}) || (r == 3 && Arrays.equals(m, new int[] {src.size(0) * nhead, s, s}))
                    || (r == 2 && Arrays.equals(m, new int[] {nhead, s, s}));
            if (!ok) {
                throw new IllegalArgumentException(describe() + ": srcMask must be [S, S] = [" + s + ", " + s + "]"
                        + (r == 3 ? " or [N·nhead, S, S] = [" + src.size(0) * nhead + ", " + s + ", " + s + "]" : "")
                        + " for src " + Arrays.toString(src.shape()) + ", got " + Arrays.toString(m));
            }
        }
        if (kpm != null) {
            int[] want = r == 3 ? new int[] {src.size(0), s} : new int[] {s};
            if (!Arrays.equals(kpm.shape(), want)) {
                throw new IllegalArgumentException(describe() + ": srcKeyPaddingMask must be " + (r == 3 ? "[N, S] = " : "[S] = ")
                        + Arrays.toString(want) + " for src " + Arrays.toString(src.shape()) + ", got "
                        + Arrays.toString(kpm.shape()));
            }
        }
    }

    @Override
    protected String extraRepr() {
        return "dModel=" + dModel + ", nhead=" + nhead + ", dimFeedforward=" + dimFeedforward + ", dropout=" + dropoutP
                + ", activation=" + activationName + ", layerNormEps=" + layerNormEps + ", normFirst=" + normFirst;
    }
}
