package org.jgrad.core.ops;

import java.util.Arrays;
import org.jgrad.core.kernels.Strided;

/**
 * Ops that move elements without computing on them: reshape, permute, expand, narrow, cat,
 * index_select, gather. Each backward moves the gradient back the same way (and sums where the
 * forward copied an element more than once).
 */
public final class ShapeOps {

    private ShapeOps() {}

    /**
     * A copy of {@code x} with its dimensions reordered: output dim i is input dim {@code perm[i]}.
     *
     * @param x the input
     * @param perm a permutation of the dimensions
     * @return a new array
     */
    public static FloatArray permute(FloatArray x, int[] perm) {
        int rank = x.rank();
        if (perm.length != rank) {
            throw new IllegalArgumentException("permute: got " + perm.length + " dims " + Arrays.toString(perm)
                    + " for a tensor of rank " + rank);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shapes.dim("permute", perm[i], x.shape);
            if (seen[p[i]]) throw new IllegalArgumentException("permute: dim " + p[i] + " repeats in " + Arrays.toString(perm));
            seen[p[i]] = true;
        }
        int[] inStrides = Strided.contiguousStrides(x.shape);
        int[] shape = new int[rank], src = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = x.shape[p[i]];
            src[i] = inStrides[p[i]];
        }
        FloatArray out = FloatArray.zeros(shape);
        Strided.copy(shape, x.data, 0, src, out.data, 0, Strided.contiguousStrides(shape), false);
        return out;
    }

    /**
     * The permutation that swaps two dims.
     *
     * @param rank number of dimensions
     * @param d0 first dimension
     * @param d1 second dimension
     * @return the identity permutation with {@code d0} and {@code d1} swapped
     */
    public static int[] swap(int rank, int d0, int d1) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        p[d0] = d1;
        p[d1] = d0;
        return p;
    }

    static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }

    /** Copies {@code src} into the slab of {@code dst} starting at {@code start} along {@code dim}. */
    static void copyInto(FloatArray src, FloatArray dst, int dim, int start, boolean accumulate) {
        int[] dstStrides = Strided.contiguousStrides(dst.shape);
        int off = start * dstStrides[dim];
        Strided.copy(src.shape, src.data, 0, Strided.contiguousStrides(src.shape), dst.data, off, dstStrides, accumulate);
    }

    /**
     * The slab of {@code x} of {@code length} items from {@code start} along {@code dim}.
     *
     * @param x the input
     * @param dim dimension to cut (negative counts from the end)
     * @param start first index kept
     * @param length number of indices kept
     * @return a new array
     */
    public static FloatArray narrow(FloatArray x, int dim, int start, int length) {
        int d = Shapes.dim("narrow", dim, x.shape);
        int size = x.rank() == 0 ? 1 : x.shape[d];
        if (start < 0 || length < 0 || start + length > size) {
            throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") is out of bounds for dim "
                    + d + " of size " + size + " (shape " + Shapes.str(x.shape) + ")");
        }
        int[] shape = x.shape();
        shape[d] = length;
        FloatArray out = FloatArray.zeros(shape);
        int[] strides = Strided.contiguousStrides(x.shape);
        Strided.copy(shape, x.data, start * strides[d], strides, out.data, 0, Strided.contiguousStrides(shape), false);
        return out;
    }

    /** Reads an index array: integral values in [0, size), else a clear error. */
    static int index(String op, float v, int size, int dim) {
        if (v != Math.rint(v)) throw new IllegalArgumentException(op + ": index " + v + " is not an integer");
        if (v < 0 || v >= size) {
            throw new IllegalArgumentException(op + ": index " + Shapes.str(v) + " is out of range for dim " + dim + " of size " + size);
        }
        return (int) v;
    }

    // ---- differentiable ops ----

    /** Same storage, new shape. */
    public static final class Reshape extends Op {
        private final int[] shape;
        private int[] inShape;

        /**
         * A reshape to {@code shape}.
         *
         * @param shape new dimensions; at most one -1
         */
        public Reshape(int[] shape) {
            this.shape = shape.clone();
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            inShape = in[0].shape;
            return in[0].reshape(shape);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {g.reshape(inShape)};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /** Reorders dimensions (copies). */
    public static final class Permute extends Op {
        private final int[] perm;

        /**
         * A permutation: output dim i is input dim {@code perm[i]}.
         *
         * @param perm a permutation of the dimensions
         */
        public Permute(int[] perm) {
            this.perm = perm.clone();
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            return permute(in[0], perm);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            int[] p = new int[perm.length];
            for (int i = 0; i < p.length; i++) p[i] = Shapes.dim("permute", perm[i], g.shape);
            return new FloatArray[] {permute(g, inverse(p))};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /** Broadcasts to a shape; the engine sums the gradient back to the input's shape. */
    public static final class Expand extends Op {
        private final int[] shape;

        /**
         * A broadcast to {@code shape}.
         *
         * @param shape the target shape
         */
        public Expand(int[] shape) {
            this.shape = shape.clone();
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            return BinaryOps.expand(in[0], shape);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            return new FloatArray[] {g};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /** A slab along one dimension (copies). */
    public static final class Narrow extends Op {
        private final int dim, start, length;
        private int[] inShape;

        /**
         * The slab of {@code length} items from {@code start} along {@code dim}.
         *
         * @param dim dimension to cut (negative counts from the end)
         * @param start first index kept
         * @param length number of indices kept
         */
        public Narrow(int dim, int start, int length) {
            this.dim = dim;
            this.start = start;
            this.length = length;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            inShape = in[0].shape;
            return narrow(in[0], dim, start, length);
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray gx = FloatArray.zeros(inShape);
            copyInto(g, gx, Shapes.dim("narrow", dim, inShape), start, false);
            return new FloatArray[] {gx};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /** Joins arrays along an existing dim; all other dims must match. */
    public static final class Cat extends Op {
        private final int dim;
        private int d;
        private int[] sizes;

        /**
         * A join along {@code dim}.
         *
         * @param dim dimension to join along (negative counts from the end)
         */
        public Cat(int dim) {
            this.dim = dim;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            if (in.length == 0) throw new IllegalArgumentException("cat: expected at least one tensor");
            int rank = in[0].rank();
            if (rank == 0) {
                throw new IllegalArgumentException("cat: zero-dimensional tensors cannot be concatenated (tensor 0 has shape []);"
                        + " use stack to join scalars");
            }
            d = Shapes.dim("cat", dim, in[0].shape);
            sizes = new int[in.length];
            int[] shape = in[0].shape();
            int total = 0;
            for (int i = 0; i < in.length; i++) {
                int[] s = in[i].shape;
                boolean ok = s.length == rank;
                for (int k = 0; ok && k < rank; k++) ok = k == d || s[k] == shape[k];
                if (!ok) {
                    throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shapes.str(s) + " but tensor 0 has "
                            + Shapes.str(in[0].shape) + " (only dim " + d + " may differ)");
                }
                sizes[i] = s[d];
                total += s[d];
            }
            shape[d] = total;
            FloatArray out = FloatArray.zeros(shape);
            int start = 0;
            for (FloatArray a : in) {
                copyInto(a, out, d, start, false);
                start += a.shape[d];
            }
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray[] gs = new FloatArray[sizes.length];
            int start = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (needsGrad(i)) gs[i] = narrow(g, d, start, sizes[i]);
                start += sizes[i];
            }
            return gs;
        }

        /** Linear in every input: the tangents joined, zeros for an input that does not move. */
        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            FloatArray[] parts = new FloatArray[t.length];
            for (int i = 0; i < t.length; i++) {
                if (t[i] != null) {
                    parts[i] = t[i];
                } else {
                    int[] shape = y.shape();
                    shape[d] = sizes[i];
                    parts[i] = FloatArray.zeros(shape);
                }
            }
            return forward(parts);
        }
    }

    /** Picks the slabs listed in {@code index} along {@code dim}; backward adds them back. */
    public static final class IndexSelect extends Op {
        private final int dim;
        private final int[] index;
        private int d;
        private int[] inShape;

        /**
         * Selects the slabs at {@code index} along {@code dim}.
         *
         * @param dim dimension to select along (negative counts from the end)
         * @param index positions along {@code dim}
         */
        public IndexSelect(int dim, int[] index) {
            this.dim = dim;
            this.index = index.clone();
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            FloatArray x = in[0];
            d = Shapes.dim("indexSelect", dim, x.shape);
            inShape = x.shape;
            for (int i : index) ShapeOps.index("indexSelect", i, x.shape[d], d);
            int[] shape = x.shape();
            shape[d] = index.length;
            FloatArray out = FloatArray.zeros(shape);
            for (int i = 0; i < index.length; i++) copyInto(narrow(x, d, index[i], 1), out, d, i, false);
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray gx = FloatArray.zeros(inShape);
            for (int i = 0; i < index.length; i++) copyInto(narrow(g, d, i, 1), gx, d, index[i], true);
            return new FloatArray[] {gx};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }

    /**
     * out[i][j] = x[i][index[i][j]] (for dim 1; likewise for any dim): the index has the output's
     * shape and the input's rank; other dims of the index may not exceed the input's.
     */
    public static final class Gather extends Op {
        private final int dim;
        private final FloatArray index;
        private int d;
        private int[] inShape;
        private int[] offsets;

        /**
         * Gathers along {@code dim} at {@code index}, as torch.gather.
         *
         * @param dim dimension to gather along (negative counts from the end)
         * @param index integer positions, of the input's rank
         */
        public Gather(int dim, FloatArray index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        public FloatArray forward(FloatArray... in) {
            FloatArray x = in[0];
            d = Shapes.dim("gather", dim, x.shape);
            inShape = x.shape;
            if (index.rank() != x.rank()) {
                throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape)
                        + " must have the same rank as the input " + Shapes.str(x.shape));
            }
            for (int k = 0; k < x.rank(); k++) {
                if (k != d && index.shape[k] > x.shape[k]) {
                    throw new IllegalArgumentException("gather: index shape " + Shapes.str(index.shape)
                            + " exceeds input shape " + Shapes.str(x.shape) + " at dim " + k);
                }
            }
            int[] xs = Strided.contiguousStrides(x.shape);
            int[] is = Strided.contiguousStrides(index.shape);
            offsets = new int[index.size()];
            FloatArray out = FloatArray.zeros(index.shape);
            for (int flat = 0; flat < offsets.length; flat++) {
                int rem = flat, off = 0;
                for (int k = 0; k < is.length; k++) {
                    int c = rem / is[k];
                    rem %= is[k];
                    off += (k == d ? index("gather", index.data[flat], x.shape[d], d) : c) * xs[k];
                }
                offsets[flat] = off;
                out.data[flat] = x.data[off];
            }
            return out;
        }

        @Override
        public FloatArray[] backward(FloatArray g) {
            FloatArray gx = FloatArray.zeros(inShape);
            for (int i = 0; i < offsets.length; i++) gx.data[offsets[i]] += g.data[i];
            return new FloatArray[] {gx};
        }

        @Override
        public FloatArray tangent(FloatArray y, FloatArray... t) {
            return linearTangent(t);
        }
    }
}
