package org.jgrad.core.ops;

import org.jgrad.core.kernels.Loops;
import org.jgrad.core.kernels.Gemm;

/**
 * Matrix products through the GEMM kernel: [..., m, k] @ [..., k, n] → [..., m, n] with the
 * leading (batch) dims broadcast. The 1-D cases of PyTorch's matmul are reshapes around this,
 * done by the caller. Backward reads the operands transposed in place — no transpose is built.
 */
public final class MatmulOps {

    private MatmulOps() {}

    /** {@code C[b] = op(A[b]) · op(B[b])} for every batch index of the broadcast batch shape. */
    static FloatArray batched(FloatArray a, boolean transA, FloatArray b, boolean transB, String what) {
        int ra = a.rank(), rb = b.rank();
        int m = transA ? a.shape[ra - 1] : a.shape[ra - 2], ka = transA ? a.shape[ra - 2] : a.shape[ra - 1];
        int kb = transB ? b.shape[rb - 1] : b.shape[rb - 2], n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
        if (ka != kb) {
            throw new IllegalArgumentException(what + ": " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        int[] batchA = java.util.Arrays.copyOf(a.shape, ra - 2), batchB = java.util.Arrays.copyOf(b.shape, rb - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast(what, batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + ": batch dimensions " + Shapes.str(batchA) + " and " + Shapes.str(batchB) + " cannot be broadcast");
        }
        int[] shape = java.util.Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        FloatArray out = FloatArray.empty(shape);                    // beta = 0: the GEMM overwrites it
        int batches = Shapes.numel(batch);
        if (out.size() == 0) return out;
        int[] sa = Shapes.broadcastStrides(batchA, batch), sb = Shapes.broadcastStrides(batchB, batch);
        int matA = a.shape[ra - 2] * a.shape[ra - 1], matB = b.shape[rb - 2] * b.shape[rb - 1];
        int lda = a.shape[ra - 1], ldb = b.shape[rb - 1];
        int k = ka;
        // small products share a chunk; a big one forks inside the GEMM instead
        int grain = Math.max(1, (1 << 18) / Math.max(1, m * n * Math.max(k, 1)));
        Loops.forRange(batches, grain, (from, to) -> {
            for (int bi = from; bi < to; bi++) {
                int offA = 0, offB = 0, rem = bi;
                for (int d = batch.length - 1; d >= 0; d--) {
                    int c = rem % batch[d];
                    rem /= batch[d];
                    offA += c * sa[d];
                    offB += c * sb[d];
                }
                Gemm.sgemm(transA, transB, m, n, k, 1f, a.data, offA * matA, lda, b.data, offB * matB, ldb,
                        0f, out.data, bi * m * n, n);
            }
        });
        return out;
    }

    /** Both operands at least 2-D. dA = g·Bᵀ, dB = Aᵀ·g (batch broadcasting undone by the engine). */
    public static final class MatMul extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public MatMul() {}

        private FloatArray a, b;

        @Override
        public FloatArray forward(FloatArray... in) {
            a = in[0];
            b = in[1];
            if (a.rank() < 2 || b.rank() < 2) {
                throw new IllegalArgumentException("matmul: expected operands of rank >= 2 here, got "
                        + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
            }
            return batched(a, false, b, false, "matmul");
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray ga = needsGrad(0) ? batched(g, false, b, true, "matmul backward") : null;
            FloatArray gb = needsGrad(1) ? batched(a, true, g, false, "matmul backward") : null;
            return new FloatArray[] {ga, gb};
        }

        /** Bilinear: tA·B + A·tB. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            FloatArray da = t[0] == null ? null : batched(t[0], false, b, false, "matmul tangent");
            FloatArray db = t[1] == null ? null : batched(a, false, t[1], false, "matmul tangent");
            return da == null ? db : db == null ? da : BinaryOps.add(da, db);
        }
    }

    /**
     * y = x·Wᵀ + b for x [..., in], W [out, in], b [out] or absent — a dense layer in one GEMM that
     * reads W transposed in place. dx = g·W, dW = gᵀ·x, db = Σ_rows g.
     */
    public static final class Linear extends Op {
        /** One application of the op; the engine makes a fresh one for each. */
        public Linear() {}

        private FloatArray x, w;
        private int rows, in, out;

        @Override
        public FloatArray forward(FloatArray... inputs) {
            x = inputs[0];
            w = inputs[1];
            FloatArray b = inputs.length > 2 ? inputs[2] : null;
            if (w.rank() != 2) throw new IllegalArgumentException("linear: weight must be [out, in], got " + Shapes.str(w.shape));
            out = w.shape[0];
            in = w.shape[1];
            if (x.rank() == 0 || x.shape[x.rank() - 1] != in) {
                throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape) + " @ weight " + Shapes.str(w.shape)
                        + "ᵀ: expected last dimension " + in);
            }
            if (b != null && (b.rank() != 1 || b.shape[0] != out)) {
                throw new IllegalArgumentException("linear: bias must be [" + out + "], got " + Shapes.str(b.shape));
            }
            rows = Shapes.prod(x.shape, 0, x.rank() - 1);            // (not size / in: in may be 0)
            int[] shape = x.shape();
            shape[shape.length - 1] = out;
            FloatArray y = FloatArray.empty(shape);
            if (b != null) for (int r = 0; r < rows; r++) System.arraycopy(b.data, 0, y.data, r * out, out);
            Gemm.sgemm(false, true, rows, out, in, 1f, x.data, 0, in, w.data, 0, in, b == null ? 0f : 1f, y.data, 0, out);
            return y;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray gx = null, gw = null, gb = null;
            if (needsGrad(0)) {
                gx = FloatArray.empty(x.shape);
                Gemm.sgemm(false, false, rows, in, out, 1f, g.data, 0, out, w.data, 0, in, 0f, gx.data, 0, in);
            }
            if (needsGrad(1)) {
                gw = gradArray(1, w.shape);
                Gemm.sgemm(true, false, out, in, rows, 1f, g.data, 0, out, x.data, 0, in, 0f, gw.data, 0, in);
            }
            if (needsGrad(2)) gb = ReduceOps.sum(g.reshape(rows, out), new int[] {0}, false);
            return new FloatArray[] {gx, gw, gb};
        }

        /** Bilinear in (x, W), affine in b: tx·Wᵀ + x·tWᵀ + tb. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            FloatArray sum = null;
            if (t[0] != null) sum = product(t[0], w, 0f, null, y.shape);
            if (t[1] != null) sum = product(x, t[1], sum == null ? 0f : 1f, sum, y.shape);
            if (t.length > 2 && t[2] != null) sum = sum == null ? t[2] : BinaryOps.add(sum, t[2]);
            return sum;
        }

        /** {@code beta·acc + a·bᵀ} for a [rows, in] and b [out, in], into acc (a new array when acc is null). */
        private FloatArray product(FloatArray a, FloatArray b, float beta, FloatArray acc, int[] shape) {
            FloatArray c = acc != null ? acc : FloatArray.empty(shape);
            Gemm.sgemm(false, true, rows, out, in, 1f, a.data, 0, in, b.data, 0, in, beta, c.data, 0, out);
            return c;
        }
    }
}
