package org.jgrad.core.ops;

import static org.jgrad.core.ops.BinaryOps.add;
import static org.jgrad.core.ops.BinaryOps.div;
import static org.jgrad.core.ops.BinaryOps.mul;

/** Scaled dot-product attention as one op, its three rules side by side. */
public final class AttentionOps {

    private AttentionOps() {}

    /**
     * {@code O = softmax(q/√E · kᵀ + mask) · v} for {@code q [*, L, E]}, {@code k [*, S, E]},
     * {@code v [*, S, Ev]} with the same batch dimensions {@code *}, and an optional additive mask
     * that broadcasts to the scores {@code [*, L, S]} (−∞ where attention is not allowed; a mask is a
     * constant here: it gets no gradient). The same arithmetic as the composition of ops (q divided
     * by √E first, as PyTorch's math path; a stable softmax over S; a fully masked row is NaN), so the
     * same values, but one node in the graph that keeps only q/√E, k, v and the weights P. Dropout,
     * when given, is a fixed mask D of 0 and 1/(1 − p) on the weights (drawn by the caller), so
     * {@code O = (P ⊙ D)·v}:
     * <pre>
     *   backward:  dV = (P⊙D)ᵀ·g,  dP = (g·vᵀ) ⊙ D,  dS = P ⊙ (dP − Σ_S dP ⊙ P),  dq = dS·k / √E,  dk = dSᵀ·(q/√E)
     *   tangent:   tS = (tq/√E)·kᵀ + (q/√E)·tkᵀ (+ t_mask),  tP = P ⊙ (tS − Σ_S tS ⊙ P),  tO = (tP⊙D)·v + (P⊙D)·tv
     * </pre>
     * Memory: the weights, O(L·S) per batch index and head, as the composed form.
     */
    public static final class ScaledDotProduct extends Op {
        private final float sqrtE;
        private final FloatArray dropout;
        private FloatArray qs, k, v, weights, dropped;

        /**
         * One application of the op, without dropout.
         *
         * @param embed E, the last dimension of q and k (the scale is 1/√E)
         */
        public ScaledDotProduct(int embed) {
            this(embed, null);
        }

        /**
         * One application of the op with a dropout mask on the weights.
         *
         * @param embed E, the last dimension of q and k (the scale is 1/√E)
         * @param dropout the mask {@code [*, L, S]} of the weights' shape (0 for a dropped weight,
         *                1/(1 − p) for a kept one), or null for none
         */
        public ScaledDotProduct(int embed, float[] dropout) {
            this.sqrtE = (float) Math.sqrt(embed);
            this.dropout = dropout == null ? null : new FloatArray(dropout, dropout.length);
        }

        /** Inputs q, k, v and optionally the additive mask. */
        @Override
        public FloatArray forward(FloatArray... in) {
            qs = div(in[0], FloatArray.scalar(sqrtE));
            k = in[1];
            v = in[2];
            FloatArray scores = MatmulOps.batched(qs, false, k, true, "scaledDotProductAttention");
            if (in.length > 3 && in[3] != null) scores = add(scores, in[3]);
            weights = SoftmaxOps.softmax(scores, -1);
            dropped = dropout == null ? weights : mul(weights, dropout.reshape(weights.shape));
            return MatmulOps.batched(dropped, false, v, false, "scaledDotProductAttention");
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray dv = MatmulOps.batched(dropped, true, g, false, "scaledDotProductAttention");
            FloatArray ds = softmaxSlope(dropOut(MatmulOps.batched(g, false, v, true, "scaledDotProductAttention")));
            FloatArray dq = div(MatmulOps.batched(ds, false, k, false, "scaledDotProductAttention"), FloatArray.scalar(sqrtE));
            FloatArray dk = MatmulOps.batched(ds, true, qs, false, "scaledDotProductAttention");
            return new FloatArray[] {dq, dk, dv, null};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            FloatArray ts = null;
            if (t[0] != null) ts = MatmulOps.batched(div(t[0], FloatArray.scalar(sqrtE)), false, k, true, "scaledDotProductAttention");
            if (t[1] != null) ts = sum(ts, MatmulOps.batched(qs, false, t[1], true, "scaledDotProductAttention"));
            if (t.length > 3 && t[3] != null) ts = ts == null ? BinaryOps.expand(t[3], weights.shape) : add(ts, t[3]);
            FloatArray out = null;
            if (ts != null) out = MatmulOps.batched(dropOut(softmaxSlope(ts)), false, v, false, "scaledDotProductAttention");
            if (t[2] != null) out = sum(out, MatmulOps.batched(dropped, false, t[2], false, "scaledDotProductAttention"));
            return out;
        }

        /** x ⊙ D, or x without dropout. */
        private FloatArray dropOut(FloatArray x) {
            return dropout == null ? x : mul(x, dropout.reshape(x.shape));
        }

        /** P ⊙ (x − Σ_S x ⊙ P): the softmax's Jacobian applied to x, for g and for a tangent alike. */
        private FloatArray softmaxSlope(FloatArray x) {
            return SoftmaxOps.slope(weights, x, weights.rank() - 1);
        }

        private static FloatArray sum(FloatArray a, FloatArray b) {
            return a == null ? b : add(a, b);
        }
    }
}
