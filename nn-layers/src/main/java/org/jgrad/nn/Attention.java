package org.jgrad.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.jgrad.core.Autograd;
import org.jgrad.core.Tensor;
import org.jgrad.core.ops.AttentionOps;

/**
 * Scaled dot-product attention as a function of tensors, PyTorch 2's
 * {@code torch.nn.functional.scaled_dot_product_attention}:
 * <pre>
 *   out = dropout(softmax(q·kᵀ / √E + mask)) · v
 * </pre>
 * with q {@code [..., L, E]}, k {@code [..., S, E]}, v {@code [..., S, Ev]} and the result
 * {@code [..., L, Ev]}; the batch dims (for example {@code [N, heads]}) broadcast as in
 * {@link Tensor#matmul}. The softmax runs over S with the row maximum subtracted, so large scores
 * do not overflow.
 *
 * <p><b>Masks.</b> {@code attnMask} is additive, as PyTorch's float masks are: 0 where a query
 * may attend to a key, {@code -Infinity} where it may not (any finite value biases the score).
 * It must broadcast to {@code [..., L, S]}. {@code isCausal} forbids key j for query i when
 * {@code j > i} (the upper-left aligned triangle, as PyTorch builds it, also for {@code L != S});
 * it cannot be combined with an explicit mask (PyTorch refuses that too).
 *
 * <p><b>Fully masked rows.</b> A query row whose every key is masked has no probability mass:
 * like PyTorch's math implementation its softmax is 0/0, so that output row is NaN, and the NaN
 * reaches the gradients of every element the row touches (all of v through the product). Mask so
 * that each query sees at least one key (a causal mask always lets query i see key 0).
 *
 * <p>One op with its own backward and tangent rules ({@code AttentionOps.ScaledDotProduct} in
 * nn-core, dropout included) when q, k and v share their batch dimensions; it keeps the
 * {@code [..., L, S]} weights for the backward pass: memory O(L·S) per head. With batch
 * broadcasting or a mask that needs a gradient it is composed of autograd ops (matmul, add,
 * softmax, mul) with the same values. Streaming over S (flash-attention style) is a later step.
 *
 * <pre>{@code
 * jshell> var q = Tensor.randn(new SplittableRandom(0), 2, 4, 5, 8)   // [N, heads, L, E]
 * jshell> Attention.scaledDotProductAttention(q, q, q, null, true).shape()
 * $2 ==> int[4] { 2, 4, 5, 8 }
 * jshell> Attention.causalMask(2, 3).toArray()
 * $3 ==> float[6] { 0.0, -Infinity, -Infinity, 0.0, 0.0, -Infinity }
 * }</pre>
 */
public final class Attention {

    private static final String OP = "scaledDotProductAttention";

    private Attention() {}

    /**
     * Attention without a mask or dropout.
     *
     * @param q queries {@code [..., L, E]}
     * @param k keys {@code [..., S, E]}
     * @param v values {@code [..., S, Ev]}
     * @return {@code [..., L, Ev]}
     * @throws IllegalArgumentException if the shapes do not fit (see the class notes)
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v) {
        return scaledDotProductAttention(q, k, v, null, 0f, false, null);
    }

    /**
     * Attention with an optional additive mask or the causal mask, without dropout.
     *
     * @param q queries {@code [..., L, E]}
     * @param k keys {@code [..., S, E]}
     * @param v values {@code [..., S, Ev]}
     * @param attnMask additive mask broadcastable to {@code [..., L, S]}, or null
     * @param isCausal true to forbid key j for query i when {@code j > i}
     * @return {@code [..., L, Ev]}
     * @throws IllegalArgumentException if the shapes do not fit, or a mask is given with {@code isCausal}
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal) {
        return scaledDotProductAttention(q, k, v, attnMask, 0f, isCausal, null);
    }

    /**
     * Attention in PyTorch's argument order. Dropout, when {@code dropoutP > 0}, zeroes attention
     * probabilities with probability p and scales the rest by 1/(1−p); as in PyTorch it applies
     * whenever p is positive, so pass 0 in evaluation.
     *
     * @param q queries {@code [..., L, E]}
     * @param k keys {@code [..., S, E]}
     * @param v values {@code [..., S, Ev]}
     * @param attnMask additive mask broadcastable to {@code [..., L, S]}, or null
     * @param dropoutP dropout probability on the attention weights, in [0, 1]
     * @param isCausal true to forbid key j for query i when {@code j > i}
     * @param rng source of the dropout mask; may be null when {@code dropoutP} is 0
     * @return {@code [..., L, Ev]}
     * @throws IllegalArgumentException if the shapes do not fit, a mask is given with
     *         {@code isCausal}, p is outside [0, 1] or p is positive without a generator
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, float dropoutP,
                                                   boolean isCausal, RandomGenerator rng) {
        return attend(q, k, v, attnMask, dropoutP, isCausal, rng, false)[0];
    }

    /**
     * The causal mask {@code [l, s]}: 0 where {@code j <= i}, {@code -Infinity} where {@code j > i};
     * like {@code nn.Transformer.generate_square_subsequent_mask} for {@code l == s}.
     *
     * @param l number of queries, positive
     * @param s number of keys, positive
     * @return a new mask {@code [l, s]}, not requiring grad
     * @throws IllegalArgumentException if a size is not positive
     */
    public static Tensor causalMask(int l, int s) {
        if (l <= 0 || s <= 0) throw new IllegalArgumentException("causalMask: sizes must be positive, got " + l + "×" + s);
        float[] m = new float[l * s];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < s; j++) m[i * s + j] = Float.NEGATIVE_INFINITY;
        }
        return Tensor.of(m, l, s);
    }

    /**
     * {output, attention weights after dropout (null unless {@code withWeights})}: the weights for
     * {@link MultiheadAttention}. Unless the weights are asked for or a mask wants a gradient, and
     * with q, k and v of the same batch dimensions, it runs as one op
     * ({@link AttentionOps.ScaledDotProduct}, the same values); otherwise as a composition of ops.
     */
    static Tensor[] attend(Tensor q, Tensor k, Tensor v, Tensor attnMask, float dropoutP, boolean isCausal,
                           RandomGenerator rng, boolean withWeights) {
        if (q == null || k == null || v == null) throw new IllegalArgumentException(OP + ": q, k and v must not be null");
        if (q.rank() < 2 || k.rank() < 2 || v.rank() < 2) {
            throw new IllegalArgumentException(OP + ": q, k and v need at least 2 dimensions [..., L, E], got "
                    + shapes(q, k, v));
        }
        int e = q.size(-1);
        if (k.size(-1) != e) {
            throw new IllegalArgumentException(OP + ": q and k must share the embedding size E (last dim), got "
                    + shapes(q, k, v));
        }
        if (k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException(OP + ": k and v must share the source length S (dim -2), got "
                    + shapes(q, k, v));
        }
        if (!(dropoutP >= 0f && dropoutP <= 1f)) {
            throw new IllegalArgumentException(OP + ": dropout probability must be in [0, 1], got " + dropoutP);
        }
        if (dropoutP > 0f && rng == null) {
            throw new IllegalArgumentException(OP + ": dropout probability " + dropoutP + " needs a random generator");
        }
        if (isCausal && attnMask != null) {
            throw new IllegalArgumentException(OP + ": an explicit attnMask cannot be combined with isCausal");
        }
        int l = q.size(-2), s = k.size(-2);
        if (!isCausal && attnMask != null) {
            int[] scoresShape = Arrays.copyOf(q.shape(), q.rank());
            scoresShape[q.rank() - 1] = s;
            checkMask(attnMask, scoresShape, q, k, v);
        }
        Tensor mask = isCausal ? causalMask(l, s) : attnMask;
        if (!withWeights && (mask == null || !mask.isRequiresGrad()) && sameBatch(q, k, v)) {
            AttentionOps.ScaledDotProduct op = new AttentionOps.ScaledDotProduct(e, dropoutP > 0f ? dropoutMask(q, s, dropoutP, rng) : null);
            return new Tensor[] {mask == null ? Autograd.apply(op, q, k, v) : Autograd.apply(op, q, k, v, mask), null};
        }
        // q / √E first (as PyTorch's math path does): L·E divisions instead of L·S
        Tensor scores = q.div((float) Math.sqrt(e)).matmul(k.transpose(-2, -1));
        if (mask != null) scores = scores.add(mask);
        Tensor weights = scores.softmax(-1);
        if (dropoutP > 0f) weights = weights.mul(Tensor.of(dropoutMask(q, s, dropoutP, rng), weights.shape()));
        return new Tensor[] {weights.matmul(v), weights};
    }

    /**
     * The dropout mask of the weights [..., L, S] (q's batch dimensions): each weight kept with
     * probability 1 − p and scaled by 1/(1 − p), else 0, drawn in row-major order from {@code rng}
     * (so the fused op and the composition draw the same mask).
     */
    private static float[] dropoutMask(Tensor q, int s, float p, RandomGenerator rng) {
        float[] kept = new float[q.numel() / Math.max(1, q.size(-1)) * s];
        float keep = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < kept.length; i++) kept[i] = rng.nextFloat() >= p ? keep : 0f;
        return kept;
    }

    /** Whether q, k and v have the same batch dimensions (all but the last two). */
    private static boolean sameBatch(Tensor q, Tensor k, Tensor v) {
        int[] a = q.shape(), b = k.shape(), c = v.shape();
        if (a.length != b.length || a.length != c.length) return false;
        for (int i = 0; i < a.length - 2; i++) if (a[i] != b[i] || a[i] != c[i]) return false;
        return true;
    }

    /** The mask must broadcast to the scores' shape without enlarging it. */
    private static void checkMask(Tensor mask, int[] scores, Tensor q, Tensor k, Tensor v) {
        int[] m = mask.shape();
        boolean ok = m.length <= scores.length;
        for (int i = 1; ok && i <= m.length; i++) {
            int a = m[m.length - i], b = scores[scores.length - i];
            ok = a == b || a == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(OP + ": attnMask of shape " + Arrays.toString(m)
                    + " does not broadcast to the scores " + Arrays.toString(scores) + " [..., L, S] of " + shapes(q, k, v));
        }
    }

    private static String shapes(Tensor q, Tensor k, Tensor v) {
        return "q " + Arrays.toString(q.shape()) + ", k " + Arrays.toString(k.shape()) + ", v " + Arrays.toString(v.shape());
    }
}
