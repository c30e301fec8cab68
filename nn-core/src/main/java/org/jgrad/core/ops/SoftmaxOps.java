package org.jgrad.core.ops;

import org.jgrad.core.kernels.Loops;
import org.jgrad.core.kernels.Elementwise;

/**
 * softmax, logSoftmax and logSumExp along one dim, all with the row maximum subtracted before
 * exponentiating, so no input overflows: softmax([20, 134, 854]) is [0, 0, 1], not NaN. Rows
 * along the last dim are computed in place by row kernels; another dim is moved last first.
 */
public final class SoftmaxOps {

    private SoftmaxOps() {}

    private enum Kind { SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP }

    /** Rows per parallel chunk: a function of the row length only. */
    private static int grain(int len) {
        return Math.max(1, (1 << 14) / Math.max(1, len));
    }

    private static FloatArray rows(Kind kind, FloatArray x, int dim) {
        String op = switch (kind) {
            case SOFTMAX -> "softmax";
            case LOG_SOFTMAX -> "logSoftmax";
            case LOG_SUM_EXP -> "logSumExp";
        };
        int rank = x.rank();
        int d = Shapes.dim(op, dim, x.shape);
        if (rank == 0) return rows(kind, x.reshape(1), 0).reshape(kind == Kind.LOG_SUM_EXP ? new int[] {1} : new int[0]);
        int last = rank - 1;
        FloatArray moved = d == last ? x : ShapeOps.permute(x, ShapeOps.swap(rank, d, last));
        int len = moved.shape[last], count = len == 0 ? 0 : moved.size() / len;
        float[] in = moved.data;
        int[] outShape = moved.shape();
        if (kind == Kind.LOG_SUM_EXP) outShape[last] = 1;
        FloatArray out = FloatArray.empty(outShape);
        float[] o = out.data;
        Loops.forRange(count, grain(len), (from, to) -> {
            float[] tmp = kind == Kind.LOG_SUM_EXP ? new float[len] : null;
            for (int r = from; r < to; r++) {
                int base = r * len;
                float max = Elementwise.max(in, base, len);
                // a row of -Inf has no mass anywhere: shift by 0 so the result is -Inf/NaN like PyTorch, not a crash
                float shift = Float.isInfinite(max) ? 0f : max;
                switch (kind) {
                    case SOFTMAX -> {
                        float sum = Elementwise.expShiftSum(in, base, shift, o, base, len);
                        Elementwise.divScalar(o, base, sum, o, base, len);
                    }
                    case LOG_SOFTMAX -> {
                        float sum = Elementwise.expShiftSum(in, base, shift, o, base, len);
                        // (x − max) − log Σ: subtracting max first is exact for large logits
                        Elementwise.addScalar(in, base, -shift, o, base, len);
                        Elementwise.addScalar(o, base, -(float) Math.log(sum), o, base, len);
                    }
                    case LOG_SUM_EXP -> {
                        float sum = Elementwise.expShiftSum(in, base, shift, tmp, 0, len);
                        o[r] = shift + (float) Math.log(sum);
                    }
                }
            }
        });
        return d == last ? out : ShapeOps.permute(out, ShapeOps.swap(rank, d, last));
    }

    /**
     * Softmax along {@code dim}, outside autograd.
     *
     * @param x the input
     * @param dim dimension to normalise over
     * @return a new array of {@code x}'s shape
     */
    public static FloatArray softmax(FloatArray x, int dim) {
        return rows(Kind.SOFTMAX, x, dim);
    }

    /**
     * Log-softmax along {@code dim}, outside autograd.
     *
     * @param x the input
     * @param dim dimension to normalise over
     * @return a new array of {@code x}'s shape
     */
    public static FloatArray logSoftmax(FloatArray x, int dim) {
        return rows(Kind.LOG_SOFTMAX, x, dim);
    }

    /**
     * log Σ e^x along dim, keeping it with size 1.
     *
     * @param x the input
     * @param dim dimension to reduce
     * @return a new array with size 1 along {@code dim}
     */
    public static FloatArray logSumExp(FloatArray x, int dim) {
        return rows(Kind.LOG_SUM_EXP, x, dim);
    }

    /**
     * y ⊙ (g − Σ_dim g ⊙ y): the softmax's Jacobian (symmetric) at output y applied to g — its
     * backward for a gradient, its forward-mode rule for a tangent.
     */
    static FloatArray slope(FloatArray y, FloatArray g, int dim) {
        FloatArray dot = ReduceOps.sum(BinaryOps.mul(g, y), new int[] {dim}, true);
        return BinaryOps.mul(y, BinaryOps.sub(g, dot));
    }

    // ---- differentiable ops ----

    /** dx = y ⊙ (g − Σ_dim g⊙y). */
    public static final class Softmax extends Op {
        private final int dim;
        private FloatArray out;

        /**
         * The softmax op along {@code dim}.
         *
         * @param dim dimension to normalise over (negative counts from the end)
         */
        public Softmax(int dim) {
            this.dim = dim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            out = softmax(in[0], dim);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {slope(out, g, Shapes.dim("softmax", dim, out.shape))};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return symmetricTangent(t);
        }
    }

    /** dx = g − softmax(x) ⊙ Σ_dim g. */
    public static final class LogSoftmax extends Op {
        private final int dim;
        private FloatArray out;

        /**
         * The log-softmax op along {@code dim}.
         *
         * @param dim dimension to normalise over (negative counts from the end)
         */
        public LogSoftmax(int dim) {
            this.dim = dim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            out = logSoftmax(in[0], dim);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            int d = Shapes.dim("logSoftmax", dim, out.shape);
            FloatArray p = UnaryOps.map(out, Elementwise::exp);
            FloatArray gsum = ReduceOps.sum(g, new int[] {d}, true);
            return new FloatArray[] {BinaryOps.sub(g, BinaryOps.mul(p, gsum))};
        }

        /** t − Σ_dim softmax(x) ⊙ t. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            if (t[0] == null) return null;
            int d = Shapes.dim("logSoftmax", dim, out.shape);
            FloatArray p = UnaryOps.map(out, Elementwise::exp);
            return BinaryOps.sub(t[0], ReduceOps.sum(BinaryOps.mul(p, t[0]), new int[] {d}, true));
        }
    }

    /** dx = g ⊙ softmax(x). */
    public static final class LogSumExp extends Op {
        private final int dim;
        private final boolean keepDim;
        private FloatArray x, kept;

        /**
         * The log-sum-exp op along {@code dim}.
         *
         * @param dim dimension to reduce (negative counts from the end)
         * @param keepDim true to keep {@code dim} with size 1
         */
        public LogSumExp(int dim, boolean keepDim) {
            this.dim = dim;
            this.keepDim = keepDim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            kept = logSumExp(x, dim);
            if (keepDim || x.rank() == 0) return kept.reshape(x.rank() == 0 ? new int[0] : kept.shape);
            int d = Shapes.dim("logSumExp", dim, x.shape);
            return kept.reshape(Shapes.reduced(x.shape, new int[] {d}, false));
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            if (x.rank() == 0) return new FloatArray[] {g};
            FloatArray p = UnaryOps.map(BinaryOps.sub(x, kept), Elementwise::exp);
            return new FloatArray[] {BinaryOps.mul(p, g.reshape(kept.shape))};
        }

        /** Σ_dim softmax(x) ⊙ t. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            if (t[0] == null) return null;
            if (x.rank() == 0) return t[0];
            int d = Shapes.dim("logSumExp", dim, x.shape);
            FloatArray p = UnaryOps.map(BinaryOps.sub(x, kept), Elementwise::exp);
            return ReduceOps.sum(BinaryOps.mul(p, t[0]), new int[] {d}, true).reshape(y.shape);
        }
    }
}
