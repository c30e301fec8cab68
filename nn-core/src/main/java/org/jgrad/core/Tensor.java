package org.jgrad.core;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.ops.Arena;
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

    /**
     * A tensor holding a copy of {@code data} with the given shape (1-D when no shape is given).
     *
     * @param data values in row-major order; copied
     * @param shape dimensions, whose product must equal {@code data.length}; none for 1-D
     * @return a new leaf tensor
     * @throws IllegalArgumentException if the shape does not hold {@code data.length} values
     */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape;
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shapes.str(s) + " needs " + Shapes.numel(s)
                    + " values, got " + data.length);
        }
        return new Tensor(new FloatArray(data.clone(), s));
    }

    /**
     * A matrix from its rows, like PyTorch's {@code torch.tensor([[1, 2], [3, 4]])}.
     *
     * <pre>{@code
     * jshell> Tensor.of(new float[][] {{1, 2}, {3, 4}})
     * $1 ==> tensor([[1., 2.],
     *                [3., 4.]])
     * }</pre>
     *
     * @param rows the rows, all of one length; copied
     * @return a new leaf tensor of shape {@code [rows.length, rows[0].length]} ({@code [0, 0]} for no rows)
     * @throws IllegalArgumentException if a row is null or the rows differ in length
     */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 || rows[0] == null ? 0 : rows[0].length;
        float[] data = new float[Math.multiplyExact(rows.length, cols)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) throw new IllegalArgumentException("Tensor.of: row " + i + " is null");
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols
                        + "; expected rows of one length");
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(new FloatArray(data, rows.length, cols));
    }

    /**
     * Wraps an array the caller hands over (not copied).
     *
     * @param value array to hold; later writes to it show in the tensor
     * @return a new leaf tensor over {@code value}
     */
    public static Tensor wrap(FloatArray value) {
        return new Tensor(value);
    }

    /**
     * A 0-d tensor.
     *
     * @param value the single element
     * @return a new leaf of shape {@code []}
     */
    public static Tensor scalar(float value) {
        return new Tensor(FloatArray.scalar(value));
    }

    /**
     * A tensor of zeros.
     *
     * @param shape dimensions of the result
     * @return a new leaf tensor
     */
    public static Tensor zeros(int... shape) {
        Shapes.allocatable("zeros", shape);
        return new Tensor(FloatArray.zeros(shape));
    }

    /**
     * A tensor of ones.
     *
     * @param shape dimensions of the result
     * @return a new leaf tensor
     */
    public static Tensor ones(int... shape) {
        Shapes.allocatable("ones", shape);
        return new Tensor(FloatArray.full(1f, shape));
    }

    /**
     * A tensor with every element set to {@code value}.
     *
     * @param value fill value
     * @param shape dimensions of the result
     * @return a new leaf tensor
     */
    public static Tensor full(float value, int... shape) {
        Shapes.allocatable("full", shape);
        return new Tensor(FloatArray.full(value, shape));
    }

    /**
     * Zeros of the same shape as {@code t}.
     *
     * @param t tensor whose shape is copied (its values are not read)
     * @return a new leaf tensor
     */
    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape());
    }

    /**
     * Ones of the same shape as {@code t}.
     *
     * @param t tensor whose shape is copied (its values are not read)
     * @return a new leaf tensor
     */
    public static Tensor onesLike(Tensor t) {
        return ones(t.shape());
    }

    /**
     * 0, 1, …, end − 1.
     *
     * @param end exclusive upper bound
     * @return a 1-D tensor of {@code max(0, end)} elements
     */
    public static Tensor arange(int end) {
        return arange(0f, end, 1f);
    }

    /**
     * start, start + step, … while below {@code end} (above, for a negative step).
     *
     * @throws IllegalArgumentException for a zero or non-finite step, a non-finite start or end, or
     *         more elements than a tensor holds (the count is checked before allocating)
     * @param start first value
     * @param end exclusive bound
     * @param step distance between values; may be negative
     * @return a 1-D tensor of {@code ceil((end - start) / step)} elements, empty when that is not positive
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

    /**
     * Uniform samples in [0, 1) from {@code rng} (any {@link RandomGenerator}, e.g. SplittableRandom).
     *
     * @param rng source of the samples
     * @param shape dimensions of the result
     * @return a new leaf tensor
     */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        Shapes.allocatable("rand", shape);
        FloatArray a = FloatArray.zeros(shape);
        float[] d = a.data();
        for (int i = 0; i < d.length; i++) d[i] = rng.nextFloat();
        return new Tensor(a);
    }

    /**
     * Standard normal samples from {@code rng}.
     *
     * @param rng source of the samples
     * @param shape dimensions of the result
     * @return a new leaf tensor
     */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        Shapes.allocatable("randn", shape);
        FloatArray a = FloatArray.zeros(shape);
        float[] d = a.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextGaussian();
        return new Tensor(a);
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The dimensions of this tensor.
     *
     * @return a copy of the dimensions; empty for a 0-d tensor
     */
    public int[] shape() {
        return value.shape();
    }

    /**
     * Size of dimension {@code d} (negative counts from the end).
     *
     * @param d dimension index, from {@code -rank()} to {@code rank() - 1}
     * @return the number of elements along dimension {@code d}
     */
    public int size(int d) {
        return value.dim(Shapes.dim("size", d, shape()));
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return value.rank();
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions (1 for a 0-d tensor)
     */
    public int numel() {
        return value.size();
    }

    /**
     * The value of a one-element tensor.
     *
     * @return the only element
     * @throws IllegalStateException if the tensor does not have exactly one element
     */
    public float item() {
        if (value.size() != 1) {
            throw new IllegalStateException("item: only a one-element tensor has an item; this one has shape "
                    + Shapes.str(value.shape()) + " (" + value.size() + " elements)");
        }
        return value.data()[0];
    }

    /**
     * A copy of the values in row-major order.
     *
     * @return a new array of {@link #numel()} values
     */
    public float[] toArray() {
        return value.data().clone();
    }

    /**
     * The live storage in row-major order, shared with reshapes of this tensor. Writing it
     * changes the tensor without autograd knowing: for optimizers, initialisers and I/O.
     *
     * @return the backing array, not a copy
     */
    public float[] data() {
        return value.data();
    }

    /**
     * The array this tensor holds (shares storage).
     *
     * @return the backing {@link FloatArray}
     */
    public FloatArray value() {
        return value;
    }

    /**
     * One element by its index in each dimension.
     *
     * @param index one index per dimension; negative counts from the end
     * @return the element at {@code index}
     * @throws IllegalArgumentException if the number of indices differs from the rank
     * @throws IndexOutOfBoundsException if an index is out of range
     */
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

    /**
     * Marks this leaf tensor as needing a gradient and returns it.
     *
     * @return this tensor
     */
    public Tensor requiresGrad() {
        return requiresGrad(true);
    }

    /**
     * Sets whether this leaf tensor needs a gradient.
     *
     * @param on true to record operations on it for backward
     * @return this tensor
     * @throws IllegalStateException if this tensor is not a leaf
     */
    public Tensor requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can change requiresGrad; this one is the output of '"
                    + node.name + "' (use detach() for a new leaf)");
        }
        requiresGrad = on;
        return this;
    }

    /**
     * Whether backward reaches this tensor: a leaf marked {@link #requiresGrad()} or the output of a recorded op.
     *
     * @return true if gradients flow through this tensor
     */
    public boolean isRequiresGrad() {
        return requiresGrad || node != null;
    }

    /**
     * True for tensors not produced by a recorded op.
     *
     * @return true if no recorded op produced this tensor
     */
    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The accumulated gradient of a leaf, or null before any backward (or after {@link #zeroGrad()}).
     * It shares the gradient's storage, as PyTorch's {@code .grad}: a later backward adds into it in
     * place; after {@code zeroGrad()} the next backward starts a new array and this tensor keeps
     * its values.
     *
     * @return a tensor sharing the gradient's storage, or null
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
     *
     * @return the gradient's backing array, or null
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

    /**
     * For the engine's backward: the array this tensor's next gradient may be written into in
     * place — a leaf that requires grad, its gradient array from before {@link #zeroGrad()}, when no
     * gradient has arrived since and no tensor shares it — or null.
     */
    float[] reusableGrad() {
        boolean reusable = node == null && requiresGrad && grad == null && spareGrad != null && spareGrad.size() == value.size();
        return reusable ? spareGrad.data() : null;
    }

    /** For the engine's backward: an op wrote this leaf's whole gradient into {@link #reusableGrad()}. */
    void tookReusableGrad() {
        grad = spareGrad;
        spareGrad = null;
    }

    /**
     * Sets the accumulated gradient (null clears it); the optimizers' data-parallel trainer uses this.
     *
     * @param g gradient of this tensor's shape, shared and not copied; null to clear
     * @throws IllegalArgumentException if the shape of {@code g} differs from this tensor's
     */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), shape())) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape())
                    + " does not match tensor of shape " + Shapes.str(shape()));
        }
        grad = g == null ? null : g.value;
        gradShared = g != null;
    }

    /**
     * The name of the op that produced this tensor, or null for a leaf.
     *
     * @return the op name, or null
     */
    public String gradFn() {
        return node == null ? null : node.name;
    }

    /**
     * A new leaf sharing this tensor's storage, outside any graph.
     *
     * @return a new leaf over the same storage
     */
    public Tensor detach() {
        return new Tensor(value);
    }

    /** Backward from a scalar: accumulates d(this)/d(leaf) into every leaf's {@link #grad()}. */
    public void backward() {
        backward(null, false);
    }

    /**
     * Backward with an explicit gradient of this tensor's shape (a vector-Jacobian product).
     *
     * @param gradient gradient of the output, of this tensor's shape; null for a one-element tensor (taken as 1)
     */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * Backward pass; with {@code retainGraph} the graph keeps its saved values for another pass.
     * Gradients accumulate across calls, as in PyTorch.
     *
     * @param gradient gradient of the output, of this tensor's shape; null for a one-element tensor (taken as 1)
     * @param retainGraph true to keep the graph for another backward
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        // The pass's own arrays (the gradients of intermediate tensors, masks, partial sums) come from
        // the thread's arena and go back to it at the end, warm for the next step: none of them
        // outlives the pass — a leaf's gradient is written into its own array or copied — unless the
        // graph is retained, whose ops may keep what their backward computed.
        try (Arena.Scope scope = retainGraph ? null : Arena.open()) {
            Map<Tensor, float[]> written = new IdentityHashMap<>();
            var grads = Autograd.run("backward", this, gradient, retainGraph, null, Tensor::reusableGrad, written);
            for (Tensor leaf : written.keySet()) leaf.tookReusableGrad();    // its gradient was written into its spare array
            for (var e : grads.entrySet()) {
                Tensor leaf = e.getKey();
                if (leaf.node != null || !leaf.requiresGrad) continue;
                leaf.accumulateGrad(e.getValue());
            }
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

    /**
     * Elementwise sum with broadcasting.
     *
     * @param o the other addend
     * @return {@code this + o}
     */
    public Tensor add(Tensor o) {
        return binary(new BinaryOps.Add(), o);
    }

    /**
     * Adds a scalar to every element.
     *
     * @param s value to add
     * @return {@code this + s}
     */
    public Tensor add(float s) {
        return add(scalar(s));
    }

    /**
     * Elementwise difference with broadcasting.
     *
     * @param o the subtrahend
     * @return {@code this - o}
     */
    public Tensor sub(Tensor o) {
        return binary(new BinaryOps.Sub(), o);
    }

    /**
     * Subtracts a scalar from every element.
     *
     * @param s value to subtract
     * @return {@code this - s}
     */
    public Tensor sub(float s) {
        return sub(scalar(s));
    }

    /**
     * Elementwise product with broadcasting.
     *
     * @param o the other factor
     * @return {@code this * o}
     */
    public Tensor mul(Tensor o) {
        return binary(new BinaryOps.Mul(), o);
    }

    /**
     * Multiplies every element by a scalar.
     *
     * @param s factor
     * @return {@code this * s}
     */
    public Tensor mul(float s) {
        return mul(scalar(s));
    }

    /**
     * Elementwise quotient with broadcasting.
     *
     * @param o the divisor
     * @return {@code this / o}
     */
    public Tensor div(Tensor o) {
        return binary(new BinaryOps.Div(), o);
    }

    /**
     * Divides every element by a scalar.
     *
     * @param s divisor
     * @return {@code this / s}
     */
    public Tensor div(float s) {
        return div(scalar(s));
    }

    /**
     * this ^ exponent, elementwise with broadcasting.
     *
     * @param exponent exponents, broadcast against this tensor
     * @return {@code this ^ exponent}
     */
    public Tensor pow(Tensor exponent) {
        return binary(new BinaryOps.Pow(), exponent);
    }

    /**
     * Raises every element to a scalar power.
     *
     * @param exponent the power
     * @return {@code this ^ exponent}
     */
    public Tensor pow(float exponent) {
        return pow(scalar(exponent));
    }

    /**
     * Elementwise maximum; on ties the gradient is split evenly.
     *
     * @param o the other operand, broadcast against this tensor
     * @return the larger of the two at each position
     */
    public Tensor maximum(Tensor o) {
        return binary(new BinaryOps.Extremum(true), o);
    }

    /**
     * Elementwise maximum with a scalar; on ties the gradient is split evenly.
     *
     * @param s lower bound for every element
     * @return {@code max(this, s)} at each position
     */
    public Tensor maximum(float s) {
        return maximum(scalar(s));
    }

    /**
     * Elementwise minimum; on ties the gradient is split evenly.
     *
     * @param o the other operand, broadcast against this tensor
     * @return the smaller of the two at each position
     */
    public Tensor minimum(Tensor o) {
        return binary(new BinaryOps.Extremum(false), o);
    }

    /**
     * Elementwise minimum with a scalar; on ties the gradient is split evenly.
     *
     * @param s upper bound for every element
     * @return {@code min(this, s)} at each position
     */
    public Tensor minimum(float s) {
        return minimum(scalar(s));
    }

    /**
     * Negation.
     *
     * @return {@code -this}
     */
    public Tensor neg() {
        return Autograd.apply(new UnaryOps.Neg(), this);
    }

    /**
     * Elementwise e^x.
     *
     * @return e raised to each element
     */
    public Tensor exp() {
        return Autograd.apply(new UnaryOps.Exp(), this);
    }

    /**
     * Elementwise natural logarithm.
     *
     * @return ln of each element (NaN for negatives, -infinity for 0)
     */
    public Tensor log() {
        return Autograd.apply(new UnaryOps.Log(), this);
    }

    /**
     * Elementwise square root.
     *
     * @return the square root of each element (NaN for negatives)
     */
    public Tensor sqrt() {
        return Autograd.apply(new UnaryOps.Sqrt(), this);
    }

    /**
     * Elementwise absolute value.
     *
     * @return |x| for each element
     */
    public Tensor abs() {
        return Autograd.apply(new UnaryOps.Abs(), this);
    }

    /**
     * Elementwise sine (radians).
     *
     * @return sin of each element
     */
    public Tensor sin() {
        return Autograd.apply(new UnaryOps.Sin(), this);
    }

    /**
     * Elementwise cosine (radians).
     *
     * @return cos of each element
     */
    public Tensor cos() {
        return Autograd.apply(new UnaryOps.Cos(), this);
    }

    /**
     * Elementwise hyperbolic tangent.
     *
     * @return tanh of each element, in [-1, 1]
     */
    public Tensor tanh() {
        return Autograd.apply(new UnaryOps.Tanh(), this);
    }

    /**
     * 1 / (1 + e^-x); at the far ends it reaches 0 (or a denormal) and 1, never NaN.
     *
     * @return the sigmoid of each element, in [0, 1]
     */
    public Tensor sigmoid() {
        return Autograd.apply(new UnaryOps.Sigmoid(), this);
    }

    /**
     * Rectified linear unit: max(x, 0) elementwise.
     *
     * @return the negative elements replaced by 0
     */
    public Tensor relu() {
        return Autograd.apply(new UnaryOps.Relu(), this);
    }

    /**
     * Limits every element to [min, max].
     *
     * @param min lower bound
     * @param max upper bound
     * @return the clamped tensor
     */
    public Tensor clamp(float min, float max) {
        return Autograd.apply(new UnaryOps.Clamp(min, max), this);
    }

    /**
     * {@code condition ? a : b} elementwise with broadcasting; condition is a mask (non-zero is
     * true). Gradients flow to a where the condition holds and to b elsewhere.
     *
     * @param condition mask; non-zero selects {@code a}
     * @param a values where the condition holds
     * @param b values elsewhere
     * @return the selected values, of the broadcast shape of the three
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Autograd.apply(new BinaryOps.Where(), condition, a, b);
    }

    // comparisons: masks of 1 and 0, outside autograd

    private Tensor compare(Kind k, Tensor o) {
        return new Tensor(BinaryOps.apply(k, value, o.value));
    }

    /**
     * Elementwise {@code this == o}, with broadcasting; not recorded by autograd.
     *
     * @param o the other operand
     * @return a mask of 1 where equal and 0 elsewhere
     */
    public Tensor eq(Tensor o) {
        return compare(Kind.EQ, o);
    }

    /**
     * Elementwise {@code this == s}; not recorded by autograd.
     *
     * @param s value to compare with
     * @return a mask of 1 where equal and 0 elsewhere
     */
    public Tensor eq(float s) {
        return eq(scalar(s));
    }

    /**
     * Elementwise {@code this != o}, with broadcasting; not recorded by autograd.
     *
     * @param o the other operand
     * @return a mask of 1 where different and 0 elsewhere
     */
    public Tensor ne(Tensor o) {
        return compare(Kind.NE, o);
    }

    /**
     * Elementwise {@code this != s}; not recorded by autograd.
     *
     * @param s value to compare with
     * @return a mask of 1 where different and 0 elsewhere
     */
    public Tensor ne(float s) {
        return ne(scalar(s));
    }

    /**
     * Elementwise {@code this < o}, with broadcasting; not recorded by autograd.
     *
     * @param o the other operand
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor lt(Tensor o) {
        return compare(Kind.LT, o);
    }

    /**
     * Elementwise {@code this < s}; not recorded by autograd.
     *
     * @param s value to compare with
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor lt(float s) {
        return lt(scalar(s));
    }

    /**
     * Elementwise {@code this <= o}, with broadcasting; not recorded by autograd.
     *
     * @param o the other operand
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor le(Tensor o) {
        return compare(Kind.LE, o);
    }

    /**
     * Elementwise {@code this <= s}; not recorded by autograd.
     *
     * @param s value to compare with
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor le(float s) {
        return le(scalar(s));
    }

    /**
     * Elementwise {@code this > o}, with broadcasting; not recorded by autograd.
     *
     * @param o the other operand
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor gt(Tensor o) {
        return compare(Kind.GT, o);
    }

    /**
     * Elementwise {@code this > s}; not recorded by autograd.
     *
     * @param s value to compare with
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor gt(float s) {
        return gt(scalar(s));
    }

    /**
     * Elementwise {@code this >= o}, with broadcasting; not recorded by autograd.
     *
     * @param o the other operand
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor ge(Tensor o) {
        return compare(Kind.GE, o);
    }

    /**
     * Elementwise {@code this >= s}; not recorded by autograd.
     *
     * @param s value to compare with
     * @return a mask of 1 where true and 0 elsewhere
     */
    public Tensor ge(float s) {
        return ge(scalar(s));
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Sum of all elements (a 0-d tensor).
     *
     * @return a 0-d tensor
     */
    public Tensor sum() {
        return sum(new int[0], false);
    }

    /**
     * Sum along one dimension, which is removed.
     *
     * @param dim dimension to sum over (negative counts from the end)
     * @return the sums, one rank lower
     */
    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    /**
     * Sum along one dimension.
     *
     * @param dim dimension to sum over (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the sums
     */
    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    /**
     * Sum over {@code dims} (empty: all).
     *
     * @param dims dimensions to sum over
     * @param keepDim true to keep the summed dimensions with size 1
     * @return the sums
     */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Sum(dims, keepDim), this);
    }

    /**
     * Mean of all elements.
     *
     * @return a 0-d tensor
     */
    public Tensor mean() {
        return mean(new int[0], false);
    }

    /**
     * Mean along one dimension, which is removed.
     *
     * @param dim dimension to average over (negative counts from the end)
     * @return the means, one rank lower
     */
    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

    /**
     * Mean along one dimension.
     *
     * @param dim dimension to average over (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the means
     */
    public Tensor mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    /**
     * Mean over {@code dims} (empty: all).
     *
     * @param dims dimensions to average over
     * @param keepDim true to keep the averaged dimensions with size 1
     * @return the means
     */
    public Tensor mean(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Mean(dims, keepDim), this);
    }

    /**
     * Largest element; the gradient is shared among ties.
     *
     * @return a 0-d tensor
     */
    public Tensor max() {
        return max(new int[0], false);
    }

    /**
     * Largest element along one dimension, which is removed; the gradient is shared among ties.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @return the maxima, one rank lower
     */
    public Tensor max(int dim) {
        return max(new int[] {dim}, false);
    }

    /**
     * Largest element along one dimension; the gradient is shared among ties.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the maxima
     */
    public Tensor max(int dim, boolean keepDim) {
        return max(new int[] {dim}, keepDim);
    }

    /**
     * Largest element over {@code dims} (empty: all); the gradient is shared among ties.
     *
     * @param dims dimensions to reduce
     * @param keepDim true to keep the reduced dimensions with size 1
     * @return the maxima
     */
    public Tensor max(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Extreme(dims, keepDim, true), this);
    }

    /**
     * Smallest element; the gradient is shared among ties.
     *
     * @return a 0-d tensor
     */
    public Tensor min() {
        return min(new int[0], false);
    }

    /**
     * Smallest element along one dimension, which is removed; the gradient is shared among ties.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @return the minima, one rank lower
     */
    public Tensor min(int dim) {
        return min(new int[] {dim}, false);
    }

    /**
     * Smallest element along one dimension; the gradient is shared among ties.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the minima
     */
    public Tensor min(int dim, boolean keepDim) {
        return min(new int[] {dim}, keepDim);
    }

    /**
     * Smallest element over {@code dims} (empty: all); the gradient is shared among ties.
     *
     * @param dims dimensions to reduce
     * @param keepDim true to keep the reduced dimensions with size 1
     * @return the minima
     */
    public Tensor min(int[] dims, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Extreme(dims, keepDim, false), this);
    }

    /**
     * Index of the largest element of the flattened tensor (first on ties).
     *
     * @return a 0-d tensor holding the flat index as a float; not recorded by autograd
     */
    public Tensor argmax() {
        return new Tensor(ReduceOps.argExtreme(value.reshape(-1), 0, false, true));
    }

    /**
     * Indices of the largest elements along {@code dim} (first on ties), as floats.
     *
     * @param dim dimension to search (negative counts from the end)
     * @return the indices, one rank lower; not recorded by autograd
     */
    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    /**
     * Indices of the largest elements along {@code dim} (first on ties), as floats.
     *
     * @param dim dimension to search (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the indices; not recorded by autograd
     */
    public Tensor argmax(int dim, boolean keepDim) {
        return new Tensor(ReduceOps.argExtreme(value, dim, keepDim, true));
    }

    /**
     * Index of the smallest element of the flattened tensor (first on ties).
     *
     * @return a 0-d tensor holding the flat index as a float; not recorded by autograd
     */
    public Tensor argmin() {
        return new Tensor(ReduceOps.argExtreme(value.reshape(-1), 0, false, false));
    }

    /**
     * Indices of the smallest elements along {@code dim} (first on ties), as floats.
     *
     * @param dim dimension to search (negative counts from the end)
     * @return the indices, one rank lower; not recorded by autograd
     */
    public Tensor argmin(int dim) {
        return argmin(dim, false);
    }

    /**
     * Indices of the smallest elements along {@code dim} (first on ties), as floats.
     *
     * @param dim dimension to search (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the indices; not recorded by autograd
     */
    public Tensor argmin(int dim, boolean keepDim) {
        return new Tensor(ReduceOps.argExtreme(value, dim, keepDim, false));
    }

    /**
     * Unbiased variance of all elements (divides by n − 1, as PyTorch does by default).
     *
     * @return a 0-d tensor
     */
    public Tensor var() {
        return var(new int[0], 1, false);
    }

    /**
     * Unbiased variance along one dimension, which is removed.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @return the variances, one rank lower
     */
    public Tensor var(int dim) {
        return var(new int[] {dim}, 1, false);
    }

    /**
     * Variance over dims, dividing by n − correction (1: unbiased, 0: population).
     *
     * @param dims dimensions to reduce (empty: all)
     * @param correction subtracted from the element count in the divisor
     * @param keepDim true to keep the reduced dimensions with size 1
     * @return the variances
     */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Autograd.apply(new ReduceOps.Var(dims, correction, keepDim), this);
    }

    /**
     * Unbiased standard deviation of all elements.
     *
     * @return a 0-d tensor
     */
    public Tensor std() {
        return var().sqrt();
    }

    /**
     * Unbiased standard deviation along one dimension, which is removed.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @return the standard deviations, one rank lower
     */
    public Tensor std(int dim) {
        return var(dim).sqrt();
    }

    /**
     * Standard deviation over dims, the square root of {@link #var(int[], int, boolean)}.
     *
     * @param dims dimensions to reduce (empty: all)
     * @param correction subtracted from the element count in the divisor
     * @param keepDim true to keep the reduced dimensions with size 1
     * @return the standard deviations
     */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    /**
     * e^x / Σ e^x along {@code dim}, computed with the maximum subtracted (no overflow).
     *
     * @param dim dimension to normalise over (negative counts from the end)
     * @return probabilities of this tensor's shape, summing to 1 along {@code dim}
     */
    public Tensor softmax(int dim) {
        return Autograd.apply(new SoftmaxOps.Softmax(dim), this);
    }

    /**
     * x − log Σ e^x along {@code dim}, stable for any input size.
     *
     * @param dim dimension to normalise over (negative counts from the end)
     * @return log-probabilities of this tensor's shape
     */
    public Tensor logSoftmax(int dim) {
        return Autograd.apply(new SoftmaxOps.LogSoftmax(dim), this);
    }

    /**
     * log Σ e^x along {@code dim}, which is removed; stable for any input size.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @return the results, one rank lower
     */
    public Tensor logSumExp(int dim) {
        return logSumExp(dim, false);
    }

    /**
     * log Σ e^x along {@code dim}; stable for any input size.
     *
     * @param dim dimension to reduce (negative counts from the end)
     * @param keepDim true to keep {@code dim} with size 1
     * @return the results
     */
    public Tensor logSumExp(int dim, boolean keepDim) {
        return Autograd.apply(new SoftmaxOps.LogSumExp(dim, keepDim), this);
    }

    // ---------------------------------------------------------------- shape

    /**
     * Same elements, new shape (one dim may be -1); shares storage.
     *
     * @param shape new dimensions, with the same element count; at most one -1 to infer
     * @return a tensor sharing this one's storage
     */
    public Tensor reshape(int... shape) {
        return Autograd.apply(new ShapeOps.Reshape(shape), this);
    }

    /**
     * Alias of {@link #reshape}: storage is always contiguous, so every view is a reshape.
     *
     * @param shape new dimensions, with the same element count; at most one -1 to infer
     * @return a tensor sharing this one's storage
     */
    public Tensor view(int... shape) {
        return reshape(shape);
    }

    /**
     * All elements as one dimension; shares storage.
     *
     * @return a 1-D tensor of {@link #numel()} elements
     */
    public Tensor flatten() {
        return reshape(-1);
    }

    /**
     * Merges dims {@code start..end} (inclusive) into one.
     *
     * @param start first dimension to merge (negative counts from the end)
     * @param end last dimension to merge, inclusive
     * @return a tensor sharing this one's storage; a 0-d tensor becomes shape {@code [1]}
     */
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

    /**
     * Removes every dimension of size 1.
     *
     * @return a tensor sharing this one's storage
     */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape()).filter(d -> d != 1).toArray());
    }

    /**
     * Removes dimension {@code dim} if its size is 1 (else returns the same shape, as PyTorch does).
     *
     * @param dim dimension to remove (negative counts from the end)
     * @return a tensor sharing this one's storage
     */
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

    /**
     * Inserts a dimension of size 1 at {@code dim} (from -rank-1 to rank).
     *
     * @param dim position of the new dimension
     * @return a tensor sharing this one's storage, one rank higher
     */
    public Tensor unsqueeze(int dim) {
        int r = rank();
        int d = Shapes.newDim("unsqueeze", dim, shape());
        int[] s = shape();
        int[] out = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) out[i] = i == d ? 1 : s[j++];
        return reshape(out);
    }

    /**
     * Swaps two dims (copies).
     *
     * @param dim0 first dimension (negative counts from the end)
     * @param dim1 second dimension
     * @return a new tensor with the two dimensions swapped
     */
    public Tensor transpose(int dim0, int dim1) {
        int r = rank();
        int a = Shapes.dim("transpose", dim0, shape()), b = Shapes.dim("transpose", dim1, shape());
        return permute(ShapeOps.swap(r, a, b));
    }

    /**
     * Reorders dims: output dim i is input dim {@code dims[i]} (copies).
     *
     * @param dims a permutation of {@code 0..rank()-1}
     * @return a new tensor with the dimensions reordered
     */
    public Tensor permute(int... dims) {
        return Autograd.apply(new ShapeOps.Permute(dims), this);
    }

    /**
     * All dims reversed (the matrix transpose for 2-D).
     *
     * @return a new tensor with the dimensions reversed
     */
    public Tensor T() {
        int r = rank();
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = r - 1 - i;
        return permute(p);
    }

    /**
     * {@code length} items from {@code start} along {@code dim} (copies).
     *
     * @param dim dimension to cut (negative counts from the end)
     * @param start first index kept
     * @param length number of indices kept
     * @return a new tensor with {@code length} items along {@code dim}
     */
    public Tensor narrow(int dim, int start, int length) {
        return Autograd.apply(new ShapeOps.Narrow(dim, start, length), this);
    }

    /**
     * Items {@code start} (inclusive) to {@code end} (exclusive) along {@code dim}.
     *
     * @param dim dimension to cut (negative counts from the end)
     * @param start first index kept
     * @param end index after the last one kept
     * @return a new tensor with {@code end - start} items along {@code dim}
     */
    public Tensor slice(int dim, int start, int end) {
        return narrow(dim, start, end - start);
    }

    /**
     * The slabs along {@code dim} at the positions listed in {@code index} (a 1-D tensor of integers).
     *
     * @param dim dimension to select along (negative counts from the end)
     * @param index positions along {@code dim}; repeats allowed
     * @return a new tensor with {@code index.numel()} items along {@code dim}
     * @throws IllegalArgumentException if {@code index} has rank above 1 or holds a non-integer or out-of-range value
     */
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

    /**
     * {@code out[i][j] = this[i][index[i][j]]} for dim 1 (and likewise for other dims), as torch.gather.
     *
     * @param dim dimension to gather along (negative counts from the end)
     * @param index integer positions, of this tensor's rank
     * @return a new tensor of {@code index}'s shape
     */
    public Tensor gather(int dim, Tensor index) {
        return Autograd.apply(new ShapeOps.Gather(dim, index.value), this);
    }

    /**
     * Broadcasts to {@code shape} (copies); the gradient is summed back.
     *
     * @param shape target shape; this shape must broadcast to it
     * @return a new tensor of {@code shape}
     */
    public Tensor expand(int... shape) {
        return Autograd.apply(new ShapeOps.Expand(shape), this);
    }

    /**
     * Alias of {@link #expand}: broadcasts to {@code shape} (copies); the gradient is summed back.
     *
     * @param shape target shape; this shape must broadcast to it
     * @return a new tensor of {@code shape}
     */
    public Tensor broadcastTo(int... shape) {
        return expand(shape);
    }

    /**
     * Joins tensors along an existing dim.
     *
     * @param dim dimension to join along (negative counts from the end)
     * @param tensors tensors with equal sizes in every other dimension
     * @return a new tensor
     */
    public static Tensor cat(int dim, Tensor... tensors) {
        return Autograd.apply(new ShapeOps.Cat(dim), tensors);
    }

    /**
     * Joins tensors of equal shape along a new dim.
     *
     * @param dim position of the new dimension
     * @param tensors tensors of one shape, at least one
     * @return a new tensor one rank higher, of size {@code tensors.length} along {@code dim}
     * @throws IllegalArgumentException if no tensor is given or the shapes differ
     */
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
     *
     * @param o right operand
     * @return the product
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
