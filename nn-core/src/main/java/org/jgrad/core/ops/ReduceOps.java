package org.jgrad.core.ops;

import org.jgrad.core.kernels.Elementwise;

/**
 * Reductions over all or some dimensions: sum, mean, max/min (with their indices), variance.
 * Each reduces one dimension at a time, viewing the array as [outer, len, inner]: rows are
 * reduced with one kernel call when inner = 1, else the len slices are combined elementwise.
 * The order of additions is fixed by the shape alone.
 */
public final class ReduceOps {

    private ReduceOps() {}

    private enum Combine { SUM, MAX, MIN }

    /**
     * Sum over {@code dims} (none: all dims).
     *
     * @param x the input
     * @param dims dimensions to reduce
     * @param keepDim true to keep them with size 1
     * @return a new array
     */
    public static FloatArray sum(FloatArray x, int[] dims, boolean keepDim) {
        return reduce("sum", Combine.SUM, x, dims, keepDim);
    }

    /**
     * Largest element over {@code dims} (NaN if any is NaN).
     *
     * @param x the input
     * @param dims dimensions to reduce
     * @param keepDim true to keep them with size 1
     * @return a new array
     */
    public static FloatArray amax(FloatArray x, int[] dims, boolean keepDim) {
        return reduce("max", Combine.MAX, x, dims, keepDim);
    }

    /**
     * Smallest element over {@code dims} (NaN if any is NaN).
     *
     * @param x the input
     * @param dims dimensions to reduce
     * @param keepDim true to keep them with size 1
     * @return a new array
     */
    public static FloatArray amin(FloatArray x, int[] dims, boolean keepDim) {
        return reduce("min", Combine.MIN, x, dims, keepDim);
    }

    private static FloatArray reduce(String op, Combine c, FloatArray x, int[] dims, boolean keepDim) {
        int[] ds = Shapes.dims(op, dims, x.shape);
        if (c != Combine.SUM && x.size() == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce an empty tensor of shape " + Shapes.str(x.shape));
        }
        FloatArray r = x;
        for (int i = ds.length - 1; i >= 0; i--) r = reduceDim(c, r, ds[i]);
        return r.reshape(Shapes.reduced(x.shape, ds, keepDim));
    }

    /** Reduces one dimension, keeping it with size 1. */
    private static FloatArray reduceDim(Combine c, FloatArray x, int d) {
        int outer = Shapes.prod(x.shape, 0, d), len = x.shape[d], inner = Shapes.prod(x.shape, d + 1, x.rank());
        int[] shape = x.shape();
        shape[d] = 1;
        FloatArray out = FloatArray.zeros(shape);
        float[] a = x.data, o = out.data;
        for (int i = 0; i < outer; i++) {
            if (inner == 1) {
                int base = i * len;
                o[i] = switch (c) {
                    case SUM -> Elementwise.sum(a, base, len);
                    case MAX -> Elementwise.max(a, base, len);
                    case MIN -> Elementwise.min(a, base, len);
                };
            } else {
                int dst = i * inner;
                System.arraycopy(a, i * len * inner, o, dst, len == 0 ? 0 : inner);
                for (int l = 1; l < len; l++) {
                    int src = (i * len + l) * inner;
                    switch (c) {
                        case SUM -> Elementwise.add(o, dst, a, src, o, dst, inner);
                        case MAX -> Elementwise.max(o, dst, a, src, o, dst, inner);
                        case MIN -> Elementwise.min(o, dst, a, src, o, dst, inner);
                    }
                }
            }
        }
        return out;
    }

    /** Number of elements a reduction over {@code dims} combines. */
    static int count(int[] shape, int[] dims) {
        int n = 1;
        for (int d : dims) n *= shape[d];
        return n;
    }

    /**
     * Index of the largest (or smallest) element along {@code dim}; the first one on ties. NaN
     * counts as the largest, as in PyTorch.
     */
    /**
     * Index (0 … n−1) of the largest of {@code a[offset + l·stride]}: the first NaN if there is one,
     * else the first maximum — PyTorch's argmax rule, the one definition {@link #argExtreme},
     * accuracy and confusion matrices share.
     *
     * @param a the values
     * @param offset index of the first value
     * @param n number of values
     * @param stride distance between consecutive values
     * @return the position l of the winner
     */
    public static int argmax(float[] a, int offset, int n, int stride) {
        int best = 0;
        float bv = a[offset];
        for (int l = 1; l < n && bv == bv; l++) {
            float v = a[offset + l * stride];
            if (v != v || v > bv) {
                best = l;
                bv = v;
            }
        }
        return best;
    }

    /**
     * Indices of the largest or smallest elements along {@code dim} (first on ties), as floats.
     *
     * @param x the input
     * @param dim dimension to search (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @param max true for argmax, false for argmin
     * @return a new array of indices
     */
    public static FloatArray argExtreme(FloatArray x, int dim, boolean keepDim, boolean max) {
        String op = max ? "argmax" : "argmin";
        int d = Shapes.dim(op, dim, x.shape);
        if (x.rank() == 0) return FloatArray.scalar(0f);
        int outer = Shapes.prod(x.shape, 0, d), len = x.shape[d], inner = Shapes.prod(x.shape, d + 1, x.rank());
        if (len == 0) throw new IllegalArgumentException(op + ": dimension " + d + " of shape " + Shapes.str(x.shape) + " is empty");
        FloatArray out = FloatArray.zeros(Shapes.reduced(x.shape, new int[] {d}, keepDim));
        for (int i = 0; i < outer; i++) {
            for (int j = 0; j < inner; j++) {
                if (max) {
                    out.data[i * inner + j] = argmax(x.data, i * len * inner + j, len, inner);
                    continue;
                }
                int best = 0;
                float bv = x.data[i * len * inner + j];
                for (int l = 1; l < len && bv == bv; l++) {
                    float v = x.data[(i * len + l) * inner + j];
                    if (v != v || v < bv) {
                        best = l;
                        bv = v;
                    }
                }
                out.data[i * inner + j] = best;
            }
        }
        return out;
    }

    // ---- differentiable ops ----

    /** The sum op. */
    public static final class Sum extends Op {
        private final int[] dims;
        private final boolean keepDim;
        private int[] inShape, keptShape;

        /**
         * Sum over {@code dims} (none: all dims).
         *
         * @param dims dimensions to reduce
         * @param keepDim true to keep them with size 1
         */
        public Sum(int[] dims, boolean keepDim) {
            this.dims = dims;
            this.keepDim = keepDim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            inShape = in[0].shape;
            int[] ds = Shapes.dims("sum", dims, in[0].shape);
            keptShape = Shapes.reduced(inShape, ds, true);
            return sum(in[0], ds, keepDim);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {BinaryOps.expand(g.reshape(keptShape), inShape)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /** The mean op. */
    public static final class Mean extends Op {
        private final int[] dims;
        private final boolean keepDim;
        private int[] inShape, keptShape;
        private int count;

        /**
         * Mean over {@code dims} (none: all dims).
         *
         * @param dims dimensions to reduce
         * @param keepDim true to keep them with size 1
         */
        public Mean(int[] dims, boolean keepDim) {
            this.dims = dims;
            this.keepDim = keepDim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            inShape = in[0].shape;
            int[] ds = Shapes.dims("mean", dims, in[0].shape);
            keptShape = Shapes.reduced(inShape, ds, true);
            count = count(inShape, ds);
            return BinaryOps.mul(sum(in[0], ds, keepDim), 1f / count);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {BinaryOps.expand(BinaryOps.mul(g.reshape(keptShape), 1f / count), inShape)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /**
     * max or min over dims. The gradient is shared evenly among the elements equal to the
     * extreme (PyTorch's amax/amin rule), so ties get a fair, symmetric share.
     */
    public static final class Extreme extends Op {
        private final int[] dims;
        private final boolean keepDim, max;
        private FloatArray x, kept;

        /**
         * Largest or smallest element over {@code dims}; the gradient is shared among ties.
         *
         * @param dims dimensions to reduce
         * @param keepDim true to keep them with size 1
         * @param max true for the maximum, false for the minimum
         */
        public Extreme(int[] dims, boolean keepDim, boolean max) {
            this.dims = dims;
            this.keepDim = keepDim;
            this.max = max;
        }

        @Override
        public String name() {
            return max ? "max" : "min";
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            x = in[0];
            int[] ds = Shapes.dims(name(), dims, x.shape);
            kept = max ? amax(x, ds, true) : amin(x, ds, true);
            return kept.reshape(Shapes.reduced(x.shape, ds, keepDim));
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray mask = BinaryOps.apply(BinaryOps.Kind.EQ, x, kept);
            FloatArray ties = sum(mask, Shapes.dims(name(), dims, x.shape), true);
            FloatArray share = BinaryOps.div(g.reshape(kept.shape), ties);
            return new FloatArray[] {BinaryOps.mul(mask, share)};
        }

        /** The tangent of the extreme element, averaged over ties (the backward's rule). */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            if (t[0] == null) return null;
            int[] ds = Shapes.dims(name(), dims, x.shape);
            FloatArray mask = BinaryOps.apply(BinaryOps.Kind.EQ, x, kept);
            FloatArray ties = sum(mask, ds, true);
            return BinaryOps.div(sum(BinaryOps.mul(mask, t[0]), ds, true), ties).reshape(y.shape);
        }
    }

    /**
     * Variance over dims with Bessel's correction ({@code correction} = 1 is the unbiased
     * estimate, PyTorch's default; 0 the population variance). Two passes: the mean first, then
     * the squared deviations from it — never E[x²] − E[x]², which cancels catastrophically.
     */
    public static final class Var extends Op {
        private final int[] dims;
        private final boolean keepDim;
        private final int correction;
        private FloatArray centered;
        private int[] keptShape;
        private float denom;

        /**
         * Variance over {@code dims}, dividing by n − correction.
         *
         * @param dims dimensions to reduce
         * @param correction subtracted from the element count in the divisor
         * @param keepDim true to keep them with size 1
         */
        public Var(int[] dims, int correction, boolean keepDim) {
            this.dims = dims;
            this.correction = correction;
            this.keepDim = keepDim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            FloatArray x = in[0];
            int[] ds = Shapes.dims("var", dims, x.shape);
            int n = count(x.shape, ds);
            denom = Math.max(0, n - correction);
            keptShape = Shapes.reduced(x.shape, ds, true);
            FloatArray mean = BinaryOps.mul(sum(x, ds, true), 1f / n);
            centered = BinaryOps.sub(x, mean);
            FloatArray ss = sum(BinaryOps.mul(centered, centered), ds, keepDim);
            return BinaryOps.mul(ss, 1f / denom);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            // d var / dx_i = 2 (x_i − mean) / (n − correction); the mean's own term sums to zero
            return new FloatArray[] {BinaryOps.mul(BinaryOps.mul(centered, g.reshape(keptShape)), 2f / denom)};
        }

        /** d var = 2 Σ (x − mean)·t / (n − correction). */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            if (t[0] == null) return null;
            int[] ds = Shapes.dims("var", dims, centered.shape);
            return BinaryOps.mul(sum(BinaryOps.mul(centered, t[0]), ds, true), 2f / denom).reshape(y.shape);
        }
    }
}
