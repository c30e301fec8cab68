package org.jgrad.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * result into the graph. This is also how to add a custom differentiable op: subclass
     * {@link Op} with its forward and backward.
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
        fn.setNeedsGrad(needs);
        Tensor out = new Tensor(fn.forward(values));
        if (record) {
            out.node = new Node(fn, inputs.clone(), needs);
            if (AnomalyMode.level() != 0) AnomalyMode.recorded(out.node, values, out.value);   // off: this one read
        }
        return out;
    }

    /** Gradients of a scalar {@code output} with respect to {@code inputs}. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(output, null, false, inputs);
    }

    /**
     * Gradients of Σ gradOutput ⊙ output with respect to {@code inputs} (a vector-Jacobian product),
     * written to no tensor's {@code grad()}. An input the output does not depend on gets zeros; an
     * input that does not require grad is refused (as in PyTorch): its gradient was never
     * recorded, and zeros would be a silent wrong answer.
     *
     * @throws IllegalArgumentException when an input does not require grad
     * @param gradOutput the cotangent, shaped like output; null means 1 for a scalar output
     * @param retainGraph keep the graph's saved values for another backward pass
     */
    public static Tensor[] grad(Tensor output, Tensor gradOutput, boolean retainGraph, Tensor... inputs) {
        Set<Tensor> wanted = wanted("Autograd.grad", inputs);
        Map<Tensor, FloatArray> grads = run("grad", output, gradOutput, retainGraph, wanted);
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
     * and the step allocates nothing for its gradients.
     *
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
        Map<Tensor, FloatArray> grads = run("gradInto", output, null, false, wanted);
        for (int i = 0; i < inputs.length; i++) {
            FloatArray g = grads.get(inputs[i]);
            if (g == null) {
                java.util.Arrays.fill(into[i], 0f);
            } else {
                System.arraycopy(g.data(), 0, into[i], 0, into[i].length);
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

    /** Backward from {@code output}: returns the gradient of every leaf reached, by identity. */
    static Map<Tensor, FloatArray> run(String op, Tensor output, Tensor gradOutput, boolean retainGraph, Set<Tensor> wanted) {
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
            FloatArray[] inGrads = node.fn.backward(g);
            if (anomaly) AnomalyMode.checkBackward(node.name, node.trace, node.inputs, node.needs, g, t.value, inGrads);
            if (!retainGraph) node.fn = null;
            if (wanted == null || !wanted.contains(t)) grads.remove(t);
            for (int i = 0; i < node.inputs.length; i++) {
                if (!node.needs[i] || inGrads[i] == null) continue;
                Tensor in = node.inputs[i];
                FloatArray gi = BinaryOps.sumTo(inGrads[i], in.value.shape());
                grads.merge(in, gi, (x, y) -> BinaryOps.apply(BinaryOps.Kind.ADD, x, y));
            }
        }
        return grads;
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
