package org.jgrad.core;

import java.util.Arrays;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.ops.BinaryOps;
import org.jgrad.core.ops.BinaryOps.Kind;
import org.jgrad.core.ops.Op;
import org.jgrad.core.ops.MatmulOps;
import org.jgrad.core.ops.FloatArray;
import org.jgrad.core.ops.ReduceOps;
import org.jgrad.core.ops.Shapes;
import org.jgrad.core.ops.ShapeOps;
import org.jgrad.core.ops.SoftmaxOps;
import org.jgrad.core.ops.UnaryOps;

/**
 * A float32 array of any rank (0-d scalars included) with contiguous row-major storage, and
 * optionally a place in an autograd graph. Method names follow PyTorch.
 *
 * <pre>{@code
 * jshell> var x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
 * jshell> var w = Tensor.randn(new SplittableRandom(42), 3, 4).requiresGrad();
 * jshell> var loss = x.matmul(w).relu().sum();
 * jshell> loss.backward();
 * jshell> w.grad().shape()
 * $5 ==> int[2] { 3, 4 }
 * }</pre>
 *
 * <p>Binary ops broadcast like NumPy: shapes are aligned at the right and dimensions of size 1
 * stretch. Ops that need a gradient record themselves (see {@link Autograd}); under
 * {@link GradMode#off()} nothing is recorded.
 */
public final class Tensor {

    final FloatArray value;
    Autograd.Node node;
    private boolean requiresGrad;
    private FloatArray grad;
    /**
     * The array of a gradient that {@link #zeroGrad()} cleared while no other tensor shared it
     * ({@link #grad()} never handed it out): the next backward writes the new gradient into it
     * instead of a fresh array, so a training loop's gradients stay in the same warm memory.
     */
    private FloatArray spareGrad;
    /** Whether a tensor outside this one shares the gradient's array ({@link #grad()}, {@link #setGrad}). */
    private boolean gradShared;

    Tensor(FloatArray value) {
        this.value = value;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor holding a copy of {@code data} with the given shape (1-D when no shape is given). */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape;
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shapes.str(s) + " needs " + Shapes.numel(s)
                    + " values, got " + data.length);
        }
        return new Tensor(new FloatArray(data.clone(), s));
    }

    /** Wraps an array the caller hands over (not copied). */
    public static Tensor wrap(FloatArray value) {
        return new Tensor(value);
    }

    /** A 0-d tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(FloatArray.scalar(value));
    }

    public static Tensor zeros(int... shape) {
        Shapes.allocatable("zeros", shape);
        return new Tensor(FloatArray.zeros(shape));
    }

    public static Tensor ones(int... shape) {
        Shapes.allocatable("ones", shape);
        return new Tensor(FloatArray.full(1f, shape));
    }

    public static Tensor full(float value, int... shape) {
        Shapes.allocatable("full", shape);
        return new Tensor(FloatArray.full(value, shape));
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape());
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape());
    }

    /** 0, 1, …, end − 1. */
    public static Tensor arange(int end) {
        return arange(0f, end, 1f);
    }

    /**
     * start, start + step, … while below {@code end} (above, for a negative step).
     *
     * @throws IllegalArgumentException for a zero or non-finite step, a non-finite start or end, or
     *         more elements than a tensor holds (the count is checked before allocating)
     */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0f || !Float.isFinite(step)) throw new IllegalArgumentException("arange: step must be non-zero and finite, got " + step);
        if (!Float.isFinite(start) || !Float.isFinite(end)) {
            throw new IllegalArgumentException("arange: start and end must be finite, got start " + start + ", end " + end);
        }
        double count = Math.max(0, Math.ceil((end - (double) start) / step));
        if (count > Shapes.MAX_NUMEL) {
            throw Shapes.tooLarge("arange", "start " + start + ", end " + end + ", step " + step + " give",
                    new java.math.BigDecimal(count).toBigInteger());
        }
        int n = (int) count;
        Shapes.allocatable("arange", new int[] {n});
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return new Tensor(new FloatArray(d, n));
    }

    /** Uniform samples in [0, 1) from {@code rng} (any {@link RandomGenerator}, e.g. SplittableRandom). */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        Shapes.allocatable("rand", shape);
        FloatArray a = FloatArray.zeros(shape);
        float[] d = a.data();
        for (int i = 0; i < d.length; i++) d[i] = rng.nextFloat();
        return new Tensor(a);
    }

    /** Standard normal samples from {@code rng}. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        Shapes.allocatable("randn", shape);
        FloatArray a = FloatArray.zeros(shape);
        float[] d = a.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextGaussian();
        return new Tensor(a);
    }

    // ---------------------------------------------------------------- inspection

    public int[] shape() {
        return value.shape();
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) {
        return value.dim(Shapes.dim("size", d, shape()));
    }

    public int rank() {
        return value.rank();
    }

    public int numel() {
        return value.size();
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (value.size() != 1) {
            throw new IllegalStateException("item: only a one-element tensor has an item; this one has shape "
                    + Shapes.str(value.shape()) + " (" + value.size() + " elements)");
        }
        return value.data()[0];
    }

    /** A copy of the values in row-major order. */
    public float[] toArray() {
        return value.data().clone();
    }

    /**
     * The live storage in row-major order, shared with reshapes of this tensor. Writing it
     * changes the tensor without autograd knowing: for optimizers, initialisers and I/O.
     */
    public float[] data() {
        return value.data();
    }

    /** The array this tensor holds (shares storage). */
    public FloatArray value() {
        return value;
    }

    /** One element by its index in each dimension. */
    public float get(int... index) {
        int[] s = value.shape();
        if (index.length != s.length) {
            throw new IllegalArgumentException("get: expected " + s.length + " indices for shape " + Shapes.str(s) + ", got " + index.length);
        }
        int flat = 0;
        for (int d = 0; d < s.length; d++) {
            int i = index[d] < 0 ? index[d] + s[d] : index[d];
            if (i < 0 || i >= s[d]) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " is out of range for dim " + d + " of size " + s[d]);
            }
            flat = flat * s[d] + i;
        }
        return value.data()[flat];
    }

    // ---------------------------------------------------------------- autograd

    /** Marks this leaf tensor as needing a gradient and returns it. */
    public Tensor requiresGrad() {
        return requiresGrad(true);
    }

    public Tensor requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can change requiresGrad; this one is the output of '"
                    + node.name + "' (use detach() for a new leaf)");
        }
        requiresGrad = on;
        return this;
    }

    public boolean isRequiresGrad() {
        return requiresGrad || node != null;
    }

    /** True for tensors not produced by a recorded op. */
    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The accumulated gradient of a leaf, or null before any backward (or after {@link #zeroGrad()}).
     * It shares the gradient's storage, as PyTorch's {@code .grad}: a later backward adds into it in
     * place; after {@code zeroGrad()} the next backward starts a new array and this tensor keeps
     * its values.
     */
    public Tensor grad() {
        if (grad == null) return null;
        gradShared = true;
        return new Tensor(grad);
    }

    /**
     * The accumulated gradient's values, read and written in place (null when there is none), for
     * an optimizer's update: unlike {@link #grad()} it hands out no tensor, so the array can be
     * reused by the backward after the next {@link #zeroGrad()} — do not keep it past that.
     */
    public float[] gradData() {
        return grad == null ? null : grad.data();
    }

    /**
     * Clears the accumulated gradient: {@link #grad()} is null until the next backward, as with
     * PyTorch's {@code zero_grad(set_to_none=True)}. The array is kept for that backward to write
     * into, unless a tensor from {@link #grad()} or {@link #setGrad} still shares it.
     */
    public void zeroGrad() {
        if (grad != null && !gradShared) spareGrad = grad;
        grad = null;
        gradShared = false;
    }

    /** Sets the accumulated gradient (null clears it); the optimizers' data-parallel trainer uses this. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), shape())) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape())
                    + " does not match tensor of shape " + Shapes.str(shape()));
        }
        grad = g == null ? null : g.value;
        gradShared = g != null;
    }

    /** The name of the op that produced this tensor, or null for a leaf. */
    public String gradFn() {
        return node == null ? null : node.name;
    }

    /** A new leaf sharing this tensor's storage, outside any graph. */
    public Tensor detach() {
        return new Tensor(value);
    }

    /** Backward from a scalar: accumulates d(this)/d(leaf) into every leaf's {@link #grad()}. */
    public void backward() {
        backward(null, false);
    }

    /** Backward with an explicit gradient of this tensor's shape (a vector-Jacobian product). */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * Backward pass; with {@code retainGraph} the graph keeps its saved values for another pass.
     * Gradients accumulate across calls, as in PyTorch.
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        var grads = Autograd.run("backward", this, gradient, retainGraph, Set.of());
        for (var e : grads.entrySet()) {
            Tensor leaf = e.getKey();
            if (leaf.node != null || !leaf.requiresGrad) continue;
            leaf.accumulateGrad(e.getValue());
        }
    }

    /**
     * Adds {@code g} (this leaf's shape) to the accumulated gradient, in place, as PyTorch does;
     * the first gradient after {@link #zeroGrad()} is copied into the spare array when there is one
     * (g itself may be an array the graph shares, so it is never kept).
     */
    private void accumulateGrad(FloatArray g) {
        if (grad != null) {
            Elementwise.add(grad.data(), 0, g.data(), 0, grad.data(), 0, g.size());
        } else if (spareGrad != null && spareGrad.size() == g.size()) {
            Gradients.copy(g.data(), spareGrad.data());
            grad = spareGrad;
        } else {
            grad = g.copy();
        }
        spareGrad = null;
    }

    // ---------------------------------------------------------------- elementwise

    private Tensor binary(Op f, Tensor other) {
        return Autograd.apply(f, this, other);
    }

    public Tensor add(Tensor o) {
        return binary(new BinaryOps.Add(), o);
    }

    public Tensor add(float s) {
        return add(scalar(s));
    }

    public Tensor sub(Tensor o) {
        return binary(new BinaryOps.Sub(), o);
    }

    public Tensor sub(float s) {
        return sub(scalar(s));
    }

    public Tensor mul(Tensor o) {
        return binary(new BinaryOps.Mul(), o);
    }

    public Tensor mul(float s) {
        return mul(scalar(s));
    }

    public Tensor div(Tensor o) {
        return binary(new BinaryOps.Div(), o);
    }

    public Tensor div(float s) {
        return div(scalar(s));
    }

    /** this ^ exponent, elementwise with broadcasting. */
    public Tensor pow(Tensor exponent) {
        return binary(new BinaryOps.Pow(), exponent);
    }

    public Tensor pow(float exponent) {
        return pow(scalar(exponent));
    }

    /** Elementwise maximum; on ties the gradient is split evenly. */
    public Tensor maximum(Tensor o) {
        return binary(new BinaryOps.Extremum(true), o);
    }

    public Tensor maximum(float s) {
        return maximum(scalar(s));
    }

    public Tensor minimum(Tensor o) {
        return binary(new BinaryOps.Extremum(false), o);
    }

    public Tensor minimum(float s) {
        return minimum(scalar(s));
    }

    public Tensor neg() {
        return Autograd.apply(new UnaryOps.Neg(), this);
    }

    public Tensor exp() {
        return Autograd.apply(new UnaryOps.Exp(), this);
    }

    public Tensor log() {
        return Autograd.apply(new UnaryOps.Log(), this);
    }

    public Tensor sqrt() {
        return Autograd.apply(new UnaryOps.Sqrt(), this);
    }

    public Tensor abs() {
        return Autograd.apply(new UnaryOps.Abs(), this);
    }

    public Tensor sin() {
        return Autograd.apply(new UnaryOps.Sin(), this);
    }

    public Tensor cos() {
        return Autograd.apply(new UnaryOps.Cos(), this);
    }

    public Tensor tanh() {
        return Autograd.apply(new UnaryOps.Tanh(), this);
    }

    /** 1 / (1 + e^-x); at the far ends it reaches 0 (or a denormal) and 1, never NaN. */
    public Tensor sigmoid() {
        return Autograd.apply(new UnaryOps.Sigmoid(), this);
    }

    public Tensor relu() {
        return Autograd.apply(new UnaryOps.Relu(), this);
    }

    /** Limits every element to [min, max]. */
    public Tensor clamp(float min, float max) {
        return Autograd.apply(new UnaryOps.Clamp(min, max), this);
    }

    /**
     * {@code condition ? a : b} elementwise with broadcasting; condition is a mask (non-zero is
     * true). Gradients flow to a where the condition holds and to b elsewhere.
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Autograd.apply(new BinaryOps.Where(), condition, a, b);
    }

    // comparisons: masks of 1 and 0, outside autograd

    private Tensor compare(Kind k, Tensor o) {
        return new Tensor(BinaryOps.apply(k, value, o.value));
    }

    public Tensor eq(Tensor o) {
        return compare(Kind.EQ, o);
    }

    public Tensor eq(float s) {
        return eq(scalar(s));
    }

    public Tensor ne(Tensor o) {
        return compare(Kind.NE, o);
    }

    public Tensor ne(float s) {
        return ne(scalar(s));
    }

    public Tensor lt(Tensor o) {
        return compare(Kind.LT, o);
    }

    public Tensor lt(float s) {
        return lt(scalar(s));
    }

    public Tensor le(Tensor o) {
        return compare(Kind.LE, o);
    }

    public Tensor le(float s) {
        return le(scalar(s));
    }

    public Tensor gt(Tensor o) {
        return compare(Kind.GT, o);
    }

    public Tensor gt(float s) {
        return gt(scalar(s));
    }

    public Tensor ge(Tensor o) {
        return compare(Kind.GE, o);
    }

    public Tensor ge(float s) {
        return ge(scalar(s));
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a 0-d tensor). */
    public Tensor sum() {
        return sum(new int[0], false);
    }

    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    /** Sum over {@code dims} (empty: all). */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Sum(dims, keepDim), this);
    }

    public Tensor mean() {
        return mean(new int[0], false);
    }

    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Mean(dims, keepDim), this);
    }

    /** Largest element; the gradient is shared among ties. */
    public Tensor max() {
        return max(new int[0], false);
    }

    public Tensor max(int dim) {
        return max(new int[] {dim}, false);
    }

    public Tensor max(int dim, boolean keepDim) {
        return max(new int[] {dim}, keepDim);
    }

    public Tensor max(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Extreme(dims, keepDim, true), this);
    }

    public Tensor min() {
        return min(new int[0], false);
    }

    public Tensor min(int dim) {
        return min(new int[] {dim}, false);
    }

    public Tensor min(int dim, boolean keepDim) {
        return min(new int[] {dim}, keepDim);
    }

    public Tensor min(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Extreme(dims, keepDim, false), this);
    }

    /** Index of the largest element of the flattened tensor (first on ties). */
    public Tensor argmax() {
        return new Tensor(ReduceOps.argExtreme(value.reshape(-1), 0, false, true));
    }

    /** Indices of the largest elements along {@code dim} (first on ties), as floats. */
    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    public Tensor argmax(int dim, boolean keepDim) {
        return new Tensor(ReduceOps.argExtreme(value, dim, keepDim, true));
    }

    public Tensor argmin() {
        return new Tensor(ReduceOps.argExtreme(value.reshape(-1), 0, false, false));
    }

    public Tensor argmin(int dim) {
        return argmin(dim, false);
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return new Tensor(ReduceOps.argExtreme(value, dim, keepDim, false));
    }

    /** Unbiased variance of all elements (divides by n − 1, as PyTorch does by default). */
    public Tensor var() {
        return var(new int[0], 1, false);
    }

    public Tensor var(int dim) {
        return var(new int[] {dim}, 1, false);
    }

    /** Variance over dims, dividing by n − correction (1: unbiased, 0: population). */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Var(dims, correction, keepDim), this);
    }

    public Tensor std() {
        return var().sqrt();
    }

    public Tensor std(int dim) {
        return var(dim).sqrt();
    }

    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    /** e^x / Σ e^x along {@code dim}, computed with the maximum subtracted (no overflow). */
    public Tensor softmax(int dim) {
        return Autograd.apply(new SoftmaxOps.Softmax(dim), this);
    }

    /** x − log Σ e^x along {@code dim}, stable for any input size. */
    public Tensor logSoftmax(int dim) {
        return Autograd.apply(new SoftmaxOps.LogSoftmax(dim), this);
    }

    public Tensor logSumExp(int dim) {
        return logSumExp(dim, false);
    }

    public Tensor logSumExp(int dim, boolean keepDim) {
        return Autograd.apply(new SoftmaxOps.LogSumExp(dim, keepDim), this);
    }

    // ---------------------------------------------------------------- shape

    /** Same elements, new shape (one dim may be -1); shares storage. */
    public Tensor reshape(int... shape) {
        return Autograd.apply(new ShapeOps.Reshape(shape), this);
    }

    /** Alias of {@link #reshape}: storage is always contiguous, so every view is a reshape. */
    public Tensor view(int... shape) {
        return reshape(shape);
    }

    public Tensor flatten() {
        return reshape(-1);
    }

    /** Merges dims {@code start..end} (inclusive) into one. */
    public Tensor flatten(int start, int end) {
        int r = rank();
        if (r == 0) return reshape(1);
        int s = Shapes.dim("flatten", start, shape()), e = Shapes.dim("flatten", end, shape());
        if (s > e) {
            throw new IllegalArgumentException("flatten: start dim " + start + " comes after end dim " + end
                    + " for a tensor of shape " + Shapes.str(shape()));
        }
        int[] shape = shape();
        int[] out = new int[r - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) out[j++] = shape[i];
        out[j++] = Shapes.prod(shape, s, e + 1);
        for (int i = e + 1; i < r; i++) out[j++] = shape[i];
        return reshape(out);
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape()).filter(d -> d != 1).toArray());
    }

    /** Removes dimension {@code dim} if its size is 1 (else returns the same shape, as PyTorch does). */
    public Tensor squeeze(int dim) {
        int r = rank();
        if (r == 0) return reshape();
        int d = Shapes.dim("squeeze", dim, shape());
        int[] s = shape();
        if (s[d] != 1) return reshape(s);
        int[] out = new int[r - 1];
        for (int i = 0, j = 0; i < r; i++) if (i != d) out[j++] = s[i];
        return reshape(out);
    }

    /** Inserts a dimension of size 1 at {@code dim} (from -rank-1 to rank). */
    public Tensor unsqueeze(int dim) {
        int r = rank();
        int d = Shapes.newDim("unsqueeze", dim, shape());
        int[] s = shape();
        int[] out = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) out[i] = i == d ? 1 : s[j++];
        return reshape(out);
    }

    /** Swaps two dims (copies). */
    public Tensor transpose(int dim0, int dim1) {
        int r = rank();
        int a = Shapes.dim("transpose", dim0, shape()), b = Shapes.dim("transpose", dim1, shape());
        return permute(ShapeOps.swap(r, a, b));
    }

    /** Reorders dims: output dim i is input dim {@code dims[i]} (copies). */
    public Tensor permute(int... dims) {
        return Autograd.apply(new ShapeOps.Permute(dims), this);
    }

    /** All dims reversed (the matrix transpose for 2-D). */
    public Tensor T() {
        int r = rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = r - 1 - i;
        return permute(p);
    }

    /** {@code length} items from {@code start} along {@code dim} (copies). */
    public Tensor narrow(int dim, int start, int length) {
        return Autograd.apply(new ShapeOps.Narrow(dim, start, length), this);
    }

    /** Items {@code start} (inclusive) to {@code end} (exclusive) along {@code dim}. */
    public Tensor slice(int dim, int start, int end) {
        return narrow(dim, start, end - start);
    }

    /** The slabs along {@code dim} at the positions listed in {@code index} (a 1-D tensor of integers). */
    public Tensor indexSelect(int dim, Tensor index) {
        if (index.rank() > 1) {
            throw new IllegalArgumentException("indexSelect: index must be 0-D or 1-D, got shape " + Shapes.str(index.shape()));
        }
        float[] v = index.value.data();
        int[] idx = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) throw new IllegalArgumentException("indexSelect: index " + v[i] + " is not an integer");
            if (Math.abs(v[i]) > Integer.MAX_VALUE) {                   // a cast would saturate to a valid-looking index
                int d = Shapes.dim("indexSelect", dim, shape());
                throw new IllegalArgumentException("indexSelect: index " + Shapes.str(v[i]) + " is out of range for dim " + d
                        + " of size " + value.dim(d));
            }
            idx[i] = (int) v[i];
        }
        return Autograd.apply(new ShapeOps.IndexSelect(dim, idx), this);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for dim 1 (and likewise for other dims), as torch.gather. */
    public Tensor gather(int dim, Tensor index) {
        return Autograd.apply(new ShapeOps.Gather(dim, index.value), this);
    }

    /** Broadcasts to {@code shape} (copies); the gradient is summed back. */
    public Tensor expand(int... shape) {
        return Autograd.apply(new ShapeOps.Expand(shape), this);
    }

    public Tensor broadcastTo(int... shape) {
        return expand(shape);
    }

    /** Joins tensors along an existing dim. */
    public static Tensor cat(int dim, Tensor... tensors) {
        return Autograd.apply(new ShapeOps.Cat(dim), tensors);
    }

    /** Joins tensors of equal shape along a new dim. */
    public static Tensor stack(int dim, Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("stack: expected at least one tensor");
        int[] first = tensors[0].shape();
        int d = Shapes.newDim("stack", dim, first);
        Tensor[] us = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape(), first)) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.str(tensors[i].shape())
                        + " but tensor 0 has " + Shapes.str(first));
            }
            us[i] = tensors[i].unsqueeze(d);
        }
        return cat(d, us);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with PyTorch's rules: 1-D·1-D is a dot product; a 1-D operand is treated as
     * a row (left) or column (right) vector and that dim is removed afterwards; higher ranks are
     * batches of matrices whose batch dims broadcast.
     */
    public Tensor matmul(Tensor o) {
        int ra = rank(), rb = o.rank();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least 1 dimension, got "
                    + Shapes.str(shape()) + " @ " + Shapes.str(o.shape()));
        }
        if (ra == 1 && rb == 1 && size(0) != o.size(0)) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(shape()) + " @ " + Shapes.str(o.shape())
                    + ": inner dimensions " + size(0) + " and " + o.size(0) + " differ");
        }
        Tensor a = ra == 1 ? unsqueeze(0) : this;
        Tensor b = rb == 1 ? o.unsqueeze(1) : o;
        Tensor c = Autograd.apply(new MatmulOps.MatMul(), a, b);
        if (rb == 1) c = c.squeeze(-1);
        if (ra == 1) c = c.squeeze(rb == 1 ? -1 : -2);
        return c;
    }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(");
        TensorFormat.append(sb, value, "tensor(".length());
        if (node != null) sb.append(", gradFn=<").append(node.name).append('>');
        else if (requiresGrad) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }
}
