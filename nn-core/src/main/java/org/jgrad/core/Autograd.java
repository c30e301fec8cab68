package org.jgrad.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrad.core.kernels.Elementwise;
import org.jgrad.core.ops.BinaryOps;
import org.jgrad.core.ops.Op;
import org.jgrad.core.ops.FloatArray;
import org.jgrad.core.ops.Shapes;

/**
 * The define-by-run engine: records ops as they run and walks them backwards.
 *
 * <p>{@link #apply} is the one place a graph is recorded: only when {@link GradMode} is on and
 * some input requires grad. {@link #grad} computes gradients without touching any tensor's
 * {@code grad()} — like {@code torch.autograd.grad} — so many threads can differentiate their
 * own graphs over shared parameters at once; {@link Tensor#backward()} is {@code grad} followed
 * by accumulating into the leaves.
 *
 * <pre>{@code
 * jshell> var x = Tensor.scalar(3f).requiresGrad();
 * jshell> Autograd.grad(x.mul(x), x)[0]
 * $3 ==> tensor(6.)
 * }</pre>
 */
public final class Autograd {

    private Autograd() {}

    /** A recorded op application: the function (null once its saved values are freed) and its inputs. */
    static final class Node {
        final String name;
        final Tensor[] inputs;
        final boolean[] needs;
        Op fn;
        /** Where the forward was called, kept only in {@link AnomalyMode} as the cause of an anomaly in the backward. */
        Throwable trace;

        Node(Op fn, Tensor[] inputs, boolean[] needs) {
            this.name = fn.name();
            this.fn = fn;
            this.inputs = inputs;
            this.needs = needs;
        }
    }

    /**
     * Runs {@code fn} on the inputs' values and, when gradients are being recorded, links the
     * result into the graph; inside {@link #jvp} it also carries the inputs' tangents through the
     * op's tangent rule. This is also how to add a custom differentiable op: subclass {@link Op}
     * with its forward, backward and tangent rule.
     *
     * @param fn the op, a fresh instance per call
     * @param inputs its operands
     * @return the op's output
     */
    public static Tensor apply(Op fn, Tensor... inputs) {
        boolean[] needs = new boolean[inputs.length];
        boolean record = false;
        FloatArray[] values = new FloatArray[inputs.length];
        boolean enabled = GradMode.isEnabled();
        for (int i = 0; i < inputs.length; i++) {
            needs[i] = enabled && inputs[i].isRequiresGrad();
            record |= needs[i];
            values[i] = inputs[i].value;
        }
        Map<Tensor, FloatArray> level = TANGENTS.get();
        FloatArray[] tangents = level == null ? null : tangentsOf(level, inputs);
        fn.setNeedsGrad(tangents == null ? needs : withTangents(needs, tangents));
        Tensor out = new Tensor(fn.forward(values));
        if (tangents != null) {
            FloatArray t = fn.tangent(out.value, tangents);
            if (t != null) level.put(out, shaped(fn, t, out.value));
        }
        if (record) {
            out.node = new Node(fn, inputs.clone(), needs);
            if (AnomalyMode.level() != 0) AnomalyMode.recorded(out.node, values, out.value);   // off: this one read
        }
        return out;
    }

    // ---------------------------------------------------------------- forward mode

    /**
     * The tangents of the {@link #jvp} running on this thread, by tensor identity; null outside
     * one. Kept beside the tensors rather than in them, so that no tensor carries a tangent once
     * the jvp has returned (a module's state computed inside it, say).
     */
    private static final ThreadLocal<Map<Tensor, FloatArray>> TANGENTS = new ThreadLocal<>();

    /** The inputs' tangents (null where an input has none), or null when no input has one. */
    private static FloatArray[] tangentsOf(Map<Tensor, FloatArray> level, Tensor[] inputs) {
        FloatArray[] t = null;
        for (int i = 0; i < inputs.length; i++) {
            FloatArray ti = level.get(inputs[i]);
            if (ti == null) continue;
            if (t == null) t = new FloatArray[inputs.length];
            t[i] = ti;
        }
        return t;
    }

    /** An input with a tangent needs the same saved values as one that needs a gradient. */
    private static boolean[] withTangents(boolean[] needs, FloatArray[] tangents) {
        boolean[] n = needs.clone();
        for (int i = 0; i < n.length; i++) n[i] |= tangents[i] != null;
        return n;
    }

    /** A tangent rule may return a broadcastable shape (a bias's tangent); the output's tangent has the output's shape. */
    private static FloatArray shaped(Op fn, FloatArray t, FloatArray out) {
        if (java.util.Arrays.equals(t.shape(), out.shape())) return t;
        try {
            return BinaryOps.expand(t, out.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(fn.name() + ": its tangent rule returned shape " + Shapes.str(t.shape())
                    + " for an output of shape " + Shapes.str(out.shape()), e);
        }
    }

    /**
     * Forward mode, like {@code torch.func.jvp}: {@code f(primals)} and its directional derivative
     * J·tangents, computed together in one forward pass in which every op also applies its tangent
     * rule (no graph is recorded). Returns {@code {output, tangent}}. A null tangent means that
     * input does not move. One jvp gives one column combination of the Jacobian per pass — the
     * cheap direction when a function has few inputs and many outputs (see {@link #jacobian}).
     * {@code f} is called on fresh tensors holding the primals' values, so it must read its inputs
     * from its argument array; tensors it captures (a module's parameters) are held fixed.
     *
     * <pre>{@code
     * jshell> var r = Autograd.jvp(x -> x[0].mul(x[0]), new Tensor[]{Tensor.scalar(3f)}, new Tensor[]{Tensor.scalar(1f)})
     * jshell> r[1]
     * $2 ==> tensor(6.)
     * }</pre>
     *
     * @param f the function, of the primals
     * @param primals the point to evaluate at
     * @param tangents the direction, one per primal (null: that input is fixed)
     * @return {@code {f(primals), J·tangents}}
     * @throws IllegalArgumentException when the arrays differ in length or a tangent's shape is not its primal's
     * @throws UnsupportedOperationException when f passes through an op without a tangent rule (named)
     */
    public static Tensor[] jvp(java.util.function.Function<Tensor[], Tensor> f, Tensor[] primals, Tensor[] tangents) {
        if (primals.length != tangents.length) {
            throw new IllegalArgumentException("Autograd.jvp: " + primals.length + " primals but " + tangents.length + " tangents");
        }
        if (TANGENTS.get() != null) {
            throw new UnsupportedOperationException("Autograd.jvp: nested jvp (a jvp inside f) is not supported");
        }
        Map<Tensor, FloatArray> level = new IdentityHashMap<>();
        Tensor[] duals = new Tensor[primals.length];
        for (int i = 0; i < primals.length; i++) {
            duals[i] = new Tensor(primals[i].value);
            if (tangents[i] == null) continue;
            if (!java.util.Arrays.equals(tangents[i].value.shape(), primals[i].value.shape())) {
                throw new IllegalArgumentException("Autograd.jvp: tangent " + i + " has shape " + Shapes.str(tangents[i].value.shape())
                        + " but primal " + i + " has shape " + Shapes.str(primals[i].value.shape()));
            }
            level.put(duals[i], tangents[i].value);
        }
        Tensor out;
        TANGENTS.set(level);
        try (var off = GradMode.off()) {
            out = f.apply(duals);
        } finally {
            TANGENTS.remove();
        }
        FloatArray t = level.get(out);
        Tensor tangent = new Tensor(t == null ? FloatArray.zeros(out.value.shape()) : t.copy());
        return new Tensor[] {new Tensor(out.value), tangent};
    }

    /**
     * Reverse mode in the same form as {@link #jvp}: {@code f(primals)} and the vector-Jacobian
     * product cotangentᵀ·J with respect to every primal, like {@code torch.func.vjp} evaluated at
     * one cotangent. Returns {@code {output, gradient 0, gradient 1, …}}; a null cotangent means 1
     * for a scalar output. The primals are not marked or changed.
     *
     * @param f the function, of the primals
     * @param primals the point to evaluate at
     * @param cotangent the vector v of {@code vᵀ·J}, shaped like the output; null for a scalar output
     * @return {@code {f(primals), gradient 0, gradient 1, …}}
     */
    public static Tensor[] vjp(java.util.function.Function<Tensor[], Tensor> f, Tensor[] primals, Tensor cotangent) {
        Tensor[] leaves = new Tensor[primals.length];
        for (int i = 0; i < primals.length; i++) leaves[i] = new Tensor(primals[i].value).requiresGrad();
        Tensor out;
        try (var on = GradMode.on()) {
            out = f.apply(leaves);
        }
        Tensor[] result = new Tensor[primals.length + 1];
        result[0] = new Tensor(out.value);
        if (!out.isRequiresGrad()) {                                  // f does not depend on its inputs
            for (int i = 0; i < primals.length; i++) result[i + 1] = new Tensor(FloatArray.zeros(primals[i].value.shape()));
            return result;
        }
        Tensor[] g = grad(out, cotangent, false, leaves);
        System.arraycopy(g, 0, result, 1, g.length);
        return result;
    }

    /** How {@link #jacobian} sweeps: one forward pass per input element, or one backward pass per output element. */
    public enum Sweep {
        /** Forward mode when the input has fewer elements than the output, else reverse mode. */
        AUTO,
        /** n jvp passes, one per input element: column j of J is J·e_j. */
        FORWARD,
        /** m vjp passes, one per output element: row i of J is e_iᵀ·J. */
        REVERSE
    }

    /**
     * The Jacobian of {@code f} at {@code x}, shaped {@code f(x).shape ++ x.shape} like
     * {@code torch.autograd.functional.jacobian}, by the cheaper sweep: for f: ℝⁿ → ℝᵐ forward
     * mode costs n passes (one per input direction) and reverse mode m passes (one per output
     * cotangent), so AUTO takes forward mode when n &lt; m.
     *
     * @param f the function ℝⁿ → ℝᵐ
     * @param x the point, n elements
     * @return the Jacobian, shaped {@code f(x).shape ++ x.shape}
     */
    public static Tensor jacobian(java.util.function.Function<Tensor, Tensor> f, Tensor x) {
        return jacobian(f, x, Sweep.AUTO);
    }

    /**
     * {@link #jacobian(java.util.function.Function, Tensor)} by the given sweep.
     *
     * @param f the function ℝⁿ → ℝᵐ
     * @param x the point, n elements
     * @param sweep forward, reverse or the cheaper of the two
     * @return the Jacobian, shaped {@code f(x).shape ++ x.shape}
     */
    public static Tensor jacobian(java.util.function.Function<Tensor, Tensor> f, Tensor x, Sweep sweep) {
        Tensor[] primal = {x};
        int n = x.value.size();
        Tensor y;
        try (var off = GradMode.off()) {
            y = f.apply(new Tensor(x.value));
        }
        int m = y.value.size();
        boolean forward = sweep == Sweep.FORWARD || (sweep == Sweep.AUTO && n < m);
        float[] j = new float[m * n];
        if (forward) {
            for (int col = 0; col < n; col++) {
                FloatArray e = FloatArray.zeros(x.value.shape());
                e.data()[col] = 1f;
                float[] c = jvp(in -> f.apply(in[0]), primal, new Tensor[] {new Tensor(e)})[1].value.data();
                for (int row = 0; row < m; row++) j[row * n + col] = c[row];
            }
        } else {
            for (int row = 0; row < m; row++) {
                FloatArray e = FloatArray.zeros(y.value.shape());
                e.data()[row] = 1f;
                float[] r = vjp(in -> f.apply(in[0]), primal, new Tensor(e))[1].value.data();
                System.arraycopy(r, 0, j, row * n, n);
            }
        }
        int[] ys = y.value.shape(), xs = x.value.shape();
        int[] shape = java.util.Arrays.copyOf(ys, ys.length + xs.length);
        System.arraycopy(xs, 0, shape, ys.length, xs.length);
        return new Tensor(new FloatArray(j, shape));
    }

    /**
     * Gradients of a scalar {@code output} with respect to {@code inputs}.
     *
     * @param output a one-element tensor
     * @param inputs tensors that require grad
     * @return one gradient per input, of its shape
     */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(output, null, false, inputs);
    }

    /**
     * Gradients of Σ gradOutput ⊙ output with respect to {@code inputs} (a vector-Jacobian product),
     * written to no tensor's {@code grad()}. An input the output does not depend on gets zeros; an
     * input that does not require grad is refused (as in PyTorch): its gradient was never
     * recorded, and zeros would be a silent wrong answer.
     *
     * @param output the tensor to differentiate
     * @param inputs tensors that require grad
     * @return one gradient per input, of its shape
     * @throws IllegalArgumentException when an input does not require grad
     * @param gradOutput the cotangent, shaped like output; null means 1 for a scalar output
     * @param retainGraph keep the graph's saved values for another backward pass
     */
    public static Tensor[] grad(Tensor output, Tensor gradOutput, boolean retainGraph, Tensor... inputs) {
        Set<Tensor> wanted = wanted("Autograd.grad", inputs);
        Map<Tensor, FloatArray> grads = run("grad", output, gradOutput, retainGraph, wanted, null, null);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            FloatArray g = grads.get(inputs[i]);
            // fresh arrays, never an arena's: the caller keeps these past any scope
            out[i] = new Tensor(g == null ? new FloatArray(new float[inputs[i].value.size()], inputs[i].value.shape()) : g.copy());
        }
        return out;
    }

    /**
     * {@link #grad(Tensor, Tensor...)} that writes each gradient into {@code into[i]} (as long as
     * input i has elements) instead of new tensors: a training loop keeps those arrays across steps
     * and the step allocates nothing for its gradients. A layer whose op can (see {@link Op#gradArray})
     * writes a leaf's gradient straight into its array, with no copy; the values are the same bits.
     *
     * @param output a one-element tensor
     * @param inputs tensors that require grad
     * @param into one array per input, of its element count, overwritten with its gradient
     * @throws IllegalArgumentException when an input does not require grad or an array has the wrong length
     */
    public static void gradInto(Tensor output, Tensor[] inputs, float[][] into) {
        if (into.length != inputs.length) {
            throw new IllegalArgumentException("Autograd.gradInto: " + inputs.length + " inputs but " + into.length + " arrays");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (into[i].length != inputs[i].value.size()) {
                throw new IllegalArgumentException("Autograd.gradInto: array " + i + " has " + into[i].length + " floats, input "
                        + i + " has shape " + Shapes.str(inputs[i].value.shape()));
            }
        }
        Set<Tensor> wanted = wanted("Autograd.gradInto", inputs);
        // a leaf's gradient is written straight into its array when the op that computes it can
        // (Op#gradArray): the Trainer's weight gradients then skip a copy of every parameter
        Map<Tensor, float[]> offered = new IdentityHashMap<>(), written = new IdentityHashMap<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i].node == null) offered.putIfAbsent(inputs[i], into[i]);
        Map<Tensor, FloatArray> grads = run("gradInto", output, null, false, wanted, offered::get, written);
        for (int i = 0; i < inputs.length; i++) {
            float[] inPlace = written.get(inputs[i]);
            if (inPlace == into[i]) continue;
            FloatArray g = inPlace != null ? new FloatArray(inPlace, inputs[i].value.shape()) : grads.get(inputs[i]);
            if (g == null) {
                java.util.Arrays.fill(into[i], 0f);
            } else {
                Gradients.copy(g.data(), into[i]);
            }
        }
    }

    /** The inputs as an identity set, each checked to require grad: else no gradient was recorded for it. */
    private static Set<Tensor> wanted(String op, Tensor[] inputs) {
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].isRequiresGrad()) {
                throw new IllegalArgumentException(op + ": input " + i + " (shape " + Shapes.str(inputs[i].value.shape())
                        + ") does not require grad, so no gradient was recorded for it; call requiresGrad() on it before"
                        + " computing the output");
            }
            wanted.add(inputs[i]);
        }
        return wanted;
    }

    /**
     * Backward from {@code output}: returns the gradient of every leaf reached, by identity, except
     * those written in place. {@code offers} (null for none) names an array a leaf's gradient may be
     * written into: it is offered to the op that computes the leaf's first gradient (see
     * {@link Op#gradArray}); when the op wrote there, the leaf goes into {@code written} with that
     * array, later contributions are added to it in place, and it is not in the returned map. The
     * sums are the map's own, in the same order ((g1 + g2) + g3 …), so the values are the same bits
     * as without the offer.
     */
    static Map<Tensor, FloatArray> run(String op, Tensor output, Tensor gradOutput, boolean retainGraph, Set<Tensor> wanted,
                                       java.util.function.Function<Tensor, float[]> offers, Map<Tensor, float[]> written) {
        if (!output.isRequiresGrad()) {
            throw new IllegalStateException(op + ": the output does not require grad (no input of its graph called requiresGrad(),"
                    + " or it was computed under GradMode.off())");
        }
        FloatArray seed;
        if (gradOutput == null) {
            if (output.value.size() != 1) {
                throw new IllegalArgumentException(op + ": output of shape " + Shapes.str(output.value.shape())
                        + " is not a scalar; pass a gradient of that shape");
            }
            seed = FloatArray.full(1f, output.value.shape());
        } else {
            if (!java.util.Arrays.equals(gradOutput.value.shape(), output.value.shape())) {
                throw new IllegalArgumentException(op + ": gradient of shape " + Shapes.str(gradOutput.value.shape())
                        + " does not match output of shape " + Shapes.str(output.value.shape()));
            }
            seed = gradOutput.value;
        }
        boolean anomaly = AnomalyMode.isEnabled();
        if (anomaly && gradOutput != null) AnomalyMode.checkSeed(op, seed);
        Map<Tensor, FloatArray> grads = new IdentityHashMap<>();
        grads.put(output, seed);
        for (Tensor t : reverseTopological(output)) {
            Node node = t.node;
            FloatArray g = grads.get(t);
            if (node == null || g == null) continue;
            if (node.fn == null) {
                throw new IllegalStateException(op + ": the graph through '" + node.name + "' was already freed by an earlier"
                        + " backward; pass retainGraph = true to the first backward to go through it twice");
            }
            float[][] into = offers != null && !anomaly ? offered(node, grads, offers, written) : null;
            node.fn.offerGradInto(into);
            FloatArray[] inGrads;
            try {
                inGrads = node.fn.backward(g);
            } finally {
                node.fn.offerGradInto(null);
            }
            if (anomaly) AnomalyMode.checkBackward(node.name, node.trace, node.inputs, node.needs, g, t.value, inGrads);
            if (!retainGraph) node.fn = null;
            if (wanted == null || !wanted.contains(t)) grads.remove(t);
            for (int i = 0; i < node.inputs.length; i++) {
                if (!node.needs[i] || inGrads[i] == null) continue;
                Tensor in = node.inputs[i];
                if (into != null && into[i] != null && inGrads[i].data() == into[i]) {
                    written.put(in, into[i]);                  // written in place: the leaf's gradient now
                    continue;
                }
                FloatArray gi = BinaryOps.sumTo(inGrads[i], in.value.shape());
                float[] inPlace = written == null ? null : written.get(in);
                if (inPlace != null) {
                    Elementwise.add(inPlace, 0, gi.data(), 0, inPlace, 0, inPlace.length);
                } else {
                    grads.merge(in, gi, (x, y) -> BinaryOps.apply(BinaryOps.Kind.ADD, x, y));
                }
            }
        }
        return grads;
    }

    /**
     * The arrays offered to a node's op for its inputs' gradients: {@code offers}' array for a leaf
     * when this is the first gradient to reach the leaf in this pass and the leaf is only one of the
     * op's inputs (two slots writing one array would clash); null when nothing is offered.
     */
    private static float[][] offered(Node node, Map<Tensor, FloatArray> grads, java.util.function.Function<Tensor, float[]> offers,
                                     Map<Tensor, float[]> written) {
        float[][] into = null;
        Tensor[] in = node.inputs;
        for (int i = 0; i < in.length; i++) {
            if (!node.needs[i] || in[i].node != null || grads.containsKey(in[i]) || written.containsKey(in[i])) continue;
            float[] offer = offers.apply(in[i]);
            if (offer == null) continue;                  // (an array of another size Op#gradArray refuses itself)
            boolean once = true;
            for (int j = 0; j < in.length; j++) once &= j == i || in[j] != in[i];
            if (!once) continue;
            if (into == null) into = new float[in.length][];
            into[i] = offer;
        }
        return into;
    }

    /** Outputs before inputs, computed with an explicit stack (a 10,000-op chain must not overflow). */
    private static List<Tensor> reverseTopological(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        visited.add(root);
        stack.push(root);
        next.push(0);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = next.pop();
            Node node = t.node;
            if (node != null && i < node.inputs.length) {
                next.push(i + 1);
                Tensor child = node.inputs[i];
                if (node.needs[i] && visited.add(child)) {
                    stack.push(child);
                    next.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(t);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
